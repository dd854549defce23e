/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-ceremony.c: insucard-cli mcc create, ktc create, ktc rebuild, card
 * create, card wash, card check, pin unblock, pin change and login: the
 * workflows' ceremonies and maintenance tasks on the command line.
 *
 * Each command parses its options, opens the desk, runs one workflow task
 * and prints what it made: a translated sentence on stderr and one stable
 * line of tab-separated name=value fields on stdout (docs/cli.md).
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-session.h"

typedef void (*StartFunc) (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
typedef WfCardMade *(*MadeFinishFunc) (WfDesk *desk, GAsyncResult *result, GError **error);
typedef gboolean (*DoneFinishFunc) (WfDesk *desk, GAsyncResult *result, GError **error);

/* kind=… serial=… [holder=…] [kcv-…=…]: one line per card, for scripts. */
static void
print_made (const WfCardMade *made)
{
  gboolean is_mcc = made->kind == CL_CARD_KIND_MCC;

  fprintf (stderr, _ ("Ready: %s %s.\n"), cl_card_kind_describe (made->kind), made->serial);
  printf ("kind=%s\tserial=%s", cl_card_kind_to_string (made->kind), made->serial);
  if (made->holder_name != NULL && made->holder_name[0] != '\0')
    printf ("\tholder=%s", made->holder_name);
  if (made->kcv1 != NULL && made->kcv1[0] != '\0')
    printf ("\t%s=%s", is_mcc ? "kcv-mk" : "kcv-pkey", made->kcv1);
  if (made->kcv2 != NULL && made->kcv2[0] != '\0')
    printf ("\tkcv-dkey=%s", made->kcv2);
  if (made->kcv3 != NULL && made->kcv3[0] != '\0')
    printf ("\tkcv-akey=%s", made->kcv3);
  printf ("\n");
}

/* A command whose task makes or washes one card. */
static int
run_made (int argc, char **argv, const char *name, const char *summary, StartFunc start,
          MadeFinishFunc finish)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) made = NULL;
  int status;

  cli_desk_command_init (&c, name, summary);
  if (cli_desk_command_open (&c, 0, &argc, &argv, &status))
    {
      start (c.desk, WF_INTERACTION (c.interaction), c.run.cancellable, cli_run_done, &c.run);
      made = finish (c.desk, cli_run_wait (&c.run), &error);
      if (made != NULL)
        print_made (made);
      status = cli_desk_command_finish (&c, error);
    }
  cli_desk_command_clear (&c);
  return status;
}

int
cli_mcc_create (int argc, char **argv)
{
  return run_made (argc, argv, "mcc create",
                   _ ("Makes the master control card on the blank CPU card in R2. The system "
                      "administrator types the 16-byte master key MK twice, compares its check "
                      "value, and sets the card's PIN. Secrets: mk, mcc-pin."),
                   wf_mcc_create_async, wf_mcc_create_finish);
}

int
cli_ktc_create (int argc, char **argv)
{
  return run_made (argc, argv, "ktc create",
                   _ ("Makes the key transport card: the MCC in R1, a blank CPU card in R2. Leader "
                      "I types code 1 and PIN 1, leader II code 2 and PIN 2, the system "
                      "administrator PSUB, DSUB and PIN 3, each in turn. Secrets: mcc-pin, code1, "
                      "pin1, code2, pin2, psub, dsub, pin3."),
                   wf_ktc_create_async, wf_ktc_create_finish);
}

int
cli_ktc_rebuild (int argc, char **argv)
{
  return run_made (argc, argv, "ktc rebuild",
                   _ ("Makes a new key transport card from the old one: the MCC in R1, the old "
                      "KTC in R2 read with all three PINs, then a blank CPU card in R2. Secrets: "
                      "mcc-pin, pin1, pin2, pin3."),
                   wf_ktc_rebuild_async, wf_ktc_rebuild_finish);
}

int
cli_card_wash (int argc, char **argv)
{
  return run_made (argc, argv, "card wash",
                   _ ("Washes the CPU card in R2 back to a blank card, after showing it and asking "
                      "(twice for an MCC or the last KTC). The MCC goes in R1. Secrets: mcc-pin "
                      "(mk for an MCC); a half-made card also asks unfinished-mcc (yes or no: "
                      "was it being made into an MCC?), which --yes does not answer."),
                   wf_card_wash_async, wf_card_wash_finish);
}

/* A command whose task answers only done or not; c is open. */
static int
run_done (CliDeskCommand *c, StartFunc start, DoneFinishFunc finish, const char *done_text)
{
  g_autoptr (GError) error = NULL;
  int status;

  start (c->desk, WF_INTERACTION (c->interaction), c->run.cancellable, cli_run_done, &c->run);
  if (finish (c->desk, cli_run_wait (&c->run), &error))
    fprintf (stderr, "%s\n", done_text);
  status = cli_desk_command_finish (c, error);
  cli_desk_command_clear (c);
  return status;
}

/* pin change takes the KTC PIN number, which the StartFunc shape has no
 * room for. */
static guint change_pin;

static void
pin_change_start (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  wf_pin_change_async (desk, interaction, change_pin, cancellable, callback, user_data);
}

