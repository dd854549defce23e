/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos-keys.c: FMCOS PIN and key management: external and internal
 * authentication, VERIFY with the last-try interlock, PIN change, reload and
 * unblock, WRITE KEY.  The interlock is described in docs/card-formats.md,
 * "Key operations via the MCC". */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-cmd-private.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-fmcos-private.h"
#include "cl-fmcos.h"
#include "cl-log.h"
#include "cl-sw.h"

/* -- tries bookkeeping (per connection, in the card's driver state) */

static guint8 *
tries_slot (ClCard *card, gboolean is_pin, guint8 kid)
{
  ClCardDriverState *st = cl_card_get_driver_state (card);

  return is_pin ? &st->pin_tries[kid] : &st->key_tries[kid];
}

void
cl_fmcos_set_known_tries (ClCard *card, gboolean is_pin, guint8 kid, gint tries)
{
  /* Stored +1 so that 0 means "unknown". */
  *tries_slot (card, is_pin, kid) = tries < 0 ? 0 : MIN (tries, 15) + 1;
}

gint
cl_fmcos_get_known_tries (ClCard *card, gboolean is_pin, guint8 kid)
{
  g_return_val_if_fail (CL_IS_CARD (card), CL_FMCOS_TRIES_UNKNOWN);

  return (gint) *tries_slot (card, is_pin, kid) - 1;
}

/* Refuses to spend a last try, or any try on a blocked PIN/key. */
gboolean
cl_fmcos_interlock (gint tries, gboolean allow_last_try, gboolean is_pin, GError **error)
{
  if (tries == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                           is_pin ? _ ("The PIN is blocked: no tries are left. It must be "
                                       "unblocked with the master control card.")
                                  : _ ("The card's key is blocked: no tries are left."));
      return FALSE;
    }
  if (tries == 1 && !allow_last_try)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LAST_TRY,
                           is_pin ? _ ("Only one PIN try is left. A wrong PIN now would block "
                                       "the card; confirm explicitly to go on.")
                                  : _ ("Only one authentication try is left for this card's "
                                       "key. A failure now would block it; confirm explicitly "
                                       "to go on."));
      return FALSE;
    }
  return TRUE;
}

/* -- authentication and PINs */

