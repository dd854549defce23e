/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-card-drawer.c: training's card drawer (ic-card-drawer.h).
 *
 * Why this file is long: the drawer is a small program of its own (the
 * deck on disk followed, cards named, moved, dragged, pulled); its parts
 * share the deck and the probe of R1/R2.  Naming a card is in
 * ic-card-name.c; following the deck is the next part to move out. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cl-codec.h"
#include "cs-deck.h"
#include "ic-card-drawer.h"
#include "ic-card-name.h"
#include "wf-icard.h"
#include "wf-opcard-data.h"
#include "wf-report.h"

#define POLL_SECONDS 1
#define DRAG_TARGET "application/x-insucard-card"
/* The next write to the card in R2 lands one byte, then the card leaves. */
#define PULL_DURING_WRITE "tear-write=1"
#define PULL_FAULT_KEY "tear-write"
#define R2_FAULTS "faults.slot1"

static const GtkTargetEntry drag_targets[] = {
  { (char *) DRAG_TARGET, GTK_TARGET_SAME_APP, 0 },
};

/* What a card image is, as far as it tells without keys, and which
 * version of the image that was (an image is replaced at every save). */
typedef struct {
  guint64 inode;
  gint64 mtime_ns;
  goffset size;
  gboolean readable;
  WfCardFacts facts;
} Entry;

static void
entry_free (Entry *e)
{
  wf_card_facts_clear (&e->facts);
  g_free (e);
}

/* Probing runs in a worker thread on copies of the images in a scratch
 * deck of the drawer's own, so that no card in the live readers is ever
 * connected to, reset or held by the drawer. */
typedef struct {
  char *dir;
  CsDeck *deck;
  ClContext *ctx;
  guint n;
} Prober;

static void
rm_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
prober_clear (Prober *p)
{
  g_clear_object (&p->ctx);
  g_clear_pointer (&p->deck, cs_deck_free);
  if (p->dir != NULL)
    rm_tree (p->dir);
  g_clear_pointer (&p->dir, g_free);
}

#define SCRATCH_PREFIX "insucard-drawer-"

/* Scratch decks of drawers whose program was killed (named after its
 * process) go away. */
static void
sweep_scratch (const char *parent)
{
  g_autoptr (GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *end = NULL;
      gint64 pid;

      if (!g_str_has_prefix (name, SCRATCH_PREFIX))
        continue;
      pid = g_ascii_strtoll (name + strlen (SCRATCH_PREFIX), &end, 10);
      if (pid > 0 && pid != getpid () && end != NULL && *end == '-' && kill (pid, 0) != 0
          && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (parent, name, NULL);

          rm_tree (path);
        }
    }
}

static Prober *
prober_new (void)
{
  Prober *p = g_atomic_rc_box_new0 (Prober);
  g_autoptr (GError) error = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *name = g_strdup_printf (SCRATCH_PREFIX "%d-XXXXXX", (int) getpid ());

  /* In memory if we can: the simulator makes every save durable, and
   * these copies are thrown away at once. */
  if (g_getenv ("XDG_RUNTIME_DIR") != NULL)
    parent = g_strdup (g_get_user_runtime_dir ());
  else if (g_access ("/dev/shm", W_OK) == 0)
    parent = g_strdup ("/dev/shm");
  else
    parent = g_strdup (g_get_tmp_dir ());
  sweep_scratch (parent);
  p->dir = g_build_filename (parent, name, NULL);
  if (g_mkdtemp_full (p->dir, 0700) == NULL)
    {
      g_clear_pointer (&p->dir, g_free);
      p->dir = g_dir_make_tmp (name, &error);
    }
  if (p->dir != NULL)
    p->deck = cs_deck_open (p->dir, &error);
  if (p->deck != NULL)
    p->ctx = cl_context_new (CL_READER_BACKEND_SIM, p->dir);
  else
    g_warning ("card drawer: no scratch deck: %s", error != NULL ? error->message : "");
  return p;
}

static void
prober_unref (Prober *p)
{
  g_atomic_rc_box_release_full (p, (GDestroyNotify) prober_clear);
}

