/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ceremony-hardening.c: the findings of the security review of the
 * ceremonies, each shown fixed: the KTC's PINs cannot be reset by the MCC
 * alone; secrets are never read from a terminal with echo on; damaged
 * holder and identification files are refused; washing a half-made card
 * spends at most one try; and a blank whose serial the registry holds as a
 * card in use never gets a key. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cl-authority.h"
#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "db-cpu-card.h"
#include "fmcos-test-card.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-opcard-data.h"
#include "wf-session.h"
#include "wf-task.h"
#include "wf-test-util.h"

/* -- running insucard-cli ---------------------------------------------------------------------- */

/* insucard-cli ARGS (NULL-terminated) on the fixture's deck and
 * database, as argv. */
static GPtrArray *
cli_argv (WfFixture *f, const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *const common[] = { "--readers", "sim",           "--deck",  f->sim.dir,       "--db",
                                 f->db_path,  "--workstation", "DESK-01", "--card-timeout", "0" };

  g_assert_nonnull (g_getenv ("INSUCARD_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("INSUCARD_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    g_ptr_array_add (argv, (gpointer) common[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs the command the launcher was set up for with `input` on its
 * standard input; its standard error in *err unless the launcher took it.
 * Returns the exit status. */
static int
spawn_cli (GSubprocessLauncher *launcher, GPtrArray *argv, const char *input, char **err)
{
  g_autoptr (GSubprocess) p = NULL;
  g_autoptr (GError) error = NULL;

  p = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, input, NULL, NULL, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  return g_subprocess_get_exit_status (p);
}

/* insucard-cli ARGS... with `input` on its standard input; its standard
 * error in *err.  Returns the exit status. */
static int
run_cli (WfFixture *f, const char *input, char **err, const char *first_arg, ...)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GPtrArray) argv = NULL;
  va_list ap;

  va_start (ap, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  argv = cli_argv (f, (const char *const *) args->pdata);
  return spawn_cli (launcher, argv, input, err);
}

/* A new pseudo-terminal: its master, and in *slave the terminal end. */
static int
open_pty (int *slave)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY);

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  *slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (*slave, >=, 0);
  return master;
}

/* What was written to the terminal so far (its slave end closed). */
static char *
drain_pty (int master)
{
  g_autoptr (GString) got = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  g_assert_cmpint (fcntl (master, F_SETFL, O_NONBLOCK), ==, 0);
  while ((n = read (master, buf, sizeof buf)) > 0)
    g_string_append_len (got, buf, n);
  close (master);
  return g_string_free (g_steal_pointer (&got), FALSE);
}

/* The card in `slot` out and in again, so that this process's simulator
 * reads the image another process (the CLI) changed. */
static ClCard *
reinsert (WfFixture *f, guint slot, const char *path)
{
  g_auto (GStrv) readers = NULL;

  tu_wf_empty (f, slot);
  readers = cl_context_list_readers (f->sim.ctx, NULL, NULL); /* sees the slot empty */
  return insert (f, slot, path);
}

/* -- A: the KTC's PINs are the custodians' alone ----------------------------------------------- */

/* The KTC carries no PIN-unblock key: with CMK(KTC), state F reached, the
 * card itself refuses to reset a custodian's PIN. */
static void
test_ktc_has_no_unblock_key (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClAuthority) auth = NULL;
  g_autoptr (ClKey) mine = cl_key_new_from_hex ("9999", 2, NULL);
  g_autoptr (ClKey) pin1 = cl_key_new_from_hex (PIN1, 2, NULL);
  guint8 sn[8];
  System sys;

  g_assert_null (
      wf_layout_find_key (wf_layout_get (CL_CARD_KIND_KTC, CL_ROLE_NONE)->mf, 0x37, WF_KID_MASTER));
  make_system (f, &sys);
  card = insert (f, 1, sys.ktc);
  get_serial (card, sn);
  cmk = cl_diversify (mk, sn, NULL);
  auth = cl_authority_new_key (cmk);
  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (cl_authority_external_authenticate (auth, card, sn, 0, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cl_fmcos_pin_unblock (card, 1, WF_KID_MASTER, cmk, mine, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* PIN 1 is still leader I's. */
  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (cl_fmcos_verify (card, 1, pin1, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* pin unblock refuses a KTC before anything is asked or written, and says
 * what a custodian who forgot a PIN does instead. */
static void
test_ktc_unblock_refused (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) wrong = cl_key_new_from_hex ("0000", 2, NULL);
  g_autoptr (WfScripted) ia = NULL;
  GPtrArray *asked;
  System sys;

  make_system (f, &sys);
  card = insert (f, 1, sys.ktc);
  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  for (guint i = 0; i < 5; i++)
    cl_fmcos_verify (card, 1, wrong, TRUE, NULL, NULL, NULL);
  g_assert_cmpint (cl_fmcos_get_pin_tries (card, 1, NULL, NULL), ==, 0);
  g_clear_object (&card);
  tu_wf_empty (f, 1);

  ia = wf_scripted_new ();
  wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "target", sys.ktc);
  wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "new-pin=4321", NULL);
  g_assert_false (wf_pin_unblock (f->desk, WF_INTERACTION (ia), 0, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "ktc create"));
  g_assert_nonnull (strstr (error->message, "ktc rebuild"));
  g_clear_error (&error);
  /* Nor with the PIN named, as the old API allowed. */
  g_assert_false (wf_pin_unblock (f->desk, WF_INTERACTION (ia), 1, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  /* Refused before the MCC or any PIN was asked for. */
  asked = wf_scripted_get_asked (ia);
  for (guint i = 0; i < asked->len; i++)
    g_assert_cmpstr (asked->pdata[i], ==, "card:target");
  g_assert_true (has_audit (f, DB_ACTION_PIN_UNBLOCK, DB_OUTCOME_REFUSED));

  card = insert (f, 1, sys.ktc);
  g_assert_cmpint (cl_fmcos_get_pin_tries (card, 1, NULL, NULL), ==, 0);
}

/* A custodian changes their own KTC PIN with the old one; the others' PINs
 * stay as they were.  A KTC needs the PIN's number, other cards none. */
static void
test_ktc_pin_change (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) pin1 = cl_key_new_from_hex (PIN1, 2, NULL);
  g_autoptr (ClKey) pin2 = cl_key_new_from_hex (PIN2, 1, NULL);
  g_autoptr (ClKey) new2 = cl_key_new_from_hex ("5678", 2, NULL);
  System sys;

  make_system (f, &sys);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.ktc);
  wf_scripted_add (f->ia, "operator-pin=" PIN2, "new-pin=5678", NULL);
  g_assert_true (wf_pin_change (f->desk, WF_INTERACTION (f->ia), 2, NULL, &error));
  g_assert_no_error (error);

  card = insert (f, 1, sys.ktc);
  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_false (cl_fmcos_verify (card, 2, pin2, FALSE, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_true (cl_fmcos_verify (card, 2, new2, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_verify (card, 1, pin1, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&card);

  /* Which PIN of the KTC?  And no number for an administrator card. */
  g_assert_false (wf_pin_change (f->desk, WF_INTERACTION (f->ia), 0, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.ac);
  g_assert_false (wf_pin_change (f->desk, WF_INTERACTION (f->ia), 1, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 0);
}

/* insucard-cli: pin unblock has no --ktc-pin any more; pin change has. */
static void
test_cli_ktc_pin (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) new3 = cl_key_new_from_hex ("1357", 2, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  System sys;
  int status;

  make_system (f, &sys);
  card = insert (f, 1, sys.ktc);
  g_clear_object (&card);
  {
    g_autofree char *err = NULL;

    status = run_cli (f, "", &err, "pin", "unblock", "--ktc-pin", "1", NULL);
    g_assert_cmpint (status, ==, 2);
  }
  {
    g_autofree char *err = NULL;

    status = run_cli (f, "", &err, "pin", "change", "--ktc-pin", "4", NULL);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "--ktc-pin"));
  }
  {
    g_autofree char *err = NULL;

    status = run_cli (f, "operator-pin=" PIN3 "\nnew-pin=1357\n", &err, "pin", "change",
                      "--ktc-pin", "3", NULL);
    if (status != 0)
      g_printerr ("%s", err);
    g_assert_cmpint (status, ==, 0);
  }
  card = reinsert (f, 1, sys.ktc);
  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (cl_fmcos_verify (card, 3, new3, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* -- B: no secret read from a terminal with echo on ---------------------------------------------
 */

/* --secrets-fd naming a terminal is refused before anything is asked:
 * secrets typed there would show. */
static void
test_secrets_fd_terminal (WfFixture *f, gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = NULL;
  g_autofree char *err = NULL;
  int slave;
  int master = open_pty (&slave);

  g_subprocess_launcher_take_fd (launcher, slave, 3);
  argv = cli_argv (f, (const char *const[]){ "pin", "change", "--secrets-fd", "3", NULL });
  g_assert_cmpint (spawn_cli (launcher, argv, "", &err), ==, 2);
  g_assert_nonnull (strstr (err, "--secrets-fd"));
  g_assert_nonnull (strstr (err, "terminal"));
  g_clear_object (&launcher);
  g_free (drain_pty (master));
}

/* Between two custodians the screen is cleared also when the secrets come
 * from a file: the KCVs and prompts of the one before stay off it. */
static void
test_hand_over_clears_screen (WfFixture *f, gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) mcc = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autofree char *screen = NULL;
  const char *mcc_path = tu_wf_new_card (f, CS_CARD_FMCOS);
  int slave;
  int master = open_pty (&slave);
  int status;

  tu_wf_plan (f, "blank-cpu", mcc_path);
  wf_scripted_add (f->ia, "mk=" MK_HEX, "mcc-pin=" MCC_PIN, NULL);
  mcc = wf_mcc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  card = insert (f, 0, mcc_path);
  g_clear_object (&card);
  card = insert (f, 1, tu_wf_new_card (f, CS_CARD_FMCOS));
  g_clear_object (&card);

  g_subprocess_launcher_take_stderr_fd (launcher, slave);
  argv = cli_argv (f, (const char *const[]){ "ktc", "create", "--yes", NULL });
  /* Leader I's entries are missing: the command stops after the hand-over. */
  status = spawn_cli (launcher, argv, "mcc-pin=" MCC_PIN "\n", NULL);
  g_clear_object (&launcher);
  screen = drain_pty (master);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (screen, "leader I"));
  g_assert_nonnull (strstr (screen, "code1"));
  g_assert_nonnull (strstr (screen, "\033[H\033[2J\033[3J"));
}

/* -- C: what a card's files say is checked before anyone sees it ------------------------------ */

/* A holder file with `name` and `staff` written over a good one, and
 * `patch` (if any) at offset `at`; its check byte set right again. */
static guint8 *
holder_file (const char *name, gsize name_len, const char *staff, gsize at, const guint8 *patch,
             gsize patch_len)
{
  WfOpHolder good = { (char *) "张三",   (char *) "S-0042",   CL_ROLE_ISSUING_ADMIN,
                      (char *) "510400", (char *) "20240101", (char *) "20291231" };
  g_autoptr (GError) error = NULL;
  guint8 *d = wf_op_holder_encode (&good, &error);

  g_assert_no_error (error);
  if (name != NULL)
    {
      memset (d, 0, WF_NAME_MAX);
      memcpy (d, name, name_len);
    }
  if (staff != NULL)
    {
      memset (d + 30, 0, WF_STAFF_MAX);
      memcpy (d + 30, staff, strlen (staff));
    }
  if (patch != NULL)
    memcpy (d + at, patch, patch_len);
  d[WF_HOLDER_LEN - 1] = cl_check_byte (d, WF_HOLDER_LEN - 1);
  return d;
}

static void
assert_holder_refused (const guint8 *d)
{
  g_auto (WfOpHolder) h = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (wf_op_holder_decode (d, WF_HOLDER_LEN, &h, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "holder file is damaged or not written by insucard"));
  g_assert_null (h.name);
  g_assert_null (h.office);
}

static void
test_holder_decode (WfFixture *f, gconstpointer data)
{
  static const guint8 no_office[3] = { 0xFF, 0xFF, 0xFF };
  static const guint8 hex_office[3] = { 0x51, 0x04, 0x0A };
  static const guint8 bad_date[4] = { 0x20, 0x24, 0x13, 0x01 };
  static const guint8 half_date[4] = { 0x20, 0x24, 0xFF, 0xFF };
  static const guint8 bad_role[1] = { 0x07 };
  g_autofree guint8 *good = holder_file (NULL, 0, NULL, 0, NULL, 0);
  g_autofree guint8 *no_limit =
      holder_file (NULL, 0, NULL, 54, (const guint8[]){ 0xFF, 0xFF, 0xFF, 0xFF }, 4);
  g_auto (WfOpHolder) h = { 0 };
  g_auto (WfOpHolder) open_ended = { 0 };
  g_autoptr (GError) error = NULL;
  const char *bad_names[] = {
    "\xFF\xFEname", /* not UTF-8 */
    "Wang\x1B[2J\x1B]0;pwned\x07", /* escape sequences for a terminal */
    "Wang\nWu", /* a line of its own in a log */
    "Wang\xE2\x80\xAEuW", /* U+202E: shown backwards */
    "\xE5\xBC\xA0\xE4", /* UTF-8 cut in the middle of a character */
  };

  /* What insucard writes reads back. */
  g_assert_true (wf_op_holder_decode (good, WF_HOLDER_LEN, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (h.name, ==, "张三");
  g_assert_cmpstr (h.office, ==, "510400");
  g_assert_true (wf_op_holder_decode (no_limit, WF_HOLDER_LEN, &open_ended, &error));
  g_assert_no_error (error);
  g_assert_null (open_ended.valid_until);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree guint8 *d = holder_file (bad_names[i], strlen (bad_names[i]), NULL, 0, NULL, 0);

      assert_holder_refused (d);
    }
  {
    g_autofree guint8 *empty = holder_file ("", 0, NULL, 0, NULL, 0);
    g_autofree guint8 *staff = holder_file (NULL, 0, "S-1\x1B[31m", 0, NULL, 0);
    g_autofree guint8 *office = holder_file (NULL, 0, NULL, 47, no_office, 3);
    g_autofree guint8 *hex = holder_file (NULL, 0, NULL, 47, hex_office, 3);
    g_autofree guint8 *date = holder_file (NULL, 0, NULL, 50, bad_date, 4);
    g_autofree guint8 *half = holder_file (NULL, 0, NULL, 54, half_date, 4);
    g_autofree guint8 *role = holder_file (NULL, 0, NULL, 46, bad_role, 1);

    assert_holder_refused (empty);
    assert_holder_refused (staff);
    assert_holder_refused (office);
    assert_holder_refused (hex);
    assert_holder_refused (date);
    assert_holder_refused (half);
    assert_holder_refused (role);
  }

  /* Nor is such a name written in the first place. */
  {
    WfOpHolder typed = { (char *) "Wang\tWu", (char *) "S-1", CL_ROLE_AUDITOR, (char *) "510400" };

    g_clear_error (&error);
    g_assert_null (wf_op_holder_encode (&typed, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  }
}

static void
assert_ident_refused (const guint8 *d)
{
  g_auto (WfOpIdent) i = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (wf_op_ident_decode (d, WF_IDENT_LEN, &i, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (
      strstr (error->message, "identification file is damaged or not written by insucard"));
  g_assert_null (i.workstation);
  g_assert_null (i.office);
}

static void
test_ident_decode (WfFixture *f, gconstpointer data)
{
  WfOpIdent good = { (char *) "DESK-01", (char *) "510400", 500 };
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *d = wf_op_ident_encode (&good, &error);
  g_auto (WfOpIdent) back = { 0 };
  struct {
    gsize at, len;
    const char *bytes;
  } damage[] = {
    { 0, 16, "DESK\x1B[2J\0\0\0\0\0\0\0" }, /* an escape sequence */
    { 0, 16, "DESK 01\xFF\0\0\0\0\0\0\0" }, /* not ASCII */
    { 0, 16, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" }, /* no workstation */
    { 16, 3, "\xFF\xFF\xFF" }, /* no office */
    { 19, 4, "\x80\0\0\0" }, /* a quota beyond any count */
  };

  g_assert_no_error (error);
  g_assert_true (wf_op_ident_decode (d, WF_IDENT_LEN, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.workstation, ==, "DESK-01");
  g_assert_cmpint (back.quota, ==, 500);
  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_autofree guint8 *bad = g_memdup2 (d, WF_IDENT_LEN);

      memcpy (bad + damage[i].at, damage[i].bytes, damage[i].len);
      bad[WF_IDENT_LEN - 1] = cl_check_byte (bad, WF_IDENT_LEN - 1);
      assert_ident_refused (bad);
    }
}

/* A card whose holder file was rewritten with an escape sequence (its
 * check byte right) is refused at login, and its bytes never reach the
 * audit log. */
static void
test_login_damaged_holder (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autofree guint8 *bad = NULL;
  guint8 sn[8];
  System sys;
  const char *evil = "Wang\x1B[2J";

  make_system (f, &sys);
  card = insert (f, 1, sys.ac);
  get_serial (card, sn);
  cmk = cl_diversify (mk, sn, NULL);
  tu_fmcos_auth (card, sn, cmk);
  g_assert_true (cl_fmcos_select_name (card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME),
                                       NULL, NULL, &error));
  bad = holder_file (evil, strlen (evil), NULL, 0, NULL, 0);
  g_assert_true (cl_fmcos_update_binary (card, 0x15, 0, bad, WF_HOLDER_LEN, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&card);
  tu_wf_empty (f, 1);

  tu_wf_plan (f, "operator-card", sys.ac);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_null (session);
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "holder file is damaged"));
  {
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, NULL);
    DbAuditFilter filter = { 0 };
    g_autoptr (GPtrArray) rows = db_audit_query (db, &filter, DB_ORDER_NEWEST_FIRST, 0, 1000, NULL);

    for (guint i = 0; i < rows->len; i++)
      {
        DbAuditRow *row = rows->pdata[i];

        g_assert_null (strchr (row->detail != NULL ? row->detail : "", '\x1B'));
        g_assert_null (strchr (row->operator_name != NULL ? row->operator_name : "", '\x1B'));
      }
  }
}

/* -- D: a half-made card costs at most one try ------------------------------------------------ */

/* A card whose making stopped before its info file was written, as
 * wf-personalise.c leaves it: MF, KEY file, the empty info file
 * `info_fid` and, unless key is NULL, its master key.  Left in R2. */
static const char *
make_unfinished (WfFixture *f, guint16 info_fid, const ClKey *key, guint8 sn[8])
{
  static const guint8 header[5] = { 0x39, 0xF0, 0xFF, 0x0F, 0x55 };
  const char *path = tu_wf_new_card (f, CS_CARD_FMCOS);
  g_autoptr (ClCard) card = insert (f, 1, path);
  g_autoptr (ClKey) transport = tu_fmcos_transport_key ();
  g_autoptr (GError) error = NULL;
  ClCardInfo info;

  get_serial (card, sn);
  tu_fmcos_auth (card, sn, transport);
  g_assert_true (cl_fmcos_erase_df (card, NULL, &error));
  g_assert_true (cl_fmcos_create_df (card, CL_FMCOS_MF, 0x2000, 0xFF, 0xFF, 0x00,
                                     (const guint8 *) "1PAY.SYS.DDF01", 14, NULL, &error));
  g_assert_true (cl_fmcos_create_key_file (card, 0x0000, 0x0200, 0x00, 0xFF, NULL, &error));
  g_assert_true (cl_fmcos_create_ef (card, info_fid, 0x28, CL_INFO_LEN, 0xF0, 0xFF,
                                     CL_FMCOS_WRITE_ONCE, 0xFF, NULL, &error));
  if (key != NULL)
    g_assert_true (cl_fmcos_write_key (card, 0x01, 0x00, header, sizeof header, key, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_card_detect (card, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_UNFINISHED);
  return path;
}

/* The message of one more (wrong) external authentication: it says how
 * many tries the card's key has left. */
static char *
tries_left_message (WfFixture *f, const char *path, const guint8 sn[8])
{
  g_autoptr (ClCard) card = insert (f, 1, path);
  g_autoptr (ClKey) wrong = tu_key_from_hex ("00000000000000001111111111111111");
  g_autoptr (ClAuthority) a = cl_authority_new_key (wrong);
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_false (cl_authority_external_authenticate (a, card, sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_AUTH_FAILED);
  return g_strdup (error->message);
}

static void
assert_blank (WfFixture *f, const char *path)
{
  g_autoptr (ClCard) card = insert (f, 1, path);
  ClCardInfo info;

  g_assert_true (cl_card_detect (card, &info, NULL, NULL));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_BLANK);
}

static gboolean
was_asked (WfScripted *ia, const char *what)
{
  GPtrArray *asked = wf_scripted_get_asked (ia);

  for (guint i = 0; i < asked->len; i++)
    if (g_strcmp0 (asked->pdata[i], what) == 0)
      return TRUE;
  return FALSE;
}

/* An MCC whose making stopped after MK was written washes with MK typed,
 * without the MCC in R1 and without a wrong key tried first. */
static void
test_wash_unfinished_mcc (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) washed = NULL;
  g_autofree char *tries = NULL;
  const char *half;
  guint8 sn[8];

  half = make_unfinished (f, CL_INFO_EF_MCC, mk, sn);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", half);
  wf_scripted_add (f->ia, "unfinished-mcc=yes", "mk=" MK_HEX, NULL);
  washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (washed->kind, ==, CL_CARD_KIND_CPU_UNFINISHED);
  g_assert_true (was_asked (f->ia, "confirm:unfinished-mcc"));
  g_assert_false (was_asked (f->ia, "card:mcc"));
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 0);
  assert_blank (f, half);
  /* The factory's transport key is back, with all its tries. */
  tries = tries_left_message (f, half, sn);
  g_assert_nonnull (strstr (tries, "14 tries left"));
}

/* The wrong answer costs one try, not two; the right one then washes. */
static void
test_wash_unfinished_one_try (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) washed = NULL;
  const char *half;
  guint8 sn[8];
  System sys;

  make_system (f, &sys);
  half = make_unfinished (f, CL_INFO_EF_MCC, mk, sn);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", half);
  tu_wf_plan (f, "mcc", sys.mcc);
  wf_scripted_add (f->ia, "unfinished-mcc=no", "mcc-pin=" MCC_PIN, NULL);
  g_assert_null (wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "4 tries left"));
  g_clear_error (&error);

  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", half);
  wf_scripted_add (f->ia, "unfinished-mcc=yes", "mk=" MK_HEX, NULL);
  washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  assert_blank (f, half);
}

/* Any other half-made card washes with its CMK from the MCC in R1, and
 * one with no key yet with none. */
static void
test_wash_unfinished_card (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (GError) error = NULL;
  const char *with_key, *without_key;
  guint8 sn[8], sn2[8];
  System sys;

  make_system (f, &sys);
  with_key = make_unfinished (f, CL_INFO_EF, NULL, sn);
  without_key = make_unfinished (f, CL_INFO_EF, NULL, sn2);
  /* Its CMK, written now that the serial is known. */
  {
    static const guint8 header[5] = { 0x39, 0xF0, 0xFF, 0x0F, 0x55 };
    g_autoptr (ClCard) card = insert (f, 1, with_key);

    cmk = cl_diversify (mk, sn, NULL);
    g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
    g_assert_true (cl_fmcos_write_key (card, 0x01, 0x00, header, sizeof header, cmk, NULL, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (WfCardMade) washed = NULL;
      const char *half = i == 0 ? with_key : without_key;

      tu_wf_empty (f, 1);
      tu_wf_plan (f, "target", half);
      tu_wf_plan (f, "mcc", sys.mcc);
      wf_scripted_add (f->ia, "unfinished-mcc=no", "mcc-pin=" MCC_PIN, NULL);
      washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
      g_assert_no_error (error);
      assert_blank (f, half);
    }
}

/* Making a card on a half-made one tries only the key it was meant to
 * have: an MCC's leftover MK offered as a KTC's blank costs one try. */
static void
test_make_on_unfinished_one_try (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) made = NULL;
  g_autofree char *tries = NULL;
  const char *half;
  guint8 sn[8];
  System sys;

  make_system (f, &sys);
  half = make_unfinished (f, CL_INFO_EF_MCC, mk, sn);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "blank-cpu", half);
  script_ktc_inputs (f);
  wf_scripted_add (f->ia, "second-ktc=yes", NULL);
  made = wf_ktc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_null (made);
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Wash it"));
  /* One try spent by the ceremony, one by this check. */
  tries = tries_left_message (f, half, sn);
  g_assert_nonnull (strstr (tries, "3 tries left"));
}

/* insucard-cli: --yes does not answer the question of fact; the secrets
 * input does. */
static void
test_cli_wash_unfinished (WfFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClCard) card = NULL;
  g_autofree char *tries = NULL;
  const char *half;
  guint8 sn[8];
  System sys;
  int status;

  make_system (f, &sys);
  half = make_unfinished (f, CL_INFO_EF_MCC, mk, sn);
  card = insert (f, 0, sys.mcc);
  g_clear_object (&card);
  card = insert (f, 1, half);
  g_clear_object (&card);
  {
    g_autofree char *err = NULL;

    status = run_cli (f, "mcc-pin=" MCC_PIN "\n", &err, "card", "wash", "--yes", NULL);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "unfinished-mcc=yes"));
  }
  {
    g_autofree char *err = NULL;

    status =
        run_cli (f, "unfinished-mcc=yes\nmk=" MK_HEX "\n", &err, "card", "wash", "--yes", NULL);
    if (status != 0)
      g_printerr ("%s", err);
    g_assert_cmpint (status, ==, 0);
  }
  card = reinsert (f, 1, half);
  g_clear_object (&card);
  assert_blank (f, half);
}

/* -- E: a registered card's serial never gets a key as a blank -------------------------------- */

/* A blank CPU card with the serial of `path` (a copy, as a card emulator
 * would make), in a deck of its own. */
static const char *
clone_blank (WfFixture *f, const char *path, guint8 sn[8])
{
  g_autofree char *dir = g_build_filename (f->sim.dir, "clones", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = insert (f, 1, path);
  CsDeck *deck;
  char *clone;

  get_serial (card, sn);
  g_clear_object (&card);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  deck = cs_deck_open (dir, &error);
  g_assert_no_error (error);
  clone = cs_deck_new_card (deck, CS_CARD_FMCOS, sn, &error);
  g_assert_no_error (error);
  cs_deck_free (deck);
  g_ptr_array_add (f->paths, clone);
  tu_wf_empty (f, 1);
  return clone;
}

static void
assert_registered_refusal (const GError *error, const char *serial, const char *status)
{
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "registered as"));
  g_assert_nonnull (strstr (error->message, serial));
  g_assert_nonnull (strstr (error->message, status));
  g_assert_nonnull (strstr (error->message, "Wash it with the MCC first"));
}

/* The copy still is a blank that nobody authenticated to: its transport
 * key has all its tries (one spent by this check). */
static void
assert_untouched (WfFixture *f, const char *clone, const guint8 sn[8])
{
  g_autofree char *tries = NULL;

  assert_blank (f, clone);
  tries = tries_left_message (f, clone, sn);
  g_assert_nonnull (strstr (tries, "14 tries left"));
}

/* MCC, KTC and AC ceremonies each refuse a blank whose serial is a
 * registered card's that was not washed, before any key is derived or
 * written; a washed card is made again. */
static void
test_registered_blank_refused (WfFixture *f, gconstpointer data)
{
  WfOpHolder holder = { (char *) "王五", (char *) "S-0050", CL_ROLE_AUDITOR, (char *) "510400" };
  g_autoptr (GError) error = NULL;
  guint8 sn[8];
  char serial[17];
  const char *clone;
  System sys;

  make_system (f, &sys);
  clone = clone_blank (f, sys.ac, sn);
  wf_serial_hex (sn, serial);

  {
    g_autoptr (WfScripted) ia = wf_scripted_new ();

    wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
    tu_wf_plan (f, "blank-cpu", clone);
    wf_scripted_add (ia, "mk=" MK_HEX, "mcc-pin=" MCC_PIN, NULL);
    g_assert_null (wf_mcc_create (f->desk, WF_INTERACTION (ia), NULL, &error));
    assert_registered_refusal (error, serial, "in use");
    /* Refused as soon as the card was there, before MK was typed. */
    g_assert_cmpuint (wf_scripted_count_unused (ia), ==, 2);
    g_assert_true (has_audit (f, DB_ACTION_MCC_CREATE, DB_OUTCOME_REFUSED));
    g_clear_error (&error);
    g_hash_table_remove_all (f->plan);
  }
  {
    g_autoptr (WfScripted) ia = wf_scripted_new ();

    wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
    tu_wf_empty (f, 1);
    tu_wf_plan (f, "mcc", sys.mcc);
    tu_wf_plan (f, "blank-cpu", clone);
    wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "second-ktc=yes", "code1=" CODE1, "pin1=" PIN1,
                     "code2=" CODE2, "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3, NULL);
    g_assert_null (wf_ktc_create (f->desk, WF_INTERACTION (ia), NULL, &error));
    assert_registered_refusal (error, serial, "in use");
    g_assert_true (has_audit (f, DB_ACTION_KTC_CREATE, DB_OUTCOME_REFUSED));
    g_clear_error (&error);
    g_hash_table_remove_all (f->plan);
  }
  {
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
    g_autoptr (WfScripted) ia = wf_scripted_new ();
    g_autoptr (GPtrArray) made = NULL;

    /* Lost, revoked: the same. */
    g_assert_true (db_cpu_cards_set_status (db, serial, DB_CPU_LOST, &error));
    wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
    tu_wf_empty (f, 1);
    tu_wf_plan (f, "mcc", sys.mcc);
    tu_wf_plan (f, "ktc", sys.ktc);
    tu_wf_plan (f, "blank-cpu", clone);
    wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
    made = wf_opcard_create (f->desk, WF_INTERACTION (ia), &holder, NULL, 1, NULL, &error);
    g_assert_cmpuint (made->len, ==, 0);
    assert_registered_refusal (error, serial, "lost");
    g_assert_true (has_audit (f, DB_ACTION_CARD_CREATE, DB_OUTCOME_REFUSED));
    g_clear_error (&error);
    g_hash_table_remove_all (f->plan);
  }
  assert_untouched (f, clone, sn);

  /* Washed, the card itself is made again. */
  {
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
    g_autoptr (WfCardMade) washed = NULL;
    g_autoptr (GPtrArray) made = NULL;

    g_assert_true (db_cpu_cards_set_status (db, serial, DB_CPU_ACTIVE, &error));
    tu_wf_empty (f, 1);
    tu_wf_plan (f, "target", sys.ac);
    tu_wf_plan (f, "mcc", sys.mcc);
    wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
    washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
    g_assert_no_error (error);
    tu_wf_plan (f, "mcc", sys.mcc);
    tu_wf_plan (f, "ktc", sys.ktc);
    tu_wf_plan (f, "blank-cpu", sys.ac);
    wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
    made = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (made->len, ==, 1);
    g_assert_cmpstr (((WfCardMade *) made->pdata[0])->serial, ==, serial);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, WfFixture, NULL, tu_wf_setup, fn, tu_wf_teardown)
  ADD ("/ceremony-hardening/ktc/no-unblock-key", test_ktc_has_no_unblock_key);
  ADD ("/ceremony-hardening/ktc/unblock-refused", test_ktc_unblock_refused);
  ADD ("/ceremony-hardening/ktc/pin-change", test_ktc_pin_change);
  ADD ("/ceremony-hardening/ktc/cli", test_cli_ktc_pin);
  ADD ("/ceremony-hardening/cli/secrets-fd-terminal", test_secrets_fd_terminal);
  ADD ("/ceremony-hardening/cli/hand-over-clears-screen", test_hand_over_clears_screen);
  ADD ("/ceremony-hardening/opcard-data/holder", test_holder_decode);
  ADD ("/ceremony-hardening/opcard-data/ident", test_ident_decode);
  ADD ("/ceremony-hardening/opcard-data/login", test_login_damaged_holder);
  ADD ("/ceremony-hardening/unfinished/wash-mcc", test_wash_unfinished_mcc);
  ADD ("/ceremony-hardening/unfinished/wash-one-try", test_wash_unfinished_one_try);
  ADD ("/ceremony-hardening/unfinished/wash-card", test_wash_unfinished_card);
  ADD ("/ceremony-hardening/unfinished/make-one-try", test_make_on_unfinished_one_try);
  ADD ("/ceremony-hardening/unfinished/cli", test_cli_wash_unfinished);
  ADD ("/ceremony-hardening/registered-blank", test_registered_blank_refused);
#undef ADD
  return g_test_run ();
}
