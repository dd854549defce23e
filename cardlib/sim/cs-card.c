/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-card.c: the common layer of a simulated card: kind dispatch, card
 * images (GKeyFile text, written atomically), tear bookkeeping. */
#include "cs-card-private.h"
#include "cl-codec.h"

#include <string.h>

#define CS_IMAGE_FORMAT 1

/* Kind -> chip model.  A table rather than a switch so each model is one
 * entry; the FMCOS model lives in cs-fmcos.c. */
static const CsCardOps *
ops_for_kind (CsCardKind kind)
{
  switch (kind)
    {
    case CS_CARD_SLE4428:
      return &cs_sle4428_ops;
    case CS_CARD_FMCOS:
      return &cs_fmcos_ops;
    default:
      return NULL;
    }
}

static CsCard *
card_new (const CsCardOps *ops, const guint8 serial[CS_SERIAL_LEN])
{
  CsCard *card = g_new0 (CsCard, 1);

  card->ops = ops;
  if (serial)
    memcpy (card->serial, serial, CS_SERIAL_LEN);
  card->tear_bytes = -1;
  return card;
}

/* Models build their blank (factory) state in load() given no image. */
static CsCard *
card_new_blank (CsCardKind kind, const guint8 serial[CS_SERIAL_LEN])
{
  const CsCardOps *ops = ops_for_kind (kind);
  CsCard *card = card_new (ops, serial);

  if (!ops->load (card, NULL, NULL))
    g_assert_not_reached (); /* a blank card cannot fail */
  card->dirty = TRUE; /* never saved yet */
  return card;
}

CsCard *
cs_card_new_sle4428 (const guint8 serial[CS_SERIAL_LEN])
{
  g_return_val_if_fail (serial != NULL, NULL);
  return card_new_blank (CS_CARD_SLE4428, serial);
}

CsCard *
cs_card_new_fmcos (const guint8 serial[CS_SERIAL_LEN])
{
  g_return_val_if_fail (serial != NULL, NULL);
  return card_new_blank (CS_CARD_FMCOS, serial);
}

const char *
cs_card_kind_to_string (CsCardKind kind)
{
  switch (kind)
    {
    case CS_CARD_SLE4428:
      return "sle4428";
    case CS_CARD_FMCOS:
      return "cpu";
    default:
      return "unknown";
    }
}

gboolean
cs_card_kind_from_string (const char *str, CsCardKind *kind)
{
  g_return_val_if_fail (str != NULL, FALSE);

  if (g_ascii_strcasecmp (str, "sle4428") == 0)
    *kind = CS_CARD_SLE4428;
  else if (g_ascii_strcasecmp (str, "cpu") == 0 || g_ascii_strcasecmp (str, "fmcos") == 0)
    *kind = CS_CARD_FMCOS;
  else
    return FALSE;
  return TRUE;
}

CsCardKind
cs_card_get_kind (CsCard *card)
{
  return card->ops->kind;
}

const guint8 *
cs_card_get_serial (CsCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return card->serial;
}

GBytes *
cs_card_get_atr (CsCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return card->ops->get_atr (card);
}

void
cs_card_power (CsCard *card, CsPower power)
{
  g_return_if_fail (card != NULL);
  card->ops->power (card, power);
}

gsize
cs_card_transmit (CsCard *card, const guint8 *capdu, gsize clen, guint8 *rapdu)
{
  gsize rlen;

  g_return_val_if_fail (card != NULL, 0);
  g_return_val_if_fail (capdu != NULL || clen == 0, 0);
  g_return_val_if_fail (rapdu != NULL, 0);

  rlen = card->ops->transmit (card, capdu, clen, rapdu);
  if (rlen < 2 || rlen > CS_SHORT_RESPONSE_MAX)
    {
      /* A model bug; the host must still never see an empty reply. */
      g_critical ("%s model answered %" G_GSIZE_FORMAT " bytes",
                  cs_card_kind_to_string (card->ops->kind), rlen);
      rlen = cs_sw (rapdu, 0, 0x6F00);
    }
  return rlen;
}

gboolean
cs_card_is_dirty (CsCard *card)
{
  return card->dirty;
}

void
cs_card_set_tear (CsCard *card, gint bytes)
{
  g_return_if_fail (card != NULL);
  card->tear_bytes = bytes < 0 ? -1 : bytes;
  card->torn = FALSE;
}

void
cs_card_set_commit_func (CsCard *card, CsCardCommitFunc func, gpointer data)
{
  g_return_if_fail (card != NULL);
  card->commit = func;
  card->commit_data = data;
}

