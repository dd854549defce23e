/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-personalise.c: making a card by its layout (wf-personalise.h).
 *
 * From a blank: external authentication with the batch transport key
 * (state F; a half-made card with the master key it already got; a card
 * left open by an interrupted making or washing has no key and needs
 * none), ERASE DF (the state stays), the MF header and a KEY
 * file whose add right only state F meets, the empty info file (so that an
 * interrupted making is recognisable: cl-kind.h, CPU_UNFINISHED), the
 * card's master key in plain (no other key exists yet to protect it), every
 * other key in cipher+MAC form under that master key, the other files and
 * their contents, and the info file last. */
#include "config.h"

#include <glib/gi18n.h>

#include "cl-authority.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "wf-error.h"
#include "wf-personalise.h"

#define MF_APP_ID 0x00
#define ADF_APP_ID 0x95 /* ADF, SFI 15 (the convention of FMCOS issuers) */
#define KEY_FILE_FID 0x0000

static const WfKeySpec *
master_key (const WfDfSpec *mf)
{
  return wf_layout_find_key (mf, 0x39, WF_KID_MASTER);
}

static gboolean
need_key (const WfMaterial *m, WfKeySource source, const ClKey **out, GError **error)
{
  *out = m->keys[source];
  if (*out == NULL)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_FAILED, "no value for key source %d", source);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_keys (WfTask *task, ClCard *card, const WfDfSpec *df, const WfMaterial *m, const ClKey *protect,
          GError **error)
{
  for (guint i = 0; i < df->n_keys; i++)
    {
      const WfKeySpec *k = &df->keys[i];
      const guint8 header[5] = { k->type, k->use, k->change, k->b3, k->b4 };
      const ClKey *value;

      if (!need_key (m, k->source, &value, error))
        return FALSE;
      if (k->type == 0x39 && k->id == WF_KID_MASTER && df->fid == 0x3F00)
        continue; /* added first, in plain */
      if (!cl_fmcos_write_key_secure (card, 0x01, k->id, header, sizeof header, value, protect,
                                      task->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_file (WfTask *task, ClCard *card, const WfFileSpec *f, const ClKey *content,
            const ClKey *line_key, GError **error)
{
  guint8 sfi = f->fid <= 0x1F ? f->fid : 0;

  if (content == NULL)
    return TRUE;
  if ((f->type & 0xC0) == 0xC0)
    return cl_fmcos_update_binary_encrypt (card, sfi, 0, content, line_key, task->cancellable,
                                           error);
  switch (f->content)
    {
    case WF_FILE_CODE1:
    case WF_FILE_CODE2:
    case WF_FILE_SUBS:
      return cl_fmcos_update_binary_secret (card, sfi, 0, content, task->cancellable, error);
    default:
      return cl_fmcos_update_binary (card, sfi, 0, cl_key_get_data (content),
                                     cl_key_get_length (content), task->cancellable, error);
    }
}

/* Creates the DF's files (the info file only when `info` says so, the
 * others otherwise) and writes their contents (the info file never: it is
 * written last of all). */
static gboolean
make_files (WfTask *task, ClCard *card, const WfDfSpec *df, const WfMaterial *m,
            const ClKey *line_key, gboolean info, GError **error)
{
  for (guint i = 0; i < df->n_files; i++)
    {
      const WfFileSpec *f = &df->files[i];

      if ((f->content == WF_FILE_INFO) != info)
        continue;
      if (!cl_fmcos_create_ef (card, f->fid, f->type, f->size, f->read, f->write, f->flag,
                               f->access, task->cancellable, error))
        return FALSE;
    }
  for (guint i = 0; !info && i < df->n_files; i++)
    if (df->files[i].content != WF_FILE_INFO
        && !write_file (task, card, &df->files[i], m->files[df->files[i].content], line_key, error))
      return FALSE;
  return TRUE;
}

static gboolean
make_df_header (WfTask *task, ClCard *card, const WfDfSpec *df, guint8 app_id, GError **error)
{
  return cl_fmcos_create_df (card, df->fid, df->space, df->create, df->erase, app_id,
                             (const guint8 *) df->name, strlen (df->name), task->cancellable, error)
         && cl_fmcos_create_key_file (card, KEY_FILE_FID, df->key_file_space, app_id & 0x1F,
                                      df->add_key, task->cancellable, error);
}

/* State F on the blank: with the batch's transport key; or, on a card
 * whose making was interrupted, with the master key it already got; or
 * nothing to do when it has no key at all (it enforces no right).  A
 * blank never holds a master key and a half-made card never the transport
 * key (ERASE DF came before its info file), so one key is tried: each
 * that does not fit costs one of its tries. */
static gboolean
open_blank (WfTask *task, ClCard *card, const ClCardInfo *info, const ClKey *master, GError **error)
{
  g_autoptr (ClKey) transport = wf_desk_dup_transport_key (task->desk);
  gboolean unfinished = info->kind == CL_CARD_KIND_CPU_UNFINISHED;
  g_autoptr (ClAuthority) authority = cl_authority_new_key (unfinished ? master : transport);
  g_autoptr (GError) local = NULL;

  if (!cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error))
    return FALSE;
  if (cl_authority_external_authenticate (authority, card, info->serial, WF_KID_MASTER, FALSE,
                                          task->cancellable, &local)
      || g_error_matches (local, CL_ERROR, CL_ERROR_NOT_FOUND))
    return TRUE;
  if (g_error_matches (local, CL_ERROR, CL_ERROR_AUTH_FAILED))
    g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                 unfinished
                     ? _ ("The half-made card does not take the key this card would get "
                          "(%s): it was being made into another kind of card, or under "
                          "another master key. Wash it with the MCC first.")
                     : _ ("The blank card does not take this batch's transport key (%s). "
                          "Check that the transport key entered is the one the card supplier "
                          "gave for this batch."),
                 local->message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* Selecting the MF drops its state: authenticate again before the info
 * file, whose write right is state F. */
static gboolean
write_info (WfTask *task, ClCard *card, const guint8 serial[8], ClAuthority *own,
            const WfLayout *layout, const WfMaterial *m, GError **error)
{
  const WfDfSpec *df = NULL;
  const WfFileSpec *f = wf_layout_find_file (layout, WF_FILE_INFO, &df);

  return cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error)
         && cl_authority_external_authenticate (own, card, serial, WF_KID_MASTER, FALSE,
                                                task->cancellable, error)
         && write_file (task, card, f, m->files[WF_FILE_INFO], NULL, error);
}

static gboolean
personalise_in_transaction (WfTask *task, ClCard *card, const ClCardInfo *info,
                            const WfLayout *layout, const WfMaterial *m, GError **error)
{
  const guint8 *serial = info->serial;
  const WfKeySpec *mk = master_key (layout->mf);
  const guint8 mk_header[5] = { mk->type, mk->use, mk->change, mk->b3, mk->b4 };
  const WfKeySpec *line = wf_layout_find_key (layout->mf, 0x36, WF_KID_MASTER);
  g_autoptr (ClAuthority) own = NULL;
  const ClKey *master, *line_key = NULL;

  if (!need_key (m, mk->source, &master, error)
      || (line != NULL && !need_key (m, line->source, &line_key, error)))
    return FALSE;

  wf_interaction_progress (task->interaction, 0.1, _ ("Opening the blank card"));
  if (!open_blank (task, card, info, master, error)
      || !cl_fmcos_erase_df (card, task->cancellable, error)
      || !make_df_header (task, card, layout->mf, MF_APP_ID, error)
      || !make_files (task, card, layout->mf, m, line_key, TRUE, error))
    return FALSE;

  /* From the master key on, the card enforces its rights: authenticate
   * with it (an open card had no state to keep). */
  wf_interaction_progress (task->interaction, 0.3, _ ("Writing the keys"));
  own = cl_authority_new_key (master);
  if (!cl_fmcos_write_key (card, 0x01, WF_KID_MASTER, mk_header, sizeof mk_header, master,
                           task->cancellable, error)
      || !cl_authority_external_authenticate (own, card, serial, WF_KID_MASTER, FALSE,
                                              task->cancellable, error)
      || !add_keys (task, card, layout->mf, m, master, error))
    return FALSE;

  wf_interaction_progress (task->interaction, 0.6, _ ("Writing the files"));
  if (!make_files (task, card, layout->mf, m, line_key, FALSE, error))
    return FALSE;
  if (layout->adf != NULL
      && (!make_df_header (task, card, layout->adf, ADF_APP_ID, error)
          || !add_keys (task, card, layout->adf, m, master, error)
          || !make_files (task, card, layout->adf, m, line_key, FALSE, error)))
    return FALSE;
  wf_interaction_progress (task->interaction, 0.9, _ ("Finishing the card"));
  return write_info (task, card, serial, own, layout, m, error);
}

gboolean
wf_personalise (WfTask *task, ClCard *card, const ClCardInfo *info, const WfLayout *layout,
                const WfMaterial *material, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (layout != NULL && material != NULL, FALSE);

  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  ok = personalise_in_transaction (task, card, info, layout, material, error);
  cl_card_end (card);
  return ok;
}

gboolean
wf_personalise_wash (WfTask *task, ClCard *card, GError **error)
{
  /* The factory's: ext-auth 00 = the transport key, use F0, change FF,
   * follow-up state F, 15 tries; MF rights FF; KEY file add right FF. */
  static const guint8 factory_key[5] = { 0x39, 0xF0, 0xFF, 0x0F, 0xFF };
  static const WfDfSpec factory_mf = { 0x3F00, "1PAY.SYS.DDF01", 0x2000, 0xFF, 0xFF, 0x0100, 0xFF };
  g_autoptr (ClKey) transport = wf_desk_dup_transport_key (task->desk);
  gboolean ok;

  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  ok = cl_fmcos_erase_df (card, task->cancellable, error)
       && make_df_header (task, card, &factory_mf, MF_APP_ID, error)
       && cl_fmcos_write_key (card, 0x01, WF_KID_MASTER, factory_key, sizeof factory_key, transport,
                              task->cancellable, error);
  cl_card_end (card);
  return ok;
}