/* In the worker thread. */
static Entry *
probe_image (Prober *p, const char *path, GCancellable *cancellable)
{
  Entry *e = g_new0 (Entry, 1);
  g_autoptr (CsCard) card = cs_card_load (path, NULL);
  g_autofree char *name = NULL;
  g_autofree char *copy = NULL;
  g_autoptr (ClCard) connection = NULL;

  if (card == NULL || p->ctx == NULL)
    return e;
  /* A new name each time: the scratch reader must see a new card. */
  name = g_strdup_printf ("probe-%u.card", ++p->n);
  copy = g_build_filename (cs_deck_get_cards_dir (p->deck), name, NULL);
  if (cs_card_save (card, copy, NULL) && cs_deck_insert (p->deck, 0, copy, NULL))
    {
      connection = cl_context_connect (p->ctx, CL_SIM_READER_R1, cancellable, NULL);
      if (connection != NULL)
        {
          e->readable = wf_report_card_facts (connection, &e->facts, cancellable, NULL);
          cl_card_disconnect (connection);
        }
    }
  cs_deck_remove (p->deck, 0, NULL);
  g_unlink (copy);
  return e;
}

typedef struct {
  char *path;
  Entry *entry; /* the stat of the image; its facts once probed */
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_clear_pointer (&job->entry, entry_free);
  g_free (job);
}

typedef struct {
  Prober *prober;
  GPtrArray *jobs;
  char *shown; /* what the list will show once they are probed */
} ProbeData;

static void
probe_data_free (ProbeData *d)
{
  prober_unref (d->prober);
  g_ptr_array_unref (d->jobs);
  g_free (d->shown);
  g_free (d);
}

static void
probe_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ProbeData *d = data;

  for (guint i = 0; i < d->jobs->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Job *job = d->jobs->pdata[i];
      Entry *e = probe_image (d->prober, job->path, cancellable);

      e->inode = job->entry->inode;
      e->mtime_ns = job->entry->mtime_ns;
      e->size = job->entry->size;
      entry_free (job->entry);
      job->entry = e;
    }
  g_task_return_boolean (task, TRUE);
}

/* -- the widget -------------------------------------------------------------------------------- */

struct _IcCardDrawer {
  GtkBox parent_instance;

  GtkWidget *preparing_box;
  GtkSpinner *preparing_spinner;
  GtkProgressBar *preparing_progress;
  GtkWidget *r1_frame;
  GtkWidget *r2_frame;
  GtkLabel *r1_label;
  GtkLabel *r2_label;
  GtkWidget *list_scroller;
  GtkListBox *card_list;
  GtkWidget *new_sle_button;
  GtkWidget *new_cpu_button;
  GtkWidget *pull_now_button;
  GtkWidget *pull_write_button;
  GtkWidget *armed_box;
  GtkLabel *status_label;
  GtkLabel *placeholder;

  CsDeck *deck;
  char *slots[CS_DECK_SLOTS]; /* canonical image paths, or NULL */
  GPtrArray *paths; /* the deck's images (canonical), as last listed */
  GHashTable *entries; /* canonical image path -> Entry */
  char *shown; /* what the list shows now: slots, images and their versions */
  gboolean preparing;
  gboolean armed; /* a pull during the next write is waiting in R2 */
  gboolean disarmed; /* ... and the person took it back */
  /* The card last pulled out of R2 (canonical image path), or NULL.  It
   * keeps a row of its own even when it is still blank (pulled before its
   * first write): the unfinished issuance wants that very card back, not
   * any blank of the group. */
  char *pulled;
  guint poll_id;
  Prober *prober;
  GCancellable *probing; /* the probe running, if any */
  gboolean again; /* the deck changed while probing */
};

G_DEFINE_TYPE (IcCardDrawer, ic_card_drawer, GTK_TYPE_BOX)

