/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-deck.c: DECK/deck.ini (which card is in which slot, pending faults,
 * unplugged readers and their order)
 * and DECK/cards/ (the images).  Several processes share a deck, so every
 * read-modify-write of deck.ini holds an flock on DECK/.lock and replaces the
 * file atomically. */
#include "cs-deck.h"
#include "cs-fault.h"
#include "cl-codec.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct _CsDeck {
  char *dir; /* absolute */
  char *cards_dir; /* DIR/cards */
  char *ini_path; /* DIR/deck.ini */
  char *lock_path; /* DIR/.lock */
  GKeyFile *kf;
  char *ini_text; /* deck.ini as last read or written */
  char *slot_card[CS_DECK_SLOTS]; /* absolute image path, NULL = empty */
  gboolean unplugged[CS_DECK_SLOTS]; /* [readers] unplugged */
  CsReaderOrder order; /* [readers] order */
};

static char *
slot_key (guint slot)
{
  return g_strdup_printf ("%u", slot);
}

/* deck.ini stores paths relative to the deck when the image is inside it, so
 * a deck directory can be moved or copied whole. */
static char *
resolve_path (CsDeck *deck, const char *value)
{
  if (value == NULL || *value == '\0')
    return NULL;
  return g_canonicalize_filename (value, deck->dir);
}

static char *
relative_path (CsDeck *deck, const char *abs)
{
  g_autofree char *prefix = g_strconcat (deck->dir, G_DIR_SEPARATOR_S, NULL);

  if (g_str_has_prefix (abs, prefix))
    return g_strdup (abs + strlen (prefix));
  return g_strdup (abs);
}

/* ---- locking and deck.ini I/O ------------------------------------------ */

static int
deck_lock (CsDeck *deck, GError **error)
{
  int fd = open (deck->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", deck->lock_path,
                   g_strerror (saved));
      return -1;
    }
  while (flock (fd, LOCK_EX) < 0 && errno == EINTR)
    ;
  return fd;
}

static void
deck_unlock (int fd)
{
  if (fd >= 0)
    close (fd); /* drops the flock */
}

/* [readers]: a bad value is logged and ignored, as a bad fault key is. */
static void
parse_readers (CsDeck *deck, GKeyFile *kf)
{
  g_autofree char *list = g_key_file_get_string (kf, "readers", "unplugged", NULL);
  g_autofree char *order = g_key_file_get_string (kf, "readers", "order", NULL);
  g_auto (GStrv) items = NULL;

  memset (deck->unplugged, 0, sizeof deck->unplugged);
  items = list ? g_strsplit_set (list, ";,", -1) : NULL;
  for (guint i = 0; items && items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      guint64 slot;

      if (*item == '\0')
        continue;
      if (g_ascii_string_to_unsigned (item, 10, 0, CS_DECK_SLOTS - 1, &slot, NULL))
        deck->unplugged[slot] = TRUE;
      else
        g_message ("deck.ini [readers] unplugged: no slot “%s” (ignored)", item);
    }
  deck->order = CS_READER_ORDER_NORMAL;
  if (order && !cs_reader_order_from_string (g_strstrip (order), &deck->order))
    g_message ("deck.ini [readers] order: “%s” is not normal or reversed (ignored)", order);
}

static void
apply_text (CsDeck *deck, GKeyFile *kf, char *text, gboolean *changed)
{
  gboolean any = FALSE;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      g_autofree char *key = slot_key (i);
      g_autofree char *value = g_key_file_get_string (kf, "slots", key, NULL);
      char *path = resolve_path (deck, value ? g_strstrip (value) : NULL);

      if (g_strcmp0 (path, deck->slot_card[i]) != 0)
        any = TRUE;
      g_free (deck->slot_card[i]);
      deck->slot_card[i] = path;
    }
  parse_readers (deck, kf);
  g_key_file_ref (kf); /* kf may be deck->kf itself */
  g_key_file_unref (deck->kf);
  deck->kf = kf;
  g_free (deck->ini_text);
  deck->ini_text = text;
  if (changed)
    *changed = any;
}

/* Reads deck.ini (a missing file is an empty deck). */
static gboolean
read_ini (CsDeck *deck, gboolean *changed, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  char *text = NULL;
  gsize length = 0;

  if (changed)
    *changed = FALSE;
  if (!g_file_get_contents (deck->ini_path, &text, &length, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      text = g_strdup ("");
      length = 0;
    }
  if (deck->ini_text && strcmp (text, deck->ini_text) == 0)
    {
      g_free (text);
      return TRUE; /* nothing changed since we last looked */
    }
  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_KEEP_COMMENTS, error))
    {
      g_prefix_error (error, "%s: ", deck->ini_path);
      g_free (text);
      return FALSE;
    }
  apply_text (deck, kf, text, changed);
  return TRUE;
}

