/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos.c: an FMCOS-2.0-style CPU card (ISO 7816-4, T=0): the ops table,
 * ATR, power, APDU parsing and command dispatch.  The commands themselves
 * live in cs-fmcos-fs.c and cs-fmcos-ef.c (files) and cs-fmcos-sec.c (keys
 * and security); the card image in cs-fmcos-image.c.  Choices:
 * docs/card-formats.md, "FMCOS simulator".
 */
#include "cs-fmcos-private.h"

#include <string.h>

/* ATR: TS 3B, T0 = 6A (TB1 and TC1 present, no TD1 so pcscd negotiates
 * T=0 only, 10 historical bytes), TB1 = TC1 = 00; historical bytes "IC"
 * and then the 8-byte serial, always last. */
static const guint8 atr_prefix[] = { 0x3B, 0x6A, 0x00, 0x00, 0x49, 0x43 };

FmModel *
cs_fmcos_model_new_blank (void)
{
  FmModel *m = g_new0 (FmModel, 1);
  FmFile *mf = cs_fmcos_file_new (FM_DF, FM_MF_FID);
  FmFile *kf = cs_fmcos_file_new (FM_KEYFILE, FM_FACTORY_KEYFILE_FID);
  FmKey *k = g_new0 (FmKey, 1);

  mf->space = FM_MF_SPACE;
  mf->create_right = FM_FACTORY_RIGHT;
  mf->erase_right = FM_FACTORY_RIGHT;
  mf->name_len = strlen (FM_MF_NAME);
  memcpy (mf->name, FM_MF_NAME, mf->name_len);

  kf->space = FM_FACTORY_KEYFILE_SPACE;
  kf->add_right = FM_FACTORY_RIGHT;
  kf->app_id = mf->app_id;
  cs_fmcos_df_add (mf, kf);

  /* The batch transport key: external-auth key 00. */
  k->type = FM_KT_EXTERNAL;
  k->id = 0x00;
  k->use = 0xF0;
  k->change = FM_FACTORY_RIGHT;
  k->b3 = FM_TRANSPORT_FOLLOWUP;
  k->b4 = FM_TRANSPORT_ERRCNT;
  k->len = 16;
  memset (k->value, FM_TRANSPORT_KEY_BYTE, k->len);
  g_ptr_array_add (kf->keys, k);

  m->mf = mf;
  cs_fmcos_reset_volatile (m);
  return m;
}

void
cs_fmcos_model_free (FmModel *m)
{
  if (m == NULL)
    return;
  cs_fmcos_file_free (m->mf);
  cl_secure_wipe (m, sizeof *m);
  g_free (m);
}

static void
reset_states (FmFile *df)
{
  df->state = 0;
  for (guint i = 0; i < df->children->len; i++)
    {
      FmFile *f = g_ptr_array_index (df->children, i);

      if (f->kind == FM_DF)
        reset_states (f);
    }
}

void
cs_fmcos_reset_volatile (FmModel *m)
{
  reset_states (m->mf);
  m->cur_df = m->mf;
  m->cur_ef = NULL;
  cl_secure_wipe (m->chal, sizeof m->chal);
  m->chal_len = 0;
  m->chal_next = FALSE;
  cl_secure_wipe (m->resp, sizeof m->resp);
  m->resp_len = 0;
}

/* The model is built by load(); this only guards against a card used
 * before that. */
FmModel *
cs_fmcos_model (CsCard *card)
{
  if (card->model == NULL)
    card->model = cs_fmcos_model_new_blank ();
  return card->model;
}

static GBytes *
fm_get_atr (CsCard *card)
{
  guint8 atr[sizeof atr_prefix + CS_SERIAL_LEN];

  memcpy (atr, atr_prefix, sizeof atr_prefix);
  memcpy (atr + sizeof atr_prefix, card->serial, CS_SERIAL_LEN);
  return g_bytes_new (atr, sizeof atr);
}

static void
fm_power (CsCard *card, CsPower power)
{
  /* Off, on and reset alike: RAM is lost. */
  cs_fmcos_reset_volatile (cs_fmcos_model (card));
}

/* ---- commands handled here ---- */

static guint16
cmd_get_response (FmApdu *a)
{
  FmModel *m = a->m;

  if (a->p1 != 0 || a->p2 != 0)
    return FM_SW_WRONG_P1P2;
  if (a->lc != 0)
    return FM_SW_WRONG_LENGTH;
  if (m->resp_len == 0)
    return FM_SW_CONDITIONS;
  /* The pending answer survives a wrong Le, so the host can retry. */
  if (!a->has_le || a->le != m->resp_len)
    return FM_SW_EXACT_LE (m->resp_len);
  memcpy (a->out, m->resp, m->resp_len);
  a->out_len = m->resp_len;
  m->resp_len = 0;
  return FM_SW_OK;
}

/* ---- dispatch ---- */

typedef guint16 (*FmHandler) (FmApdu *a);

typedef struct {
  guint8 ins;
  guint8 cla[2]; /* allowed CLAs; a second 00 means "only the first" */
  FmHandler fn;
} FmCommand;