enum { SIGNAL_CARDS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void rebuild (IcCardDrawer *self);

static void
show_status (IcCardDrawer *self, const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

static void
show_error (IcCardDrawer *self, const GError *error)
{
  show_status (self, error->message);
}

/* -- what a card is called (ic-card-name.h) ---------------------------------------------------- */

static gboolean
is_blank (const Entry *e)
{
  return e->readable && ic_card_name_is_blank (&e->facts);
}

static const char *
card_title (const Entry *e)
{
  if (e == NULL)
    return _ ("Looking at the card…");
  return ic_card_name_title (e->readable ? &e->facts : NULL);
}

/* The second line; an unreadable image is named by its file. */
static char *
card_detail (const Entry *e, const char *path)
{
  if (e == NULL)
    return g_strdup ("");
  if (!e->readable)
    return g_path_get_basename (path);
  return ic_card_name_detail (&e->facts);
}

static int
card_rank (const Entry *e)
{
  return e == NULL ? ic_card_name_rank (NULL) : ic_card_name_rank (e->readable ? &e->facts : NULL);
}

/* -- moving cards ------------------------------------------------------------------------------ */

static int
slot_of (IcCardDrawer *self, const char *path)
{
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (g_strcmp0 (self->slots[i], path) == 0)
      return i;
  return -1;
}

gboolean
ic_card_drawer_put_card (IcCardDrawer *self, const char *path, int slot, GError **error)
{
  g_autofree char *card = NULL;

  g_return_val_if_fail (IC_IS_CARD_DRAWER (self), FALSE);
  g_return_val_if_fail (path != NULL && slot >= -1 && slot < CS_DECK_SLOTS, FALSE);

  if (self->preparing)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _ ("The training cards are still being made; wait a moment."));
      return FALSE;
    }
  card = g_canonicalize_filename (path, NULL);
  if (!cs_deck_reload (self->deck, NULL, error))
    return FALSE;
  /* A card is in one reader at a time; the one in the way goes back to
   * the drawer. */
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      const char *there = cs_deck_get_slot_card (self->deck, i);
      g_autofree char *in = there != NULL ? g_canonicalize_filename (there, NULL) : NULL;

      if (in == NULL)
        continue;
      if ((int) i == slot && strcmp (in, card) == 0)
        return TRUE; /* already there */
      if (((int) i == slot || strcmp (in, card) == 0) && !cs_deck_remove (self->deck, i, error))
        return FALSE;
    }
  if (slot >= 0 && !cs_deck_insert (self->deck, slot, card, error))
    return FALSE;
  ic_card_drawer_refresh (self);
  return TRUE;
}

static void
put (IcCardDrawer *self, const char *path, int slot)
{
  g_autoptr (GError) error = NULL;

  show_status (self, NULL);
  if (!ic_card_drawer_put_card (self, path, slot, &error))
    show_error (self, error);
}

static void
move_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  put (self, g_object_get_data (G_OBJECT (button), "ic-card"),
       GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "ic-slot")));
}

static void
new_card (IcCardDrawer *self, CsCardKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = cs_deck_new_card (self->deck, kind, NULL, &error);

  if (path == NULL)
    {
      show_error (self, error);
      return;
    }
  show_status (self, kind == CS_CARD_SLE4428 ? _ ("A new blank insurance card is in the drawer.")
                                             : _ ("A new blank CPU card is in the drawer."));
  ic_card_drawer_refresh (self);
}

static void
new_sle_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  new_card (self, CS_CARD_SLE4428);
}

static void
new_cpu_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  new_card (self, CS_CARD_FMCOS);
}

static void
pull_now_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *was_in_r2 = g_strdup (self->slots[1]);

  if (!cs_deck_remove (self->deck, 1, &error))
    {
      show_error (self, error);
      return;
    }
  g_free (self->pulled);
  self->pulled = g_steal_pointer (&was_in_r2);
  show_status (self, _ ("The card was pulled out of R2. Put it back to go on, as the desk asks."));
  ic_card_drawer_refresh (self);
}

static void
pull_write_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  g_autoptr (GError) error = NULL;

  if (!cs_deck_set_faults (self->deck, 1, PULL_DURING_WRITE, &error))
    {
      show_error (self, error);
      return;
    }
  show_status (self, NULL);
  self->disarmed = FALSE;
  ic_card_drawer_refresh (self);
}

static void
disarm_clicked_cb (GtkButton *button, IcCardDrawer *self)
{
  g_autoptr (GError) error = NULL;

  if (!cs_deck_clear_fault (self->deck, 1, PULL_FAULT_KEY, &error))
    {
      show_error (self, error);
      return;
    }
  self->disarmed = TRUE;
  ic_card_drawer_refresh (self);
}