/* Maps the answer to a PIN/key check; records the tries the card gave. */
static gboolean
check_tries_reply (ClCard *card, const ClResponse *resp, gboolean is_pin, guint8 kid,
                   const char *what, gint *tries_left, GError **error)
{
  if (resp->sw == 0x9000)
    {
      cl_fmcos_set_known_tries (card, is_pin, kid, CL_FMCOS_TRIES_UNKNOWN);
      return TRUE;
    }
  if ((resp->sw & 0xFFF0) == 0x63C0 || resp->sw == 0x6983)
    {
      gint n = resp->sw == 0x6983 ? 0 : resp->sw & 0x0F;

      cl_fmcos_set_known_tries (card, is_pin, kid, n);
      if (tries_left)
        *tries_left = n;
      if (!is_pin && n > 0)
        {
          g_autoptr (GError) local = NULL;

          local = g_error_new (CL_ERROR, CL_ERROR_AUTH_FAILED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "%s: the card refused the authentication; %d try "
                                            "left.",
                                            "%s: the card refused the authentication; %d tries "
                                            "left.",
                                            n),
                               what, n);
          cl_log_error (NULL, local);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  cl_set_error_from_sw (error, resp->sw, what);
  return FALSE;
}

gboolean
cl_fmcos_external_authenticate (ClCard *card, guint8 kid, const guint8 cryptogram[8],
                                gint *tries_left, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (cryptogram != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  resp = cl_cmd_transmit (card, 0x00, 0x82, 0x00, kid, cryptogram, 8, CL_LE_NONE, 0, cancellable,
                          error);
  if (resp != NULL)
    ok = check_tries_reply (card, resp, FALSE, kid, _ ("External authentication"), tries_left,
                            error);
  cl_card_end (card);
  return ok;
}

ClKey *
cl_fmcos_internal_authenticate (ClCard *card, guint8 kid, const guint8 *data, gsize len,
                                GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  ClKey *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  /* The result (as long as the data: P1 00 encrypts) is a ClKey. */
  g_return_val_if_fail (data != NULL && len > 0 && len <= CL_KEY_MAX_LEN, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_card_begin (card, cancellable, error))
    return NULL;
  resp =
      cl_cmd_transmit (card, 0x00, 0x88, 0x00, kid, data, len, CL_LE_NONE,
                       CL_APDU_FLAG_SECRET_DATA | CL_APDU_FLAG_SECRET_RESPONSE, cancellable, error);
  if (resp != NULL && cl_cmd_check (resp, _ ("Computing with the card's key"), error))
    {
      if (resp->len == 0)
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card returned no result for the computation."));
      else if (resp->len != len)
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card returned %zu bytes instead of %zu."), resp->len, len);
      else
        out = cl_key_new_from_data (resp->data, resp->len);
    }
  cl_card_end (card);
  return out;
}

/* The ISO probe: VERIFY without data reports the tries left (63Cx). */
static gint
probe_pin_tries (ClCard *card, guint8 kid, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;

  resp = cl_cmd_transmit (card, 0x00, 0x20, 0x00, kid, NULL, 0, CL_LE_NONE, 0, cancellable, error);
  if (resp == NULL)
    return -2;
  if ((resp->sw & 0xFFF0) == 0x63C0)
    return resp->sw & 0x0F;
  if (resp->sw == 0x6983)
    return 0;
  return cl_fmcos_get_known_tries (card, TRUE, kid);
}

gint
cl_fmcos_get_pin_tries (ClCard *card, guint8 kid, GCancellable *cancellable, GError **error)
{
  gint tries;

  g_return_val_if_fail (CL_IS_CARD (card), -2);
  g_return_val_if_fail (error == NULL || *error == NULL, -2);

  if (!cl_card_begin (card, cancellable, error))
    return -2;
  tries = probe_pin_tries (card, kid, cancellable, error);
  cl_card_end (card);
  return tries;
}

static gboolean
verify_in_session (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                   gint *tries_left, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gint tries;

  tries = probe_pin_tries (card, kid, cancellable, error);
  if (tries == -2)
    return FALSE;
  if (tries_left)
    *tries_left = tries;
  if (!cl_fmcos_interlock (tries, allow_last_try, TRUE, error))
    return FALSE;
  resp =
      cl_cmd_transmit (card, 0x00, 0x20, 0x00, kid, cl_key_get_data (pin), cl_key_get_length (pin),
                       CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, cancellable, error);
  if (resp == NULL)
    return FALSE;
  return check_tries_reply (card, resp, TRUE, kid, _ ("Checking the PIN"), tries_left, error);
}

gboolean
cl_fmcos_verify (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                 gint *tries_left, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (pin != NULL && cl_key_get_length (pin) > 0
                            && cl_key_get_length (pin) <= CL_FMCOS_MAX_PIN,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  ok = verify_in_session (card, kid, pin, allow_last_try, tries_left, cancellable, error);
  cl_card_end (card);
  return ok;
}

gboolean
cl_fmcos_pin_change (ClCard *card, guint8 kid, const ClKey *old_pin, const ClKey *new_pin,
                     gboolean allow_last_try, gint *tries_left, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (ClKey) d = NULL;
  g_autoptr (ClResponse) resp = NULL;
  gsize ol, nl;
  gint tries;
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (old_pin != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ol = cl_key_get_length (old_pin);
  nl = cl_key_get_length (new_pin);
  g_return_val_if_fail (ol > 0 && ol <= CL_FMCOS_MAX_PIN && nl > 0 && nl <= CL_FMCOS_MAX_PIN,
                        FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  tries = probe_pin_tries (card, kid, cancellable, error);
  if (tries == -2 || !cl_fmcos_interlock (tries, allow_last_try, TRUE, error))
    goto out;
  d = cl_key_new (ol + 1 + nl);
  memcpy (cl_key_get_data_mutable (d), cl_key_get_data (old_pin), ol);
  cl_key_get_data_mutable (d)[ol] = 0xFF;
  memcpy (cl_key_get_data_mutable (d) + ol + 1, cl_key_get_data (new_pin), nl);
  resp = cl_cmd_transmit (card, 0x80, 0x5E, 0x01, kid, cl_key_get_data (d), ol + 1 + nl, CL_LE_NONE,
                          CL_APDU_FLAG_SECRET_DATA, cancellable, error);
  if (resp != NULL)
    ok = check_tries_reply (card, resp, TRUE, kid, _ ("Changing the PIN"), tries_left, error);
out:
  cl_card_end (card);
  return ok;
}

gboolean
cl_fmcos_pin_reload (ClCard *card, guint8 kid, const ClKey *reload_key, const ClKey *new_pin,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;
  guint8 mac[8];
  gsize nl;
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (reload_key != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  nl = cl_key_get_length (new_pin);
  g_return_val_if_fail (nl > 0 && nl <= CL_FMCOS_MAX_PIN, FALSE);

  /* PBOC reload: MAC of the new PIN under the reload key, IV 0. */
  if (!cl_mac3 (reload_key, NULL, CL_PAD_METHOD_2, cl_key_get_data (new_pin), nl, mac, error))
    return FALSE;
  d = cl_key_new (nl + 4);
  memcpy (cl_key_get_data_mutable (d), cl_key_get_data (new_pin), nl);
  memcpy (cl_key_get_data_mutable (d) + nl, mac, 4);
  cl_secure_wipe (mac, sizeof mac);
  ok = cl_fmcos_simple (card, _ ("Resetting the PIN"), 0x80, 0x5E, 0x00, kid, cl_key_get_data (d),
                        nl + 4, CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, NULL, cancellable, error);
  if (ok)
    cl_fmcos_set_known_tries (card, TRUE, kid, CL_FMCOS_TRIES_UNKNOWN);
  return ok;
}

gboolean
cl_fmcos_pin_unblock (ClCard *card, guint8 kid, guint8 unblock_kid, const ClKey *unblock_key,
                      const ClKey *new_pin, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (unblock_key != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (
      cl_key_get_length (new_pin) > 0 && cl_key_get_length (new_pin) <= CL_FMCOS_MAX_PIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = cl_fmcos_secure_command (card, _ ("Unblocking the PIN"), 0x84, 0x24, kid, unblock_kid,
                                cl_key_get_data (new_pin), cl_key_get_length (new_pin), unblock_key,
                                unblock_key, cancellable, error);
  if (ok)
    cl_fmcos_set_known_tries (card, TRUE, kid, CL_FMCOS_TRIES_UNKNOWN);
  return ok;
}

static ClKey *
key_data (const guint8 *header, gsize header_len, const ClKey *key)
{
  ClKey *d = cl_key_new (header_len + cl_key_get_length (key));

  memcpy (cl_key_get_data_mutable (d), header, header_len);
  memcpy (cl_key_get_data_mutable (d) + header_len, cl_key_get_data (key), cl_key_get_length (key));
  return d;
}

gboolean
cl_fmcos_write_key (ClCard *card, guint8 p1, guint8 kid, const guint8 *header, gsize header_len,
                    const ClKey *key, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (header != NULL && header_len > 0 && header_len <= 8 && key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = key_data (header, header_len, key);
  return cl_fmcos_simple (card, _ ("Writing a key"), 0x80, 0xD4, p1, kid, cl_key_get_data (d),
                          cl_key_get_length (d), CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, NULL,
                          cancellable, error);
}

gboolean
cl_fmcos_write_key_secure (ClCard *card, guint8 p1, guint8 kid, const guint8 *header,
                           gsize header_len, const ClKey *key, const ClKey *protect_key,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (header != NULL && header_len > 0 && header_len <= 8 && key != NULL
                            && protect_key != NULL,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = key_data (header, header_len, key);
  return cl_fmcos_secure_command (card, _ ("Writing a key"), 0x84, 0xD4, p1, kid,
                                  cl_key_get_data (d), cl_key_get_length (d), protect_key,
                                  protect_key, cancellable, error);
}

/* The outputs live in the task data, so that _finish returns the tries
 * left on failure too: that is when the caller needs them. */
typedef struct {
  guint8 kid;
  ClKey *pin;
  gboolean allow_last_try;
  gint tries_left; /* out */
} VerifyData;

static void
verify_data_free (VerifyData *d)
{
  g_clear_pointer (&d->pin, cl_key_free);
  g_free (d);
}

static gpointer
verify_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  VerifyData *d = data;

  if (!cl_fmcos_verify (card, d->kid, d->pin, d->allow_last_try, &d->tries_left, cancellable,
                        error))
    return NULL;
  return GINT_TO_POINTER (1);
}

void
cl_fmcos_verify_async (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  VerifyData *d;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (pin != NULL);

  d = g_new0 (VerifyData, 1);
  d->kid = kid;
  d->pin = cl_key_dup (pin);
  d->allow_last_try = allow_last_try;
  d->tries_left = CL_FMCOS_TRIES_UNKNOWN;
  cl_cmd_run_async (card, cl_fmcos_verify_async, verify_thread, d,
                    (GDestroyNotify) verify_data_free, NULL, cancellable, callback, user_data);
}

gboolean
cl_fmcos_verify_finish (ClCard *card, GAsyncResult *result, gint *tries_left, GError **error)
{
  gboolean ok = cl_cmd_run_finish (card, result, cl_fmcos_verify_async, error) != NULL;
  VerifyData *d = cl_cmd_run_get_data (result);

  if (tries_left)
    *tries_left = d->tries_left;
  return ok;
}