int
cli_pin_change (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  int pin = 0;
  int status;
  GOptionEntry entries[] = {
    { "ktc-pin", 0, 0, G_OPTION_ARG_INT, &pin,
      N_ ("For a key transport card: which PIN to change (1 leader I, 2 leader II, 3 the system "
          "administrator)"),
      N_ ("N") },
    { NULL },
  };

  cli_desk_command_init (
      &c, "pin change",
      _ ("The holder of the CPU card in R2 changes its PIN: the PIN in use, then the "
         "new one twice. On a key transport card each custodian changes their own PIN "
         "(--ktc-pin). Secrets: operator-pin, new-pin."));
  g_option_context_add_main_entries (c.context, entries, GETTEXT_PACKAGE);
  if (!cli_desk_command_open (&c, 0, &argc, &argv, &status))
    {
      cli_desk_command_clear (&c);
      return status;
    }
  if (pin < 0 || pin > 3)
    {
      fprintf (stderr,
               _ ("insucard-cli pin change: --ktc-pin takes 1, 2 or 3. Run “insucard-cli pin "
                  "change --help”.\n"));
      cli_desk_command_clear (&c);
      return CLI_EXIT_USAGE;
    }
  change_pin = (guint) pin;
  return run_done (&c, pin_change_start, wf_pin_change_finish, _ ("The PIN was changed."));
}

static void
pin_unblock_start (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                   GAsyncReadyCallback callback, gpointer user_data)
{
  wf_pin_unblock_async (desk, interaction, 0, cancellable, callback, user_data);
}

int
cli_pin_unblock (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  int status;

  cli_desk_command_init (
      &c, "pin unblock",
      _ ("Unblocks the PIN of the CPU card in R2 with the MCC in R1; the holder sets a "
         "new PIN twice. The PINs of a key transport card are never unblocked: a "
         "custodian who forgot theirs has the card made again (ktc create). Secrets: "
         "mcc-pin (mk for an MCC), new-pin."));
  if (!cli_desk_command_open (&c, 0, &argc, &argv, &status))
    {
      cli_desk_command_clear (&c);
      return status;
    }
  return run_done (&c, pin_unblock_start, wf_pin_unblock_finish,
                   _ ("The PIN was unblocked and set anew."));
}

int
cli_card_check (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean genuine = FALSE;
  int status;

  cli_desk_command_init (
      &c, "card check",
      _ ("Checks that the CPU card in R2 belongs to this system: the MCC in R1 "
         "computes the card's own key and the card must prove it has it. Exit status "
         "1 for a card that is not genuine. Secrets: mcc-pin."));
  if (cli_desk_command_open (&c, 0, &argc, &argv, &status))
    {
      wf_card_check_async (c.desk, WF_INTERACTION (c.interaction), c.run.cancellable, cli_run_done,
                           &c.run);
      if (wf_card_check_finish (c.desk, cli_run_wait (&c.run), &genuine, &error))
        {
          fprintf (stderr, "%s\n",
                   genuine ? _ ("The card is genuine: it carries this system's keys.")
                           : _ ("The card is NOT genuine: it does not carry this system's keys. "
                                "Keep it and tell the system administrator."));
          printf ("genuine=%s\n", genuine ? "yes" : "no");
        }
      status = cli_desk_command_finish (&c, error);
      if (status == CLI_EXIT_OK && !genuine)
        status = CLI_EXIT_FAILURE;
    }
  cli_desk_command_clear (&c);
  return status;
}

int
cli_login (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  int status;

  cli_desk_command_init (
      &c, "login",
      _ ("Logs in with the administrator or key card in R1 and its PIN, shows who it "
         "is, and logs out again, sealing the audit log with the card. Checks a card "
         "and its PIN. Secrets: operator-pin."));
  if (cli_desk_command_open (&c, 0, &argc, &argv, &status))
    {
      wf_login_async (c.desk, WF_INTERACTION (c.interaction), c.run.cancellable, cli_run_done,
                      &c.run);
      session = wf_login_finish (c.desk, cli_run_wait (&c.run), &error);
      if (session != NULL)
        {
          ClCardRole role = wf_session_get_role (session);

          fprintf (stderr, _ ("Logged in: %s (%s), %s.\n"), wf_session_get_holder_name (session),
                   wf_session_get_staff_number (session),
                   role != CL_ROLE_NONE
                       ? wf_role_describe (role)
                       : cl_card_kind_describe (wf_session_get_card_kind (session)));
          printf ("serial=%s\tholder=%s\tstaff=%s\trole=%s\toffice=%s\ttries-left=%d\n",
                  wf_session_get_serial (session), wf_session_get_holder_name (session),
                  wf_session_get_staff_number (session),
                  role != CL_ROLE_NONE ? wf_role_to_string (role) : "key-card",
                  wf_session_get_office (session), wf_session_get_pin_tries (session));
          g_clear_object (&c.run.result);
          wf_logout_async (c.desk, WF_INTERACTION (c.interaction), NULL, cli_run_done, &c.run);
          wf_logout_finish (c.desk, cli_run_wait (&c.run), &error);
        }
      status = cli_desk_command_finish (&c, error);
    }
  cli_desk_command_clear (&c);
  return status;
}