/* -- drag and drop ----------------------------------------------------------------------------- */

static void
drag_data_get_cb (GtkWidget *handle, GdkDragContext *context, GtkSelectionData *data, guint info,
                  guint time, gpointer user_data)
{
  const char *path = g_object_get_data (G_OBJECT (handle), "ic-card");

  gtk_selection_data_set (data, gtk_selection_data_get_target (data), 8, (const guchar *) path,
                          strlen (path));
}

static void
drag_data_received_cb (GtkWidget *target, GdkDragContext *context, int x, int y,
                       GtkSelectionData *data, guint info, guint time, IcCardDrawer *self)
{
  const guchar *bytes = gtk_selection_data_get_data (data);
  int len = gtk_selection_data_get_length (data);
  g_autofree char *path = NULL;

  if (bytes == NULL || len <= 0)
    return;
  path = g_strndup ((const char *) bytes, len);
  put (self, path, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (target), "ic-slot")));
}

static void
make_drop_target (IcCardDrawer *self, GtkWidget *widget, int slot)
{
  gtk_drag_dest_set (widget, GTK_DEST_DEFAULT_ALL, drag_targets, G_N_ELEMENTS (drag_targets),
                     GDK_ACTION_MOVE);
  g_object_set_data (G_OBJECT (widget), "ic-slot", GINT_TO_POINTER (slot));
  g_signal_connect (widget, "drag-data-received", G_CALLBACK (drag_data_received_cb), self);
}

/* -- the list ---------------------------------------------------------------------------------- */

typedef struct {
  const char *path; /* a group's: its first card */
  const Entry *entry;
  int slot;
  guint count; /* cards in a group of blanks, else 1 */
  gboolean own_row; /* a blank shown alone: the card pulled out of R2 */
} View;

/* Blanks in the drawer are alike: one row for them all. */
static gboolean
is_group (const View *v)
{
  return v->slot < 0 && v->entry != NULL && is_blank (v->entry) && !v->own_row;
}

/* A card keeps its place in the list wherever it is, so that a row does
 * not jump away under the pointer; a blank in a reader comes before the
 * others of its kind. */
static int
compare_views (gconstpointer a, gconstpointer b)
{
  const View *x = *(View *const *) a;
  const View *y = *(View *const *) b;
  int rx = card_rank (x->entry) * 2 + is_group (x);
  int ry = card_rank (y->entry) * 2 + is_group (y);

  if (rx != ry)
    return rx - ry;
  return g_strcmp0 (x->path, y->path);
}

static GtkWidget *
row_button (IcCardDrawer *self, const char *label, const char *accessible, const char *path,
            int slot, gboolean sensitive)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (button), "ic-card", g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (button), "ic-slot", GINT_TO_POINTER (slot));
  gtk_widget_set_name (button, slot == 0 ? "put-r1" : slot == 1 ? "put-r2" : "take-out");
  atk_object_set_name (gtk_widget_get_accessible (button), accessible);
  gtk_widget_set_sensitive (button, sensitive);
  g_signal_connect (button, "clicked", G_CALLBACK (move_clicked_cb), self);
  return button;
}