static gboolean
write_ini (CsDeck *deck, GError **error)
{
  gsize length;
  char *text;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      g_autofree char *key = slot_key (i);

      if (!g_key_file_has_key (deck->kf, "slots", key, NULL))
        g_key_file_set_string (deck->kf, "slots", key, "");
    }
  text = g_key_file_to_data (deck->kf, &length, NULL);
  if (!g_file_set_contents_full (deck->ini_path, text, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644,
                                 error))
    {
      g_free (text);
      return FALSE;
    }
  apply_text (deck, deck->kf, text, NULL);
  return TRUE;
}

/* ---- public ------------------------------------------------------------ */

CsDeck *
cs_deck_open (const char *dir, GError **error)
{
  g_autoptr (CsDeck) deck = g_new0 (CsDeck, 1);

  g_return_val_if_fail (dir != NULL, NULL);

  deck->dir = g_canonicalize_filename (dir, NULL);
  deck->cards_dir = g_build_filename (deck->dir, "cards", NULL);
  deck->ini_path = g_build_filename (deck->dir, "deck.ini", NULL);
  deck->lock_path = g_build_filename (deck->dir, ".lock", NULL);
  deck->kf = g_key_file_new ();
  if (g_mkdir_with_parents (deck->cards_dir, 0755) < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", deck->cards_dir,
                   g_strerror (saved));
      return NULL;
    }
  if (!read_ini (deck, NULL, error))
    return NULL;
  return g_steal_pointer (&deck);
}

const char *
cs_deck_get_dir (CsDeck *deck)
{
  return deck->dir;
}

const char *
cs_deck_get_cards_dir (CsDeck *deck)
{
  return deck->cards_dir;
}

gboolean
cs_deck_reload (CsDeck *deck, gboolean *changed, GError **error)
{
  g_return_val_if_fail (deck != NULL, FALSE);
  return read_ini (deck, changed, error);
}

const char *
cs_deck_get_slot_card (CsDeck *deck, guint slot)
{
  g_return_val_if_fail (deck != NULL, NULL);
  g_return_val_if_fail (slot < CS_DECK_SLOTS, NULL);
  return deck->slot_card[slot];
}

GKeyFile *
cs_deck_get_keyfile (CsDeck *deck)
{
  return deck->kf;
}

gboolean
cs_deck_save (CsDeck *deck, GError **error)
{
  int fd;
  gboolean ok;

  g_return_val_if_fail (deck != NULL, FALSE);

  fd = deck_lock (deck, error);
  if (fd < 0)
    return FALSE;
  ok = write_ini (deck, error);
  deck_unlock (fd);
  return ok;
}

typedef gboolean (*DeckEdit) (CsDeck *deck, gpointer data, GError **error);

/* Lock, re-read, edit, write: another process's change is never lost. */
static gboolean
deck_update (CsDeck *deck, DeckEdit edit, gpointer data, GError **error)
{
  int fd = deck_lock (deck, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = read_ini (deck, NULL, error) && edit (deck, data, error) && write_ini (deck, error);
  deck_unlock (fd);
  return ok;
}

static gboolean
check_slot (guint slot, GError **error)
{
  if (slot < CS_DECK_SLOTS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no slot %u (slots are 0 and 1)",
               slot);
  return FALSE;
}

typedef struct {
  guint slot;
  const char *path; /* absolute */
} InsertData;

static gboolean
edit_insert (CsDeck *deck, gpointer data, GError **error)
{
  InsertData *d = data;
  g_autofree char *key = slot_key (d->slot);
  g_autofree char *rel = NULL;

  if (deck->slot_card[d->slot])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "slot %u already holds %s", d->slot,
                   deck->slot_card[d->slot]);
      return FALSE;
    }
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (g_strcmp0 (deck->slot_card[i], d->path) == 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s is already in slot %u", d->path, i);
        return FALSE;
      }
  rel = relative_path (deck, d->path);
  g_key_file_set_string (deck->kf, "slots", key, rel);
  return TRUE;
}

gboolean
cs_deck_insert (CsDeck *deck, guint slot, const char *card_path, GError **error)
{
  g_autofree char *abs = NULL;
  g_autoptr (CsCard) card = NULL;
  InsertData d;

  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (card_path != NULL, FALSE);

  if (!check_slot (slot, error))
    return FALSE;
  abs = g_canonicalize_filename (card_path, NULL);
  card = cs_card_load (abs, error); /* only a readable image goes in */
  if (card == NULL)
    return FALSE;
  d.slot = slot;
  d.path = abs;
  return deck_update (deck, edit_insert, &d, error);
}

