/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sle4428-economy.c: writing and protecting only what differs
 * (docs/card-formats.md, "Writing only what differs"): the plan's rule,
 * then the driver against the simulated card, with the bytes and cycles
 * the card counted read back from its image. */
#include "config.h"

#include "cl-sle4428.h"
#include "cs-card.h"
#include "sim-test-util.h"

static const guint8 serial[8] = { 0x51, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A };

typedef struct {
  Fixture f;
  char *path; /* the card's image */
} Eco;

static void
setup (Eco *e, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) psc = cl_key_new_from_data ((const guint8 *) "\xFF\xFF", 2);

  tu_sim_open (&e->f);
  e->path = tu_sim_new_card (&e->f, 1, CS_CARD_SLE4428, serial);
  e->f.card = tu_connect (e->f.ctx, CL_SIM_READER_R2);
  g_assert_true (cl_sle4428_present_psc (e->f.card, psc, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
teardown (Eco *e, gconstpointer data)
{
  tu_sim_close (&e->f);
  g_free (e->path);
}

static CsSle4428Wear
wear_of (Eco *e)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = cs_card_load (e->path, &error);
  CsSle4428Wear w;

  g_assert_no_error (error);
  g_assert_true (cs_card_get_sle4428_wear (card, &w));
  return w;
}

static guint
byte_writes (Eco *e, guint addr)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = cs_card_load (e->path, &error);

  g_assert_no_error (error);
  return cs_card_get_sle4428_byte_writes (card, addr);
}

static guint8 *
read_card (Eco *e, guint addr, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = cl_sle4428_read (e->f.card, addr, len, NULL, &error);

  g_assert_no_error (error);
  return g_bytes_unref_to_data (g_steal_pointer (&b), &len);
}

/* The plan as "addr+len addr+len …". */
static char *
plan_str (GArray *runs)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      const ClSle4428Run *r = &g_array_index (runs, ClSle4428Run, i);

      g_string_append_printf (s, "%s%03X+%u", i ? " " : "", r->addr, r->len);
    }
  g_array_unref (runs);
  return g_string_free (s, FALSE);
}

/* wanted differs from an all-FF current exactly where pattern has 'x'. */
static char *
plan_pattern (guint addr, const char *pattern, guint chunk)
{
  gsize n = strlen (pattern);
  g_autofree guint8 *wanted = g_malloc (n + 1);
  g_autofree guint8 *current = g_malloc (n + 1);

  memset (current, 0xFF, n);
  for (gsize i = 0; i < n; i++)
    wanted[i] = pattern[i] == 'x' ? 0x00 : 0xFF;
  return plan_str (cl_sle4428_plan_writes (addr, wanted, current, n, chunk));
}