static GtkWidget *
make_row (IcCardDrawer *self, const View *v)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *handle = gtk_event_box_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title, *where, *detail;
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;
  g_autofree char *acc1 = NULL;
  g_autofree char *acc2 = NULL;
  g_autofree char *acc_out = NULL;
  g_autofree char *row_name = NULL;
  const char *place = v->slot == 0 ? _ ("in R1") : v->slot == 1 ? _ ("in R2") : "";

  if (is_group (v))
    {
      gboolean sle = v->entry->facts.info.kind == CL_CARD_KIND_SLE4428;

      what = g_strdup (sle ? _ ("Blank insurance cards") : _ ("Blank CPU cards"));
      text =
          g_strdup_printf (ngettext ("%u in the drawer", "%u in the drawer", v->count), v->count);
      acc1 = g_strdup (sle ? _ ("Put a blank insurance card into R1")
                           : _ ("Put a blank CPU card into R1"));
      acc2 = g_strdup (sle ? _ ("Put a blank insurance card into R2")
                           : _ ("Put a blank CPU card into R2"));
    }
  else
    {
      g_autofree char *detail_text = card_detail (v->entry, v->path);
      g_autofree char *named = detail_text[0] != '\0'
                                   ? g_strdup_printf ("%s (%s)", card_title (v->entry), detail_text)
                                   : g_strdup (card_title (v->entry));

      what = g_strdup (card_title (v->entry));
      text = g_steal_pointer (&detail_text);
      acc1 = g_strdup_printf (_ ("Put into R1: %s"), named);
      acc2 = g_strdup_printf (_ ("Put into R2: %s"), named);
      acc_out = g_strdup_printf (_ ("Take out of its reader: %s"), named);
    }

  title = gtk_label_new (what);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 24);
  gtk_widget_set_hexpand (title, TRUE);
  {
    PangoAttrList *bold = pango_attr_list_new ();

    pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    gtk_label_set_attributes (GTK_LABEL (title), bold);
    pango_attr_list_unref (bold);
  }
  where = gtk_label_new (place);
  gtk_style_context_add_class (gtk_widget_get_style_context (where), "dim-label");
  detail = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (detail), 30);
  gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");

  gtk_container_add (GTK_CONTAINER (top),
                     gtk_image_new_from_icon_name ("media-flash-symbolic", GTK_ICON_SIZE_BUTTON));
  gtk_container_add (GTK_CONTAINER (top), title);
  gtk_container_add (GTK_CONTAINER (top), where);
  gtk_container_add (GTK_CONTAINER (box), top);
  gtk_container_add (GTK_CONTAINER (box), detail);
  gtk_container_add (GTK_CONTAINER (buttons),
                     row_button (self, _ ("Put in R1"), acc1, v->path, 0, v->slot != 0));
  gtk_container_add (GTK_CONTAINER (buttons),
                     row_button (self, _ ("Put in R2"), acc2, v->path, 1, v->slot != 1));
  if (acc_out != NULL)
    gtk_container_add (GTK_CONTAINER (buttons),
                       row_button (self, _ ("Take out"), acc_out, v->path, -1, v->slot >= 0));
  gtk_container_add (GTK_CONTAINER (box), buttons);
  gtk_container_set_border_width (GTK_CONTAINER (box), 6);

  /* The row is dragged by anything but its buttons. */
  gtk_event_box_set_visible_window (GTK_EVENT_BOX (handle), FALSE);
  gtk_drag_source_set (handle, GDK_BUTTON1_MASK, drag_targets, G_N_ELEMENTS (drag_targets),
                       GDK_ACTION_MOVE);
  gtk_drag_source_set_icon_name (handle, "media-flash-symbolic");
  g_object_set_data_full (G_OBJECT (handle), "ic-card", g_strdup (v->path), g_free);
  g_signal_connect (handle, "drag-data-get", G_CALLBACK (drag_data_get_cb), NULL);
  gtk_container_add (GTK_CONTAINER (handle), box);
  gtk_container_add (GTK_CONTAINER (row), handle);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  row_name = place[0] != '\0' ? g_strdup_printf ("%s, %s, %s", what, text, place)
                              : g_strdup_printf ("%s, %s", what, text);
  atk_object_set_name (gtk_widget_get_accessible (row), row_name);
  g_object_set_data_full (G_OBJECT (row), "ic-card", g_strdup (v->path), g_free);
  gtk_widget_show_all (row);
  return row;
}

