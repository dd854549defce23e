/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-deck: the deck (deck.ini + cards/), slots, faults, and the
 * insucard-cardsim executable (docs/card-formats.md, "Deck", "Faults"). */
#include <glib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "cs-card.h"
#include "cs-deck.h"
#include "cs-fault.h"
#include "cs-slot.h"
#include "test-util.h"

typedef struct {
  char *dir;
  CsDeck *deck;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *deckdir = NULL;

  fx->dir = g_dir_make_tmp ("test-sim-deck-XXXXXX", &error);
  g_assert_no_error (error);
  deckdir = g_build_filename (fx->dir, "deck", NULL);
  fx->deck = cs_deck_open (deckdir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->deck);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  cs_deck_free (fx->deck);
  tu_rm_rf_strict (fx->dir);
  g_free (fx->dir);
}

static const guint8 serial_a[CS_SERIAL_LEN] = { 0xA0, 0, 0, 0, 0, 0, 0, 0x01 };

static char *
new_sle (Fixture *fx, const guint8 *serial)
{
  g_autoptr (GError) error = NULL;
  char *path = cs_deck_new_card (fx->deck, CS_CARD_SLE4428, serial, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

static char *
read_ini (Fixture *fx)
{
  g_autofree char *p = g_build_filename (cs_deck_get_dir (fx->deck), "deck.ini", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (p, &text, NULL, NULL));
  return text;
}

/* ---- deck ---------------------------------------------------------------- */

static void
test_new_card (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = new_sle (fx, serial_a);
  g_autofree char *cards = g_build_filename (cs_deck_get_dir (fx->deck), "cards", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = NULL;
  g_autofree char *dup = NULL;

  g_assert_true (g_str_has_prefix (path, cards));
  g_assert_true (g_str_has_suffix (path, "sle4428-A000000000000001.card"));
  card = cs_card_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (cs_card_get_serial (card), CS_SERIAL_LEN, serial_a, CS_SERIAL_LEN);

  dup = cs_deck_new_card (fx->deck, CS_CARD_SLE4428, serial_a, &error);
  g_assert_null (dup);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static void
test_unique_serials (Fixture *fx, gconstpointer data)
{
  g_autoptr (GHashTable) seen =
      g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *path = new_sle (fx, NULL);
      g_autoptr (CsCard) card = cs_card_load (path, &error);

      g_assert_no_error (error);
      g_assert_true (
          g_hash_table_add (seen, g_bytes_new (cs_card_get_serial (card), CS_SERIAL_LEN)));
    }
  list = cs_deck_list_cards (fx->deck, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 20);
}

/* A serial already used by an image under another file name is taken too. */
static void
test_serial_taken_by_other_name (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = new_sle (fx, serial_a);
  g_autofree char *other =
      g_build_filename (cs_deck_get_cards_dir (fx->deck), "renamed.card", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dup = NULL;

  g_assert_cmpint (g_rename (path, other), ==, 0);
  dup = cs_deck_new_card (fx->deck, CS_CARD_SLE4428, serial_a, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static void
test_insert_remove_reload (Fixture *fx, gconstpointer data)
{
  g_autofree char *a = new_sle (fx, serial_a);
  g_autofree char *b = new_sle (fx, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) other = NULL;
  g_autofree char *ini = NULL;
  gboolean changed = TRUE;

  other = cs_deck_open (cs_deck_get_dir (fx->deck), &error);
  g_assert_no_error (error);
  g_assert_null (cs_deck_get_slot_card (other, 0));

  g_assert_true (cs_deck_insert (fx->deck, 1, a, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cs_deck_get_slot_card (fx->deck, 1), ==, a);
  ini = read_ini (fx);
  g_assert_nonnull (strstr (ini, "1=cards/sle4428-A000000000000001.card"));

  g_assert_true (cs_deck_reload (other, &changed, &error));
  g_assert_true (changed);
  g_assert_cmpstr (cs_deck_get_slot_card (other, 1), ==, a);
  g_assert_true (cs_deck_reload (other, &changed, &error));
  g_assert_false (changed);

  /* occupied slot, same card twice, bad slot, not an image */
  g_assert_false (cs_deck_insert (fx->deck, 1, b, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cs_deck_insert (fx->deck, 0, a, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (cs_deck_insert (fx->deck, 2, b, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cs_deck_insert (fx->deck, 0, "/nonexistent.card", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* the other handle's change is seen, not overwritten */
  g_assert_true (cs_deck_insert (other, 0, b, &error));
  g_assert_true (cs_deck_remove (fx->deck, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cs_deck_get_slot_card (fx->deck, 0), ==, b);
  g_assert_null (cs_deck_get_slot_card (fx->deck, 1));
  g_assert_true (cs_deck_remove (fx->deck, 1, &error)); /* idempotent */
  g_assert_true (cs_deck_reload (other, &changed, &error));
  g_assert_true (changed);
  g_assert_null (cs_deck_get_slot_card (other, 1));
}

/* An image outside the deck is stored by absolute path. */
static void
test_insert_outside (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = g_build_filename (fx->dir, "loose.card", NULL);
  g_autoptr (CsCard) card = cs_card_new_sle4428 (serial_a);
  g_autoptr (GError) error = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *want = NULL;

  g_assert_true (cs_card_save (card, out, &error));
  g_assert_true (cs_deck_insert (fx->deck, 0, out, &error));
  g_assert_no_error (error);
  ini = read_ini (fx);
  want = g_strdup_printf ("0=%s", out);
  g_assert_nonnull (strstr (ini, want));
  g_assert_cmpstr (cs_deck_get_slot_card (fx->deck, 0), ==, out);
}

/* ---- slots --------------------------------------------------------------- */

static guint16
slot_xfer (CsSlot *slot, const char *hex, CsSlotResult want, GByteArray **reply)
{
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  g_autoptr (GByteArray) c = g_byte_array_new ();
  CsSlotResult got;
  gsize rlen = 99;

  for (const char *p = hex; *p; p++)
    if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
      {
        guint8 b = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
        g_byte_array_append (c, &b, 1);
        p++;
      }
  got = cs_slot_transmit (slot, c->data, c->len, r, &rlen);
  g_assert_cmpint (got, ==, want);
  if (reply)
    {
      *reply = g_byte_array_new ();
      g_byte_array_append (*reply, r, rlen);
    }
  if (got != CS_SLOT_REPLY)
    {
      g_assert_cmpuint (rlen, ==, 0);
      return 0;
    }
  if (rlen < 2)
    return 0;
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

static CsSlot *
slot_with_card (Fixture *fx, guint index, char **path_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = new_sle (fx, NULL);
  CsSlot *slot = cs_slot_new (fx->deck, index);
  gboolean changed = FALSE;

  g_assert_true (cs_deck_insert (fx->deck, index, path, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_true (cs_slot_has_card (slot));
  cs_slot_power (slot, CS_POWER_ON);
  if (path_out)
    *path_out = g_steal_pointer (&path);
  return slot;
}

static guint8
image_byte (const char *path, guint addr)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = cs_card_load (path, &error);
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  guint8 select[] = { 0xFF, 0xA4, 0, 0, 1, 5 };
  guint8 read[] = { 0xFF, 0xB0, addr >> 8, addr & 0xFF, 1 };

  g_assert_no_error (error);
  g_assert_cmpuint (cs_card_transmit (card, select, sizeof select, r), ==, 2);
  g_assert_cmpuint (cs_card_transmit (card, read, sizeof read, r), ==, 3);
  return r[0];
}

static void
test_slot_follow_deck (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsSlot) slot = cs_slot_new (fx->deck, 1);
  g_autofree char *path = new_sle (fx, serial_a);
  g_autoptr (GBytes) atr = NULL;
  gboolean changed = TRUE;

  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_false (changed);
  g_assert_false (cs_slot_has_card (slot));
  g_assert_null (cs_slot_get_atr (slot));
  g_assert_cmpuint (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_EMPTY, NULL), ==, 0);

  g_assert_true (cs_deck_insert (fx->deck, 1, path, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_true (changed);
  g_assert_cmpuint (cs_slot_get_generation (slot), ==, 1);
  atr = cs_slot_get_atr (slot);
  g_assert_cmpuint (g_bytes_get_size (atr), ==, 6);
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_false (changed);

  /* writes land in the image at once */
  cs_slot_power (slot, CS_POWER_ON);
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmphex (slot_xfer (slot, "FF 20 00 00 02 FF FF", CS_SLOT_REPLY, NULL), ==, 0x90FF);
  g_assert_cmphex (slot_xfer (slot, "FF D0 00 40 01 5A", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmphex (image_byte (path, 0x40), ==, 0x5A);
  /* a power event resets the volatile state */
  cs_slot_power (slot, CS_POWER_RESET);
  g_assert_cmphex (slot_xfer (slot, "FF D0 00 40 01 5B", CS_SLOT_REPLY, NULL), ==, 0x6985);

  /* out and in again: a new insertion */
  g_assert_true (cs_deck_remove (fx->deck, 1, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_true (changed);
  g_assert_false (cs_slot_has_card (slot));
  g_assert_true (cs_deck_insert (fx->deck, 1, path, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_true (changed);
  g_assert_cmpuint (cs_slot_get_generation (slot), ==, 2);
  g_assert_nonnull (cs_slot_get_card (slot));
}

static void
test_slot_bad_image (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = new_sle (fx, serial_a);
  g_autoptr (CsSlot) slot = cs_slot_new (fx->deck, 0);
  g_autoptr (GError) error = NULL;
  gboolean changed;

  g_assert_true (cs_deck_insert (fx->deck, 0, path, &error));
  g_assert_true (g_file_set_contents (path, "[card]\nformat=9\n", -1, NULL));
  g_assert_false (cs_slot_sync (slot, &changed, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (cs_slot_has_card (slot));
  /* reported once, not on every poll */
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_no_error (error);
}

/* ---- faults -------------------------------------------------------------- */

static void
test_fault_parse (void)
{
  g_autoptr (GError) error = NULL;
  CsFaults f;

  cs_faults_init (&f);
  g_assert_false (cs_faults_any (&f));
  g_assert_true (cs_faults_parse (&f,
                                  "pull-after=3; tear-write=0;garbage-after=2;"
                                  "short-after=4;delay-ms=10",
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (f.pull_after, ==, 3);
  g_assert_cmpint (f.tear_write, ==, 0);
  g_assert_cmpint (f.garbage_after, ==, 2);
  g_assert_cmpint (f.short_after, ==, 4);
  g_assert_cmpuint (f.delay_ms, ==, 10);
  g_assert_true (cs_faults_any (&f));

  /* all or nothing */
  cs_faults_init (&f);
  g_assert_false (cs_faults_parse (&f, "pull-after=3;explode=1", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (f.pull_after, ==, 0);
  g_assert_false (cs_faults_parse (&f, "pull-after=x", &error));
  g_clear_error (&error);
  g_assert_false (cs_faults_parse (&f, "pull-after=-1", &error));
  g_clear_error (&error);
  g_assert_false (cs_faults_parse (&f, "pull-after", &error));
  g_clear_error (&error);
  g_assert_true (cs_faults_parse (&f, "", &error));
  g_assert_false (cs_faults_any (&f));
}

static void
test_fault_keyfile_env (void)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  CsFaults f;

  g_key_file_set_integer (kf, "faults.slot1", "pull-after", 5);
  g_key_file_set_integer (kf, "faults.slot1", "short-after", 2);
  cs_faults_init (&f);
  cs_faults_from_keyfile (&f, kf, 0);
  g_assert_false (cs_faults_any (&f));
  cs_faults_from_keyfile (&f, kf, 1);
  g_assert_cmpint (f.pull_after, ==, 5);
  g_assert_cmpint (f.short_after, ==, 2);

  g_setenv ("INSUCARD_SIM_FAULTS_SLOT1", "pull-after=2", TRUE);
  cs_faults_from_env (&f, 1);
  g_assert_cmpint (f.pull_after, ==, 2); /* the environment wins */
  g_assert_cmpint (f.short_after, ==, 2);
  g_unsetenv ("INSUCARD_SIM_FAULTS_SLOT1");
}

static void
set_faults (Fixture *fx, guint slot, const char *spec)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_deck_set_faults (fx->deck, slot, spec, &error));
  g_assert_no_error (error);
}

static gboolean
ini_has (Fixture *fx, const char *needle)
{
  g_autofree char *ini = read_ini (fx);

  return strstr (ini, needle) != NULL;
}

static void
test_fault_pull_after (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (CsSlot) slot = slot_with_card (fx, 0, &path);
  g_autoptr (GError) error = NULL;
  gboolean changed;

  set_faults (fx, 0, "pull-after=3");
  g_assert_true (ini_has (fx, "pull-after=3"));
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmphex (slot_xfer (slot, "FF 20 00 00 02 FF FF", CS_SLOT_REPLY, NULL), ==, 0x90FF);
  /* the third APDU is neither executed nor answered */
  slot_xfer (slot, "FF D0 00 40 01 5A", CS_SLOT_REMOVED, NULL);
  g_assert_false (cs_slot_has_card (slot));
  g_assert_cmphex (image_byte (path, 0x40), ==, 0xFF);
  g_assert_null (cs_deck_get_slot_card (fx->deck, 0));
  g_assert_false (ini_has (fx, "pull-after"));
  slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_EMPTY, NULL);
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_false (changed);

  /* one-shot: in again, no pull */
  g_assert_true (cs_deck_insert (fx->deck, 0, path, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  for (guint i = 0; i < 5; i++)
    g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
}

static void
test_fault_tear_write (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (CsSlot) slot = slot_with_card (fx, 1, &path);
  g_autoptr (GError) error = NULL;

  set_faults (fx, 1, "tear-write=3");
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmphex (slot_xfer (slot, "FF 20 00 00 02 FF FF", CS_SLOT_REPLY, NULL), ==, 0x90FF);
  g_assert_cmphex (slot_xfer (slot, "FF B0 00 40 08", CS_SLOT_REPLY, NULL), ==, 0x9000);
  slot_xfer (slot, "FF D0 00 40 08 01 02 03 04 05 06 07 08", CS_SLOT_REMOVED, NULL);
  g_assert_false (cs_slot_has_card (slot));
  g_assert_null (cs_deck_get_slot_card (fx->deck, 1));
  g_assert_false (ini_has (fx, "tear-write"));
  /* exactly three bytes landed, and were saved */
  g_assert_cmphex (image_byte (path, 0x40), ==, 0x01);
  g_assert_cmphex (image_byte (path, 0x41), ==, 0x02);
  g_assert_cmphex (image_byte (path, 0x42), ==, 0x03);
  g_assert_cmphex (image_byte (path, 0x43), ==, 0xFF);
  g_assert_cmphex (image_byte (path, 0x47), ==, 0xFF);
}

static void
test_fault_tear_zero (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (CsSlot) slot = slot_with_card (fx, 0, &path);

  set_faults (fx, 0, "tear-write=0");
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmphex (slot_xfer (slot, "FF 20 00 00 02 FF FF", CS_SLOT_REPLY, NULL), ==, 0x90FF);
  slot_xfer (slot, "FF D1 00 40 01 FF", CS_SLOT_REMOVED, NULL);
  g_assert_cmphex (image_byte (path, 0x40), ==, 0xFF);
}

static void
test_fault_garbage (Fixture *fx, gconstpointer data)
{
  g_autoptr (CsSlot) slot = slot_with_card (fx, 0, NULL);
  g_autoptr (GByteArray) reply = NULL;

  set_faults (fx, 0, "garbage-after=2;delay-ms=1");
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  slot_xfer (slot, "FF B0 00 00 10", CS_SLOT_REPLY, &reply);
  g_assert_cmpuint (reply->len, ==, 18);
  g_assert_cmpuint (reply->data[16] >> 4, !=, 0x6);
  g_assert_cmpuint (reply->data[16] >> 4, !=, 0x9);
  g_assert_false (ini_has (fx, "garbage-after"));
  g_assert_true (ini_has (fx, "delay-ms=1")); /* not an event: stays */
  g_assert_cmphex (slot_xfer (slot, "FF B0 00 00 10", CS_SLOT_REPLY, NULL), ==, 0x9000);
}

static void
test_fault_short (Fixture *fx, gconstpointer data)
{
  g_autoptr (CsSlot) slot = slot_with_card (fx, 1, NULL);
  g_autoptr (GByteArray) reply = NULL;

  set_faults (fx, 1, "short-after=1");
  slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, &reply);
  g_assert_cmpuint (reply->len, ==, 1);
  g_assert_cmphex (reply->data[0], ==, 0x90);
  g_assert_false (ini_has (fx, "short-after"));
  g_assert_cmphex (slot_xfer (slot, "FF B0 00 00 10", CS_SLOT_REPLY, NULL), ==, 0x9000);
}

static void
test_fault_delay (Fixture *fx, gconstpointer data)
{
  g_autoptr (CsSlot) slot = slot_with_card (fx, 0, NULL);
  gint64 t0;

  set_faults (fx, 0, "delay-ms=60");
  t0 = g_get_monotonic_time ();
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 60000);
}

static void
test_fault_other_slot (Fixture *fx, gconstpointer data)
{
  g_autoptr (CsSlot) slot = slot_with_card (fx, 0, NULL);

  set_faults (fx, 1, "pull-after=1");
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_assert_true (ini_has (fx, "pull-after=1"));
}

static void
test_fault_env (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (CsSlot) slot = slot_with_card (fx, 1, &path);
  g_autoptr (GError) error = NULL;
  gboolean changed;

  set_faults (fx, 1, "pull-after=5");
  g_setenv ("INSUCARD_SIM_FAULTS_SLOT1", "pull-after=2", TRUE);
  g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REMOVED, NULL);
  /* the environment's fault fired; it cannot be cleared, but is spent */
  g_assert_true (cs_deck_insert (fx->deck, 1, path, &error));
  g_assert_true (cs_slot_sync (slot, &changed, &error));
  g_assert_true (changed);
  for (guint i = 0; i < 6; i++)
    g_assert_cmphex (slot_xfer (slot, "FF A4 00 00 01 05", CS_SLOT_REPLY, NULL), ==, 0x9000);
  g_unsetenv ("INSUCARD_SIM_FAULTS_SLOT1");
}

/* ---- insucard-cardsim ------------------------------------------------------ */

static int
run_cardsim (const char *deck_env, char **out, char **err, ...)
{
  const char *exe = g_getenv ("INSUCARD_CARDSIM");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) exe);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  envp = deck_env ? g_environ_setenv (envp, "INSUCARD_SIM_DECK", deck_env, TRUE)
                  : g_environ_unsetenv (envp, "INSUCARD_SIM_DECK");
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture *fx, gconstpointer data)
{
  const char *deck = cs_deck_get_dir (fx->deck);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  gboolean changed;

  if (g_getenv ("INSUCARD_CARDSIM") == NULL)
    {
      g_test_skip ("INSUCARD_CARDSIM not set");
      return;
    }

  g_assert_cmpint (run_cardsim (NULL, &out, &err, "new", "sle4428", "--serial", "0102030405060708",
                                "--deck", deck, NULL),
                   ==, 0);
  path = g_strdup (g_strstrip (out));
  g_assert_true (g_str_has_suffix (path, "sle4428-0102030405060708.card"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* same serial again: a failure, not a usage error */
  g_assert_cmpint (run_cardsim (NULL, &out, &err, "new", "sle4428", "--serial", "0102030405060708",
                                "--deck", deck, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cardsim (NULL, &out, &err, "insert", "1", path, "--deck", deck, NULL), ==,
                   0);
  g_assert_true (cs_deck_reload (fx->deck, &changed, &error));
  g_assert_true (changed);
  g_assert_cmpstr (cs_deck_get_slot_card (fx->deck, 1), ==, path);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the deck from the environment */
  g_assert_cmpint (run_cardsim (deck, &out, &err, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "slot 0: empty"));
  g_assert_nonnull (strstr (out, "slot 1: "));
  g_assert_nonnull (strstr (out, "0102030405060708"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cardsim (NULL, &out, &err, "show", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "** **"));
  g_assert_nonnull (strstr (out, "8 of 8 tries left"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cardsim (deck, &out, &err, "fault", "1", "pull-after=4", NULL), ==, 0);
  g_assert_true (ini_has (fx, "pull-after=4"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "fault", "1", "bogus=4", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cardsim (deck, &out, &err, "remove", "1", NULL), ==, 0);
  g_assert_true (cs_deck_reload (fx->deck, &changed, &error));
  g_assert_true (changed);
  g_assert_null (cs_deck_get_slot_card (fx->deck, 1));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a new card lands in $INSUCARD_SIM_DECK without --deck */
  g_assert_cmpint (run_cardsim (deck, &out, &err, "new", "sle4428", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, deck));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* usage errors: 2; failures: 1 */
  g_assert_cmpint (run_cardsim (deck, &out, &err, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "frobnicate", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "new", "floppy", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "new", "sle4428", "--serial", "12", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "insert", "7", path, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "remove", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "serve", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "show", "/nonexistent.card", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cardsim (deck, &out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "serve --deck DIR --vpcd HOST:PORT"));
}

#define ADD(name, fn) g_test_add ((name), Fixture, NULL, fixture_set_up, (fn), fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("INSUCARD_SIM_FAULTS_SLOT0");
  g_unsetenv ("INSUCARD_SIM_FAULTS_SLOT1");

  ADD ("/sim/deck/new-card", test_new_card);
  ADD ("/sim/deck/unique-serials", test_unique_serials);
  ADD ("/sim/deck/serial-taken-by-other-name", test_serial_taken_by_other_name);
  ADD ("/sim/deck/insert-remove-reload", test_insert_remove_reload);
  ADD ("/sim/deck/insert-outside", test_insert_outside);
  ADD ("/sim/deck/slot-follow-deck", test_slot_follow_deck);
  ADD ("/sim/deck/slot-bad-image", test_slot_bad_image);
  g_test_add_func ("/sim/deck/fault-parse", test_fault_parse);
  g_test_add_func ("/sim/deck/fault-keyfile-env", test_fault_keyfile_env);
  ADD ("/sim/deck/fault-pull-after", test_fault_pull_after);
  ADD ("/sim/deck/fault-tear-write", test_fault_tear_write);
  ADD ("/sim/deck/fault-tear-zero", test_fault_tear_zero);
  ADD ("/sim/deck/fault-garbage", test_fault_garbage);
  ADD ("/sim/deck/fault-short", test_fault_short);
  ADD ("/sim/deck/fault-delay", test_fault_delay);
  ADD ("/sim/deck/fault-other-slot", test_fault_other_slot);
  ADD ("/sim/deck/fault-env", test_fault_env);
  ADD ("/sim/deck/cli", test_cli);
  return g_test_run ();
}