static gboolean
edit_remove (CsDeck *deck, gpointer data, GError **error)
{
  g_autofree char *key = slot_key (GPOINTER_TO_UINT (data));

  g_key_file_set_string (deck->kf, "slots", key, "");
  return TRUE;
}

/* Removing from an empty slot is not an error: a card pulled by a fault and
 * a `remove` from the CLI may race. */
gboolean
cs_deck_remove (CsDeck *deck, guint slot, GError **error)
{
  g_return_val_if_fail (deck != NULL, FALSE);

  if (!check_slot (slot, error))
    return FALSE;
  return deck_update (deck, edit_remove, GUINT_TO_POINTER (slot), error);
}

typedef struct {
  guint slot;
  const char *key; /* clear one */
  CsFaults *faults; /* or set these */
} FaultData;

static gboolean
edit_faults (CsDeck *deck, gpointer data, GError **error)
{
  FaultData *d = data;
  g_autofree char *group = g_strdup_printf ("faults.slot%u", d->slot);

  if (d->key)
    {
      g_key_file_remove_key (deck->kf, group, d->key, NULL);
    }
  else
    {
      const CsFaults *f = d->faults;

      g_key_file_remove_group (deck->kf, group, NULL);
      if (f->pull_after > 0)
        g_key_file_set_integer (deck->kf, group, "pull-after", f->pull_after);
      if (f->tear_write >= 0)
        g_key_file_set_integer (deck->kf, group, "tear-write", f->tear_write);
      if (f->garbage_after > 0)
        g_key_file_set_integer (deck->kf, group, "garbage-after", f->garbage_after);
      if (f->short_after > 0)
        g_key_file_set_integer (deck->kf, group, "short-after", f->short_after);
      if (f->delay_ms > 0)
        g_key_file_set_integer (deck->kf, group, "delay-ms", f->delay_ms);
    }
  /* An emptied group goes away, so deck.ini stays tidy. */
  if (g_key_file_has_group (deck->kf, group))
    {
      g_auto (GStrv) keys = g_key_file_get_keys (deck->kf, group, NULL, NULL);

      if (keys == NULL || keys[0] == NULL)
        g_key_file_remove_group (deck->kf, group, NULL);
    }
  return TRUE;
}

gboolean
cs_deck_set_faults (CsDeck *deck, guint slot, const char *spec, GError **error)
{
  CsFaults faults;
  FaultData d = { slot, NULL, &faults };

  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  cs_faults_init (&faults);
  if (!check_slot (slot, error) || !cs_faults_parse (&faults, spec, error))
    return FALSE;
  return deck_update (deck, edit_faults, &d, error);
}

gboolean
cs_deck_clear_fault (CsDeck *deck, guint slot, const char *key, GError **error)
{
  FaultData d = { slot, key, NULL };

  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!check_slot (slot, error))
    return FALSE;
  return deck_update (deck, edit_faults, &d, error);
}

/* ---- readers ------------------------------------------------------------- */

gboolean
cs_reader_order_from_string (const char *text, CsReaderOrder *order)
{
  if (g_strcmp0 (text, "normal") == 0)
    *order = CS_READER_ORDER_NORMAL;
  else if (g_strcmp0 (text, "reversed") == 0)
    *order = CS_READER_ORDER_REVERSED;
  else
    return FALSE;
  return TRUE;
}

const char *
cs_reader_order_to_string (CsReaderOrder order)
{
  return order == CS_READER_ORDER_REVERSED ? "reversed" : "normal";
}

typedef struct {
  gint slot; /* -1: set the order instead */
  gboolean plugged;
  CsReaderOrder order;
} ReaderData;

/* Writes [readers] from the deck's state with one change applied; the
 * defaults (all plugged, normal order) leave no keys behind. */
static gboolean
edit_readers (CsDeck *deck, gpointer data, GError **error)
{
  ReaderData *d = data;
  g_autoptr (GString) list = g_string_new (NULL);
  CsReaderOrder order = d->slot < 0 ? d->order : deck->order;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      gboolean unplugged = (gint) i == d->slot ? !d->plugged : deck->unplugged[i];

      if (unplugged)
        g_string_append_printf (list, "%s%u", list->len ? ";" : "", i);
    }
  /* Rewritten whole, so the group stays tidy (and goes when empty). */
  g_key_file_remove_group (deck->kf, "readers", NULL);
  if (list->len > 0)
    g_key_file_set_string (deck->kf, "readers", "unplugged", list->str);
  if (order != CS_READER_ORDER_NORMAL)
    g_key_file_set_string (deck->kf, "readers", "order", cs_reader_order_to_string (order));
  return TRUE;
}