static void
show_reader (IcCardDrawer *self, guint slot)
{
  GtkLabel *label = slot == 0 ? self->r1_label : self->r2_label;
  const char *path = self->slots[slot];
  const Entry *e = path != NULL ? g_hash_table_lookup (self->entries, path) : NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;

  if (path == NULL)
    {
      gtk_label_set_text (label, _ ("Empty. Drop a card here."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
      return;
    }
  detail = card_detail (e, path);
  text = detail[0] != '\0' ? g_strdup_printf ("%s\n%s", card_title (e), detail)
                           : g_strdup (card_title (e));
  gtk_label_set_text (label, text);
  /* Each line is cut to the drawer's width; the whole on hovering. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
update_actions (IcCardDrawer *self)
{
  gboolean idle = !self->preparing;

  gtk_widget_set_sensitive (GTK_WIDGET (self->card_list), idle);
  gtk_widget_set_sensitive (self->new_sle_button, idle);
  gtk_widget_set_sensitive (self->new_cpu_button, idle);
  gtk_widget_set_sensitive (self->pull_now_button, idle && self->slots[1] != NULL);
  gtk_widget_set_sensitive (self->pull_write_button, idle && !self->armed);
  gtk_widget_set_visible (self->armed_box, self->armed);
  gtk_label_set_text (self->placeholder, self->preparing
                                             ? _ ("The demo cards appear here as they are made.")
                                         : self->probing != NULL && self->paths->len > 0
                                             ? _ ("Looking at the cards…")
                                             : _ ("No cards in the drawer."));
}

/* The row button with the keyboard focus: its card and slot. */
static gboolean
focused_button (IcCardDrawer *self, char **path, int *slot)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *focus = GTK_IS_WINDOW (toplevel) ? gtk_window_get_focus (GTK_WINDOW (toplevel)) : NULL;

  if (focus == NULL || !GTK_IS_BUTTON (focus)
      || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->card_list))
      || g_object_get_data (G_OBJECT (focus), "ic-card") == NULL)
    return FALSE;
  *path = g_strdup (g_object_get_data (G_OBJECT (focus), "ic-card"));
  *slot = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "ic-slot"));
  return TRUE;
}

static void
focus_button (IcCardDrawer *self, const char *path, int slot)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->card_list));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkWidget *handle = gtk_bin_get_child (GTK_BIN (l->data));
      GtkWidget *box = gtk_bin_get_child (GTK_BIN (handle));
      g_autoptr (GList) parts = gtk_container_get_children (GTK_CONTAINER (box));
      GList *last = g_list_last (parts);
      g_autoptr (GList) buttons =
          last != NULL ? gtk_container_get_children (GTK_CONTAINER (last->data)) : NULL;

      if (g_strcmp0 (g_object_get_data (G_OBJECT (l->data), "ic-card"), path) != 0)
        continue;
      for (GList *b = buttons; b != NULL; b = b->next)
        if (GPOINTER_TO_INT (g_object_get_data (b->data, "ic-slot")) == slot
            && gtk_widget_get_sensitive (b->data))
          gtk_widget_grab_focus (b->data);
    }
}

static void
rebuild (IcCardDrawer *self)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->card_list));
  g_autoptr (GPtrArray) views = g_ptr_array_new_with_free_func (g_free);
  View *groups[2] = { NULL, NULL }; /* blank insurance cards, blank CPU cards */
  g_autofree char *focus_path = NULL;
  int focus_slot = 0;
  gboolean refocus = focused_button (self, &focus_path, &focus_slot);

  /* The list is made anew: the keyboard focus stays on the same card. */
  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < self->paths->len; i++)
    {
      const char *path = self->paths->pdata[i];
      const Entry *e = g_hash_table_lookup (self->entries, path);
      int slot = slot_of (self, path);
      gboolean own_row = g_strcmp0 (path, self->pulled) == 0;
      View *v;

      if (slot < 0 && e != NULL && is_blank (e) && !own_row)
        {
          guint g = e->facts.info.kind == CL_CARD_KIND_SLE4428 ? 0 : 1;

          if (groups[g] != NULL)
            {
              groups[g]->count++;
              continue;
            }
        }
      v = g_new0 (View, 1);
      *v = (View){ path, e, slot, 1, own_row };
      if (slot < 0 && e != NULL && is_blank (e) && !own_row)
        groups[e->facts.info.kind == CL_CARD_KIND_SLE4428 ? 0 : 1] = v;
      g_ptr_array_add (views, v);
    }
  g_ptr_array_sort (views, compare_views);
  for (guint i = 0; i < views->len; i++)
    gtk_container_add (GTK_CONTAINER (self->card_list), make_row (self, views->pdata[i]));
  if (refocus)
    focus_button (self, focus_path, focus_slot);
  show_reader (self, 0);
  show_reader (self, 1);
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CARDS_CHANGED], 0);
}

/* -- following the deck ------------------------------------------------------------------------ */

