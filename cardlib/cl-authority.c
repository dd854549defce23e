/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-authority.c: who computes the external-authentication cryptogram
 * for a CPU card: a key the host holds, or the master control card
 * (docs/card-formats.md, "Key operations via the MCC"). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-authority.h"
#include "cl-cmd-private.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-fmcos-private.h"
#include "cl-fmcos.h"

/* -- authorities */

typedef enum {
  AUTH_KEY,
  AUTH_MCC,
} AuthorityKind;

struct _ClAuthority {
  AuthorityKind kind;
  ClKey *key; /* AUTH_KEY */
  ClCard *mcc; /* AUTH_MCC */
  guint8 mk_kid;
};

ClAuthority *
cl_authority_new_key (const ClKey *key)
{
  ClAuthority *a;

  g_return_val_if_fail (key != NULL, NULL);

  a = g_atomic_rc_box_new0 (ClAuthority);
  a->kind = AUTH_KEY;
  a->key = cl_key_dup (key);
  return a;
}

ClAuthority *
cl_authority_new_mcc (ClCard *mcc, guint8 mk_kid)
{
  ClAuthority *a;

  g_return_val_if_fail (CL_IS_CARD (mcc), NULL);

  a = g_atomic_rc_box_new0 (ClAuthority);
  a->kind = AUTH_MCC;
  a->mcc = g_object_ref (mcc);
  a->mk_kid = mk_kid;
  return a;
}

static void
authority_clear (gpointer data)
{
  ClAuthority *authority = data;

  g_clear_pointer (&authority->key, cl_key_free);
  g_clear_object (&authority->mcc);
}

ClAuthority *
cl_authority_ref (ClAuthority *authority)
{
  g_return_val_if_fail (authority != NULL, NULL);
  return g_atomic_rc_box_acquire (authority);
}

void
cl_authority_unref (ClAuthority *authority)
{
  if (authority != NULL)
    g_atomic_rc_box_release_full (authority, authority_clear);
}

/* CMK(X) = E_MK(SN) ‖ E_MK(~SN), each half computed by the MCC.  The key
 * exists on the host only in locked memory, for one cryptogram. */
static ClKey *
mcc_card_key (ClAuthority *a, const guint8 serial[8], GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) left = NULL;
  g_autoptr (ClKey) right = NULL;
  guint8 inv[8];

  for (guint i = 0; i < 8; i++)
    inv[i] = ~serial[i];
  if (!cl_card_begin (a->mcc, cancellable, error))
    return NULL;
  left = cl_fmcos_internal_authenticate (a->mcc, a->mk_kid, serial, 8, cancellable, error);
  if (left != NULL)
    right = cl_fmcos_internal_authenticate (a->mcc, a->mk_kid, inv, 8, cancellable, error);
  cl_card_end (a->mcc);
  cl_secure_wipe (inv, sizeof inv);
  if (right == NULL)
    return NULL;
  if (cl_key_get_length (left) != 8 || cl_key_get_length (right) != 8)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                   _ ("The master control card returned a result of the wrong length."));
      return NULL;
    }
  return cl_key_concat (left, right);
}

ClKey *
cl_authority_card_key (ClAuthority *authority, const guint8 serial[8], GCancellable *cancellable,
                       GError **error)
{
  g_return_val_if_fail (authority != NULL, NULL);
  g_return_val_if_fail (authority->kind != AUTH_MCC || serial != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (authority->kind == AUTH_MCC)
    return mcc_card_key (authority, serial, cancellable, error);
  return cl_key_dup (authority->key);
}

gboolean
cl_authority_external_authenticate (ClAuthority *authority, ClCard *target, const guint8 serial[8],
                                    guint8 kid, gboolean allow_last_try, GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (ClKey) card_key = NULL;
  guint8 chal[8], crypt[8];
  gboolean ok = FALSE;

  g_return_val_if_fail (authority != NULL, FALSE);
  g_return_val_if_fail (CL_IS_CARD (target), FALSE);
  g_return_val_if_fail (authority->kind != AUTH_MCC || serial != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (authority->kind == AUTH_MCC && target == authority->mcc)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_WRONG_CARD,
                   _ ("The master control card cannot authenticate to itself; put the other "
                      "card in the user reader."));
      return FALSE;
    }
  if (!cl_fmcos_interlock (cl_fmcos_get_known_tries (target, FALSE, kid), allow_last_try, FALSE,
                           error))
    return FALSE;

  /* The card key first: the challenge must be the card's last command. */
  card_key = cl_authority_card_key (authority, serial, cancellable, error);
  if (card_key == NULL)
    return FALSE;

  if (!cl_card_begin (target, cancellable, error))
    return FALSE;
  if (cl_fmcos_get_challenge (target, chal, 8, cancellable, error)
      && cl_des_ecb_encrypt (card_key, chal, 8, crypt, error))
    ok = cl_fmcos_external_authenticate (target, kid, crypt, NULL, cancellable, error);
  cl_card_end (target);
  cl_secure_wipe (crypt, sizeof crypt);
  return ok;
}

/* -- async */

typedef struct {
  ClAuthority *authority; /* a reference: the caller may drop its own */
  guint8 serial[8];
  gboolean has_serial;
  guint8 kid;
  gboolean allow_last_try;
} ExtAuthData;

static void
ext_auth_data_free (ExtAuthData *d)
{
  cl_authority_unref (d->authority);
  g_free (d);
}

static gpointer
ext_auth_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  ExtAuthData *d = data;

  if (!cl_authority_external_authenticate (d->authority, card, d->has_serial ? d->serial : NULL,
                                           d->kid, d->allow_last_try, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

void
cl_authority_external_authenticate_async (ClAuthority *authority, ClCard *target,
                                          const guint8 serial[8], guint8 kid,
                                          gboolean allow_last_try, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  ExtAuthData *d;

  g_return_if_fail (authority != NULL);
  g_return_if_fail (CL_IS_CARD (target));

  d = g_new0 (ExtAuthData, 1);
  d->authority = cl_authority_ref (authority);
  d->has_serial = serial != NULL;
  if (serial != NULL)
    memcpy (d->serial, serial, 8);
  d->kid = kid;
  d->allow_last_try = allow_last_try;
  cl_cmd_run_async (target, cl_authority_external_authenticate_async, ext_auth_thread, d,
                    (GDestroyNotify) ext_auth_data_free, NULL, cancellable, callback, user_data);
}

gboolean
cl_authority_external_authenticate_finish (ClCard *target, GAsyncResult *result, GError **error)
{
  return cl_cmd_run_finish (target, result, cl_authority_external_authenticate_async, error)
         != NULL;
}