gboolean
cs_deck_set_reader_plugged (CsDeck *deck, guint slot, gboolean plugged, GError **error)
{
  ReaderData d = { (gint) slot, plugged, CS_READER_ORDER_NORMAL };

  g_return_val_if_fail (deck != NULL, FALSE);

  if (!check_slot (slot, error))
    return FALSE;
  return deck_update (deck, edit_readers, &d, error);
}

gboolean
cs_deck_get_reader_plugged (CsDeck *deck, guint slot)
{
  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (slot < CS_DECK_SLOTS, FALSE);
  return !deck->unplugged[slot];
}

gboolean
cs_deck_set_reader_order (CsDeck *deck, CsReaderOrder order, GError **error)
{
  ReaderData d = { -1, TRUE, order };

  g_return_val_if_fail (deck != NULL, FALSE);
  g_return_val_if_fail (order == CS_READER_ORDER_NORMAL || order == CS_READER_ORDER_REVERSED,
                        FALSE);
  return deck_update (deck, edit_readers, &d, error);
}

CsReaderOrder
cs_deck_get_reader_order (CsDeck *deck)
{
  g_return_val_if_fail (deck != NULL, CS_READER_ORDER_NORMAL);
  return deck->order;
}

/* ---- cards --------------------------------------------------------------- */

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
cs_deck_list_cards (CsDeck *deck, GError **error)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (deck != NULL, NULL);

  dir = g_dir_open (deck->cards_dir, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".card"))
      g_ptr_array_add (paths, g_build_filename (deck->cards_dir, name, NULL));
  g_ptr_array_sort (paths, compare_strings);
  return g_steal_pointer (&paths);
}

/* Serials of every image already in cards/, whatever its file name. */
static GHashTable *
known_serials (CsDeck *deck)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) paths = cs_deck_list_cards (deck, NULL);

  for (guint i = 0; paths && i < paths->len; i++)
    {
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      char *serial;

      if (!g_key_file_load_from_file (kf, paths->pdata[i], G_KEY_FILE_NONE, NULL))
        continue;
      serial = g_key_file_get_string (kf, "card", "serial", NULL);
      if (serial)
        g_hash_table_add (set, g_ascii_strup (g_strstrip (serial), -1));
      g_free (serial);
    }
  return set;
}

char *
cs_deck_new_card (CsDeck *deck, CsCardKind kind, const guint8 *serial, GError **error)
{
  g_autoptr (GHashTable) taken = NULL;
  g_autoptr (CsCard) card = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint8 sn[CS_SERIAL_LEN];

  g_return_val_if_fail (deck != NULL, NULL);

  taken = known_serials (deck);
  if (serial)
    {
      memcpy (sn, serial, CS_SERIAL_LEN);
      hex = cl_hex_encode (sn, CS_SERIAL_LEN);
    }
  else
    {
      /* 2^64 serials: a clash is unlikely, but a recycled-serial check in
       * the issuing workflow is exactly what tests should not trip on. */
      do
        {
          g_free (hex);
          for (guint i = 0; i < CS_SERIAL_LEN; i++)
            sn[i] = g_random_int_range (0, 256);
          hex = cl_hex_encode (sn, CS_SERIAL_LEN);
        }
      while (g_hash_table_contains (taken, hex));
    }
  name = g_strdup_printf ("%s-%s.card", cs_card_kind_to_string (kind), hex);
  path = g_build_filename (deck->cards_dir, name, NULL);
  if (g_hash_table_contains (taken, hex) || g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "a card with serial %s already exists in %s", hex, deck->cards_dir);
      return NULL;
    }

  card = kind == CS_CARD_SLE4428 ? cs_card_new_sle4428 (sn) : cs_card_new_fmcos (sn);
  if (!cs_card_save (card, path, error))
    return NULL;
  return g_steal_pointer (&path);
}

void
cs_deck_free (CsDeck *deck)
{
  if (deck == NULL)
    return;
  g_free (deck->dir);
  g_free (deck->cards_dir);
  g_free (deck->ini_path);
  g_free (deck->lock_path);
  if (deck->kf)
    g_key_file_unref (deck->kf);
  g_free (deck->ini_text);
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    g_free (deck->slot_card[i]);
  g_free (deck);
}