static gboolean
stat_image (const char *path, Entry *e)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  e->inode = st.st_ino;
  e->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  e->size = st.st_size;
  return TRUE;
}

static void
probe_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  IcCardDrawer *self = IC_CARD_DRAWER (source);
  ProbeData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return; /* cancelled: the drawer is going away */
  g_clear_object (&self->probing);
  for (guint i = 0; i < d->jobs->len; i++)
    {
      Job *job = d->jobs->pdata[i];

      g_hash_table_replace (self->entries, g_strdup (job->path), g_steal_pointer (&job->entry));
    }
  /* Shown now, also while images keep changing (a card being written). */
  g_free (self->shown);
  self->shown = g_steal_pointer (&d->shown);
  rebuild (self);
  if (self->again)
    ic_card_drawer_refresh (self);
}

static void
start_probe (IcCardDrawer *self, GPtrArray *jobs, char *shown)
{
  g_autoptr (GTask) task = NULL;
  ProbeData *d = g_new0 (ProbeData, 1);

  d->prober = g_atomic_rc_box_acquire (self->prober);
  d->jobs = g_ptr_array_ref (jobs);
  d->shown = shown;
  self->again = FALSE;
  self->probing = g_cancellable_new ();
  task = g_task_new (self, self->probing, probe_done, NULL);
  g_task_set_task_data (task, d, (GDestroyNotify) probe_data_free);
  g_task_run_in_thread (task, probe_thread);
}

