/* cmd-test-util.h: fixture for the command-layer tests (test-sle4428,
 * test-fmcos, test-secrets): a temporary deck, the in-process sim backend,
 * a card in R2 (and R1 when asked). */
#pragma once

#include <string.h>
#include <glib/gstdio.h>

#include "cl-backend.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cs-deck.h"

typedef struct {
  char *dir;
  CsDeck *deck;
  ClContext *ctx;
  ClCard *card; /* R2 */
  ClCard *r1; /* R1, when a test inserts one */
  guint8 serial[8];
} Fixture;

static inline void
rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static inline void
fixture_open (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("insucard-cmd-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("INSUCARD_SIM_DECK", f->dir, TRUE);
  g_unsetenv ("INSUCARD_READER_R1");
  g_unsetenv ("INSUCARD_READER_R2");
  f->deck = cs_deck_open (f->dir, &error);
  g_assert_no_error (error);
  f->ctx = cl_context_new_for_backend (CL_READER_BACKEND_SIM);
}

static inline ClCard *
fixture_insert (Fixture *f, guint slot, CsCardKind kind, const guint8 *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = cs_deck_new_card (f->deck, kind, serial, &error);
  ClCard *card;

  g_assert_no_error (error);
  cs_deck_insert (f->deck, slot, path, &error);
  g_assert_no_error (error);
  card = cl_context_connect_sync (f->ctx, slot == 0 ? CL_SIM_READER_R1 : CL_SIM_READER_R2, NULL,
                                  &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  return card;
}

static inline void
fixture_arm_fault (Fixture *f, guint slot, const char *spec)
{
  g_autoptr (GError) error = NULL;

  cs_deck_set_faults (f->deck, slot, spec, &error);
  g_assert_no_error (error);
}

static inline void
fixture_close (Fixture *f)
{
  if (f->card)
    cl_card_disconnect (f->card);
  if (f->r1)
    cl_card_disconnect (f->r1);
  g_clear_object (&f->card);
  g_clear_object (&f->r1);
  g_clear_object (&f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
  rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
}