gboolean
cs_card_was_torn (CsCard *card)
{
  return card->torn;
}

gsize
cs_card_consume_tear (CsCard *card, gsize n)
{
  gsize landed;

  if (card->tear_bytes < 0)
    return n;
  landed = MIN ((gsize) card->tear_bytes, n);
  card->tear_bytes = -1;
  card->torn = TRUE;
  return landed;
}

/* ---- images ---------------------------------------------------------- */

char *
cs_card_to_image (CsCard *card, gsize *length)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *serial = NULL;

  g_return_val_if_fail (card != NULL, NULL);

  serial = cl_hex_encode (card->serial, CS_SERIAL_LEN);
  g_key_file_set_comment (kf, NULL, NULL,
                          " insucard simulated card image (docs/card-formats.md, \"Card images\")",
                          NULL);
  g_key_file_set_integer (kf, "card", "format", CS_IMAGE_FORMAT);
  g_key_file_set_string (kf, "card", "kind", cs_card_kind_to_string (card->ops->kind));
  g_key_file_set_string (kf, "card", "serial", serial);
  card->ops->save (card, kf);
  return g_key_file_to_data (kf, length, NULL);
}

static gboolean
parse_serial (const char *text, guint8 serial[CS_SERIAL_LEN])
{
  /* The length check first: cl_hex_decode would skip white space. */
  return text != NULL && strlen (text) == 2 * CS_SERIAL_LEN
         && cl_hex_decode (text, serial, CS_SERIAL_LEN, NULL);
}

CsCard *
cs_card_new_from_image (const char *text, gsize length, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *kind_str = NULL;
  g_autofree char *serial_str = NULL;
  g_autoptr (CsCard) card = NULL;
  guint8 serial[CS_SERIAL_LEN];
  CsCardKind kind;
  gint format;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_KEEP_COMMENTS, error))
    return NULL;

  format = g_key_file_get_integer (kf, "card", "format", NULL);
  if (format != CS_IMAGE_FORMAT)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "card image: unsupported format %d (expected %d)", format, CS_IMAGE_FORMAT);
      return NULL;
    }
  kind_str = g_key_file_get_string (kf, "card", "kind", NULL);
  if (kind_str == NULL || !cs_card_kind_from_string (kind_str, &kind))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "card image: unknown card kind “%s”", kind_str ? kind_str : "");
      return NULL;
    }
  serial_str = g_key_file_get_string (kf, "card", "serial", NULL);
  if (!parse_serial (serial_str, serial))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "card image: serial must be %d hex digits", 2 * CS_SERIAL_LEN);
      return NULL;
    }

  card = card_new (ops_for_kind (kind), serial);
  if (!card->ops->load (card, kf, error))
    return NULL;
  card->dirty = FALSE;
  return g_steal_pointer (&card);
}

CsCard *
cs_card_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  gsize length;
  CsCard *card;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  card = cs_card_new_from_image (text, length, &local);
  if (card == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      return NULL;
    }
  return card;
}

gboolean
cs_card_save (CsCard *card, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (card != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = cs_card_to_image (card, &length);
  /* Temp file + fsync + rename: a reader (or a crash) sees the old image or
   * the new one, never half of each.  0600: the image holds the PSC/keys. */
  if (!g_file_set_contents_full (path, text, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 error))
    return FALSE;
  card->dirty = FALSE;
  return TRUE;
}

char *
cs_card_describe (CsCard *card)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GBytes) atr = NULL;
  g_autofree char *model = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *atr_hex = NULL;
  const guint8 *atr_data;
  gsize atr_len;

  g_return_val_if_fail (card != NULL, NULL);

  g_string_append_printf (out, "kind:    %s\n", cs_card_kind_to_string (card->ops->kind));
  serial = cl_hex_encode (card->serial, CS_SERIAL_LEN);
  atr = card->ops->get_atr (card);
  atr_data = g_bytes_get_data (atr, &atr_len);
  atr_hex = cl_hex_encode_spaced (atr_data, atr_len);
  g_string_append_printf (out, "serial:  %s\natr:    %s%s\n", serial, atr_len ? " " : "", atr_hex);
  model = card->ops->describe (card);
  g_string_append (out, model);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
cs_card_free (CsCard *card)
{
  if (card == NULL)
    return;
  if (card->ops && card->ops->free_model)
    card->ops->free_model (card);
  g_free (card);
}