void
ic_card_drawer_refresh (IcCardDrawer *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  g_autoptr (GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) shown = g_string_new (NULL);
  g_autofree char *was_in_r2 = NULL;
  GKeyFile *kf;
  gboolean armed;

  g_return_if_fail (IC_IS_CARD_DRAWER (self));

  if (self->probing != NULL)
    {
      self->again = TRUE;
      return;
    }
  if (!cs_deck_reload (self->deck, NULL, &error)
      || (listed = cs_deck_list_cards (self->deck, &error)) == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      const char *there = cs_deck_get_slot_card (self->deck, i);

      if (i == 1)
        was_in_r2 = g_steal_pointer (&self->slots[i]);
      g_free (self->slots[i]);
      self->slots[i] = there != NULL ? g_canonicalize_filename (there, NULL) : NULL;
      g_string_append_printf (shown, "%s\n", self->slots[i] != NULL ? self->slots[i] : "");
    }

  /* The pull armed for the next write fired, or was taken back. */
  kf = cs_deck_get_keyfile (self->deck);
  armed = g_key_file_has_key (kf, R2_FAULTS, PULL_FAULT_KEY, NULL);
  if (self->armed && !armed && !self->disarmed && was_in_r2 != NULL && self->slots[1] == NULL)
    {
      g_free (self->pulled);
      self->pulled = g_steal_pointer (&was_in_r2);
    }
  if (self->armed && !armed && !self->disarmed)
    show_status (self, _ ("The card in R2 was pulled out in the middle of a write. Put it back "
                          "into R2 and finish or undo the work, as the desk asks."));
  self->armed = armed;
  g_string_append_printf (shown, "%d\n", armed);

  g_ptr_array_set_size (self->paths, 0);
  for (guint i = 0; i < listed->len; i++)
    {
      char *path = g_canonicalize_filename (listed->pdata[i], NULL);
      Entry now = { 0 };
      Entry *known = g_hash_table_lookup (self->entries, path);

      g_ptr_array_add (self->paths, path);
      g_hash_table_add (present, path);
      if (!stat_image (path, &now))
        continue;
      g_string_append_printf (shown, "%s %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT "\n", path,
                              now.inode, now.mtime_ns);
      if (known == NULL || known->inode != now.inode || known->mtime_ns != now.mtime_ns
          || known->size != now.size)
        {
          Job *job = g_new0 (Job, 1);

          job->path = g_strdup (path);
          job->entry = g_memdup2 (&now, sizeof now);
          g_ptr_array_add (jobs, job);
        }
    }
  /* Images gone from the deck are forgotten. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->entries);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (present, key))
        g_hash_table_iter_remove (&iter);
  }

  if (jobs->len > 0)
    start_probe (self, jobs, g_string_free (g_steal_pointer (&shown), FALSE));
  else if (g_strcmp0 (self->shown, shown->str) != 0)
    {
      g_free (self->shown);
      self->shown = g_string_free (g_steal_pointer (&shown), FALSE);
      rebuild (self);
    }
  else
    update_actions (self);
}

static gboolean
poll_cb (gpointer data)
{
  ic_card_drawer_refresh (data);
  return G_SOURCE_CONTINUE;
}

void
ic_card_drawer_set_progress (IcCardDrawer *self, double fraction, const char *step)
{
  g_return_if_fail (IC_IS_CARD_DRAWER (self));

  self->preparing = fraction >= 0;
  gtk_widget_set_visible (self->preparing_box, self->preparing);
  if (self->preparing)
    {
      gtk_spinner_start (self->preparing_spinner);
      gtk_progress_bar_set_fraction (self->preparing_progress, CLAMP (fraction, 0, 1));
      gtk_progress_bar_set_text (self->preparing_progress, step);
    }
  else
    gtk_spinner_stop (self->preparing_spinner);
  update_actions (self);
}

/* -- GObject ----------------------------------------------------------------------------------- */

static void
ic_card_drawer_dispose (GObject *object)
{
  IcCardDrawer *self = IC_CARD_DRAWER (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->probing != NULL)
    g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  G_OBJECT_CLASS (ic_card_drawer_parent_class)->dispose (object);
}

static void
ic_card_drawer_finalize (GObject *object)
{
  IcCardDrawer *self = IC_CARD_DRAWER (object);

  g_clear_pointer (&self->deck, cs_deck_free);
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    g_free (self->slots[i]);
  g_ptr_array_unref (self->paths);
  g_hash_table_unref (self->entries);
  g_free (self->shown);
  g_free (self->pulled);
  prober_unref (self->prober);
  G_OBJECT_CLASS (ic_card_drawer_parent_class)->finalize (object);
}

static void
ic_card_drawer_class_init (IcCardDrawerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_card_drawer_dispose;
  object_class->finalize = ic_card_drawer_finalize;
  signals[SIGNAL_CARDS_CHANGED] =
      g_signal_new ("cards-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-card-drawer.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcCardDrawer, name)
  CHILD (preparing_box);
  CHILD (preparing_spinner);
  CHILD (preparing_progress);
  CHILD (r1_frame);
  CHILD (r2_frame);
  CHILD (r1_label);
  CHILD (r2_label);
  CHILD (list_scroller);
  CHILD (card_list);
  CHILD (new_sle_button);
  CHILD (new_cpu_button);
  CHILD (pull_now_button);
  CHILD (pull_write_button);
  CHILD (armed_box);
  CHILD (status_label);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, new_sle_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_cpu_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pull_now_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pull_write_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, disarm_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "carddrawer");
}

static void
ic_card_drawer_init (IcCardDrawer *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The pages take the width; the drawer keeps its own. */
  gtk_widget_set_hexpand (GTK_WIDGET (self), FALSE);
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->entries =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->prober = prober_new ();
  placeholder = gtk_label_new (NULL);
  self->placeholder = GTK_LABEL (placeholder);
  gtk_label_set_line_wrap (self->placeholder, TRUE);
  gtk_label_set_max_width_chars (self->placeholder, 30);
  gtk_label_set_justify (self->placeholder, GTK_JUSTIFY_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (placeholder), "dim-label");
  gtk_widget_show (placeholder);
  gtk_list_box_set_placeholder (self->card_list, placeholder);
  make_drop_target (self, self->r1_frame, 0);
  make_drop_target (self, self->r2_frame, 1);
  make_drop_target (self, self->list_scroller, -1);
}

IcCardDrawer *
ic_card_drawer_new (const char *deck_dir, GError **error)
{
  g_autoptr (CsDeck) deck = NULL;
  IcCardDrawer *self;

  g_return_val_if_fail (deck_dir != NULL, NULL);

  deck = cs_deck_open (deck_dir, error);
  if (deck == NULL)
    return NULL;
  self = g_object_new (IC_TYPE_CARD_DRAWER, NULL);
  self->deck = g_steal_pointer (&deck);
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  ic_card_drawer_refresh (self);
  return self;
}