static const FmCommand commands[] = {
  { 0xA4, { 0x00, 0x00 }, cs_fmcos_cmd_select },
  { 0xC0, { 0x00, 0x00 }, cmd_get_response },
  { 0x84, { 0x00, 0x00 }, cs_fmcos_cmd_get_challenge },
  { 0x82, { 0x00, 0x00 }, cs_fmcos_cmd_external_auth },
  { 0x88, { 0x00, 0x00 }, cs_fmcos_cmd_internal_auth },
  { 0x20, { 0x00, 0x00 }, cs_fmcos_cmd_verify },
  { 0x24, { 0x84, 0x84 }, cs_fmcos_cmd_unblock },
  { 0x5E, { 0x80, 0x80 }, cs_fmcos_cmd_change_reload },
  { 0xD4, { 0x80, 0x84 }, cs_fmcos_cmd_write_key },
  { 0xE0, { 0x80, 0x80 }, cs_fmcos_cmd_create },
  { 0x0E, { 0x80, 0x80 }, cs_fmcos_cmd_erase },
  { 0xB0, { 0x00, 0x04 }, cs_fmcos_cmd_read_binary },
  { 0xD6, { 0x00, 0x04 }, cs_fmcos_cmd_update_binary },
  { 0xB2, { 0x00, 0x04 }, cs_fmcos_cmd_read_record },
  { 0xDC, { 0x00, 0x04 }, cs_fmcos_cmd_write_record },
  { 0xE2, { 0x00, 0x04 }, cs_fmcos_cmd_write_record },
};

static gboolean
known_cla (guint8 cla)
{
  return cla == 0x00 || cla == 0x04 || cla == 0x80 || cla == 0x84;
}

/* T=0 TPDU forms: 4 bytes (case 1), 5 bytes (P3 = Le, or P3 = 00 for case
 * 1), 5 + Lc (case 3, and case 4 as T=0 sends it), 5 + Lc + 1 (case 4 with
 * a trailing Le, tolerated). */
static gboolean
parse (FmApdu *a, const guint8 *c, gsize clen)
{
  if (clen < 4)
    return FALSE;
  a->cla = c[0];
  a->ins = c[1];
  a->p1 = c[2];
  a->p2 = c[3];
  if (clen == 4)
    return TRUE;
  a->has_p3 = TRUE;
  a->p3 = c[4];
  if (clen == 5)
    {
      a->has_le = TRUE;
      a->le = a->p3 ? a->p3 : 256;
      return TRUE;
    }
  if (a->p3 == 0)
    return FALSE;
  a->lc = a->p3;
  a->data = c + 5;
  if (clen == 5 + a->lc)
    return TRUE;
  if (clen == 5 + a->lc + 1)
    {
      a->has_le = TRUE;
      a->le = c[clen - 1] ? c[clen - 1] : 256;
      return TRUE;
    }
  return FALSE;
}

static guint16
dispatch (FmApdu *a, gboolean parsed)
{
  if (!parsed)
    return FM_SW_WRONG_LENGTH;
  if (!known_cla (a->cla))
    return FM_SW_WRONG_CLA;
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const FmCommand *cmd = &commands[i];

      if (cmd->ins != a->ins)
        continue;
      if (a->cla != cmd->cla[0] && a->cla != cmd->cla[1])
        return FM_SW_WRONG_CLA;
      return cmd->fn (a);
    }
  return FM_SW_WRONG_INS;
}

static gsize
fm_transmit (CsCard *card, const guint8 *capdu, gsize clen, guint8 *rapdu)
{
  FmModel *m = cs_fmcos_model (card);
  g_autofree FmApdu *a = g_new0 (FmApdu, 1);
  gboolean parsed;
  guint16 sw;
  gsize off = 0;

  a->card = card;
  a->m = m;
  /* A challenge is good for the next command only, whatever it is. */
  a->chal_ok = m->chal_next;
  m->chal_next = FALSE;
  parsed = parse (a, capdu, clen);
  if (!parsed || a->ins != 0xC0)
    m->resp_len = 0;

  sw = dispatch (a, parsed);
  if (a->out_len > FM_RESP_MAX)
    {
      /* A model bug: no answer may exceed a short R-APDU. */
      g_critical ("FMCOS model: %" G_GSIZE_FORMAT "-byte answer to INS %02X", a->out_len, a->ins);
      a->out_len = 0;
      sw = FM_SW_NO_RESPONSE;
    }
  if (sw == FM_SW_OK && a->out_len > 0)
    {
      if (a->out_later)
        {
          memcpy (m->resp, a->out, a->out_len);
          m->resp_len = a->out_len;
          sw = FM_SW_MORE (a->out_len);
        }
      else
        {
          memcpy (rapdu, a->out, a->out_len);
          off = a->out_len;
        }
    }
  cl_secure_wipe (a, sizeof *a);
  return cs_sw (rapdu, off, sw);
}

static void
fm_save (CsCard *card, GKeyFile *image)
{
  cs_fmcos_save (card, image);
}

static gboolean
fm_load (CsCard *card, GKeyFile *image, GError **error)
{
  FmModel *m = image ? NULL : cs_fmcos_model_new_blank ();

  if (image)
    {
      m = g_new0 (FmModel, 1);
      if (!cs_fmcos_load_image (m, image, error))
        {
          cs_fmcos_model_free (m);
          return FALSE;
        }
      cs_fmcos_reset_volatile (m);
    }
  cs_fmcos_model_free (card->model);
  card->model = m;
  return TRUE;
}

static char *
fm_describe (CsCard *card)
{
  return cs_fmcos_describe (card);
}

static void
fm_free_model (CsCard *card)
{
  cs_fmcos_model_free (card->model);
  card->model = NULL;
}

const CsCardOps cs_fmcos_ops = {
  .kind = CS_CARD_FMCOS,
  .get_atr = fm_get_atr,
  .power = fm_power,
  .transmit = fm_transmit,
  .save = fm_save,
  .load = fm_load,
  .describe = fm_describe,
  .free_model = fm_free_model,
};