static void
test_plan_rule (void)
{
  struct {
    const char *pattern;
    guint chunk;
    const char *plan;
  } cases[] = {
    { "....", 255, "" },
    { ".x..", 255, "011+1" },
    { "xx.xx", 255, "010+5" }, /* gap 1: one APDU instead of two */
    { "xx..xx", 255, "010+6" }, /* gap 2 (CL_SLE4428_COALESCE_GAP) */
    { "xx...xx", 255, "010+2 015+2" }, /* gap 3: the gap bytes are not worth it */
    { "xxxx..xxxx", 4, "010+4 016+4" }, /* merged would take 3 APDUs of 4 */
    { "xx.x.", 4, "010+4" }, /* exactly one chunk */
    { "xxx.x", 4, "010+3 014+1" }, /* 5 bytes take 2 APDUs of 4 either way */
    { "x.x.x.x", 2, "010+1 012+1 014+1 016+1" }, /* never more APDUs than apart */
    { "xxx.x.x", 3, "010+3 014+3" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = plan_pattern (0x010, cases[i].pattern, cases[i].chunk);

      g_test_message ("%s chunk %u", cases[i].pattern, cases[i].chunk);
      g_assert_cmpstr (got, ==, cases[i].plan);
    }
}

static void
test_plan_long (void)
{
  g_autofree char *pattern = g_strnfill (600, 'x');
  g_autofree char *run = g_strnfill (250, 'x');
  g_autofree char *almost = g_strconcat (run, "..xxx", NULL);
  g_autofree char *over = NULL;
  g_autofree char *p1 = plan_pattern (0x010, pattern, 255);
  g_autofree char *p2 = plan_pattern (0x000, almost, 255);
  g_autofree char *p3 = NULL;
  gboolean prot[8] = { TRUE, FALSE, FALSE, TRUE, FALSE, TRUE, TRUE, TRUE };

  g_assert_cmpstr (p1, ==, "010+255 10F+255 20E+90");
  /* 250 + 2 + 3 = 255 bytes: one APDU. */
  g_assert_cmpstr (p2, ==, "000+255");
  g_free (almost);
  /* 251 + 2 + 3 = 256: two APDUs either way, so the gap is not sent. */
  over = g_strnfill (251, 'x');
  almost = g_strconcat (over, "..xxx", NULL);
  g_free (p2);
  p2 = plan_pattern (0x000, almost, 255);
  g_assert_cmpstr (p2, ==, "000+251 0FD+3");

  /* Protection: the bytes still writable; a protected byte in a gap is
   * compared again, which is harmless. */
  p3 = plan_str (cl_sle4428_plan_protect (0x010, prot, 8, 255));
  g_assert_cmpstr (p3, ==, "011+4");
}

/* A realistic first write: 0x010-0x3AF on a blank card, about a fifth of
 * it data and the rest left FF. */
static void
fill_wanted (guint8 *w, gsize n)
{
  memset (w, 0xFF, n);
  for (gsize i = 0; i < 0xA0; i++)
    w[i] = (i * 37 + 11) & 0xFF; /* never FF for these i */
  w[0x6C] = 0xFF; /* a gap of 1 */
}

static void
test_write_changes (Eco *e, gconstpointer data)
{
  const guint addr = 0x010, len = 0x3A0;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *wanted = g_malloc (len);
  g_autofree guint8 *current = NULL;
  g_autofree guint8 *back = NULL;
  CsSle4428Wear w;
  guint apdus = 99, ff_bytes = 0;
  gsize bytes = 99;

  fill_wanted (wanted, len);
  for (guint i = 0; i < 0xA0; i++)
    ff_bytes += wanted[i] == 0xFF;
  g_assert_cmpuint (ff_bytes, ==, 1);

  current = read_card (e, addr, len);
  g_assert_true (cl_sle4428_write_changes (e->f.card, addr, wanted, current, len, &apdus, &bytes,
                                           NULL, &error));
  g_assert_no_error (error);
  /* 160 bytes in one APDU: the FF inside is sent too (gap 1). */
  g_assert_cmpuint (apdus, ==, 1);
  g_assert_cmpuint (bytes, ==, 0xA0);
  back = read_card (e, addr, len);
  g_assert_cmpmem (back, len, wanted, len);
  w = wear_of (e);
  g_assert_cmpuint (w.bytes_written, ==, 0xA0);
  /* From FF every value only clears bits: write-only cycles. */
  g_assert_cmpuint (w.write_only_cycles, ==, 0xA0);
  g_assert_cmpuint (w.erase_write_cycles, ==, 0);
  for (guint a = 0; a < CL_SLE4428_SIZE; a++)
    g_assert_cmpuint (byte_writes (e, a), ==, a >= addr && a < addr + 0xA0 ? 1 : 0);

  /* The same data again: nothing is sent, not even the card-type
   * selection (an APDU now would pull the card). */
  tu_sim_arm_fault (&e->f, 1, "pull-after=1");
  g_assert_true (
      cl_sle4428_write_changes (e->f.card, addr, wanted, back, len, &apdus, &bytes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 0);
  g_assert_cmpuint (bytes, ==, 0);
  w = wear_of (e);
  g_assert_cmpuint (w.bytes_written, ==, 0xA0);
  tu_sim_arm_fault (&e->f, 1, "");
}

static void
test_write_changes_partial (Eco *e, gconstpointer data)
{
  const guint addr = 0x010, len = 0x3A0;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *wanted = g_malloc (len);
  g_autofree guint8 *current = NULL;
  CsSle4428Wear w;
  guint apdus = 0, erases = 0;
  gsize bytes = 0;

  fill_wanted (wanted, len);
  current = read_card (e, addr, len);
  g_assert_true (
      cl_sle4428_write_changes (e->f.card, addr, wanted, current, len, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_free (current);
  current = read_card (e, addr, len);

  /* Three changes: 0x0A0-0x0A3 (status), 0x0A5 (gap 1: merged) and 0x200
   * (far away: its own APDU).  0x00 -> 0x01 needs an erase. */
  for (guint i = 0x90; i < 0x94; i++)
    wanted[i] = 0x00;
  wanted[0x95] = 0x01;
  wanted[0x1F0] = 0x5A;
  cl_sle4428_set_chunk_size (e->f.card, 16);
  g_assert_true (cl_sle4428_write_changes (e->f.card, addr, wanted, current, len, &apdus, &bytes,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 2);
  g_assert_cmpuint (bytes, ==, 7);
  w = wear_of (e);
  g_assert_cmpuint (w.bytes_written, ==, 0xA0 + 7);
  /* A byte costs an erase when a bit goes 0 -> 1. */
  for (guint i = 0x90; i <= 0x95; i++)
    erases += (wanted[i] & ~current[i]) != 0;
  erases += (wanted[0x1F0] & ~current[0x1F0]) != 0;
  g_assert_cmpuint (erases, >, 0);
  g_assert_cmpuint (w.erase_write_cycles, ==, erases);
  g_assert_cmpuint (w.write_only_cycles, ==, 0xA0 + 7 - erases);
  g_assert_cmpuint (byte_writes (e, 0xA0), ==, 2);
  g_assert_cmpuint (byte_writes (e, 0xA4), ==, 2); /* the gap byte, unchanged */
  g_assert_cmpuint (byte_writes (e, 0x200), ==, 1);
  g_assert_cmpuint (byte_writes (e, 0x1FF), ==, 0);
}

static void
test_write_changes_chunks (Eco *e, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 wanted[100], current[100];
  guint apdus = 0;

  memset (current, 0xFF, sizeof current);
  memset (wanted, 0x3C, sizeof wanted);
  cl_sle4428_set_chunk_size (e->f.card, 0x20);
  g_assert_true (cl_sle4428_write_changes (e->f.card, 0x100, wanted, current, sizeof wanted, &apdus,
                                           NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 4); /* 32 + 32 + 32 + 4 */
  g_assert_cmpuint (wear_of (e).bytes_written, ==, 100);
}

static void
test_protect_changes (Eco *e, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *current = NULL;
  guint8 block[16];
  gboolean prot[16];
  guint apdus = 99;

  for (guint i = 0; i < 16; i++)
    block[i] = 0x10 + i;
  current = read_card (e, 0x010, 16);
  g_assert_true (
      cl_sle4428_write_changes (e->f.card, 0x010, block, current, 16, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cl_sle4428_read_protection (e->f.card, 0x010, 16, prot, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      cl_sle4428_protect_changes (e->f.card, 0x010, block, prot, 16, &apdus, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 1);
  g_assert_cmpuint (wear_of (e).protect_bits_set, ==, 16);

  /* Protected already: nothing is sent. */
  g_assert_true (cl_sle4428_read_protection (e->f.card, 0x010, 16, prot, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    g_assert_true (prot[i]);
  tu_sim_arm_fault (&e->f, 1, "pull-after=1");
  g_assert_true (
      cl_sle4428_protect_changes (e->f.card, 0x010, block, prot, 16, &apdus, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 0);
  tu_sim_arm_fault (&e->f, 1, "");
  g_assert_cmpuint (wear_of (e).protect_bits_set, ==, 16);
}

static void
test_protect_mismatch (Eco *e, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 block[4] = { 1, 2, 3, 4 };
  gboolean prot[4] = { FALSE, FALSE, FALSE, FALSE };

  /* The card still holds FF: nothing compares, nothing is protected. */
  g_assert_false (
      cl_sle4428_protect_changes (e->f.card, 0x040, block, prot, 4, NULL, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_WRITE_PROTECTED);
  g_assert_cmpuint (wear_of (e).protect_bits_set, ==, 0);
}

int
main (int argc, char **argv)
{
  cl_secure_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sle4428/economy/plan-rule", test_plan_rule);
  g_test_add_func ("/sle4428/economy/plan-long", test_plan_long);
#define ADD(path, fn) g_test_add (path, Eco, NULL, setup, fn, teardown)
  ADD ("/sle4428/economy/write-changes", test_write_changes);
  ADD ("/sle4428/economy/write-changes-partial", test_write_changes_partial);
  ADD ("/sle4428/economy/write-changes-chunks", test_write_changes_chunks);
  ADD ("/sle4428/economy/protect-changes", test_protect_changes);
  ADD ("/sle4428/economy/protect-mismatch", test_protect_mismatch);
#undef ADD
  return g_test_run ();
}
