/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos.h: typed FMCOS 2.0 commands over a ClCard, secure messaging,
 * split over cl-fmcos.c (files), cl-fmcos-sm.c (secure messaging) and
 * cl-fmcos-keys.c (PINs and keys); formats in docs/card-formats.md, "FMCOS
 * simulator".  External authentication through an authority: cl-authority.h.
 *
 * Each call is one transaction (cl_card_begin/cl_card_end); a caller that
 * needs several calls to be atomic wraps them in its own begin/end (the
 * transaction nests in the reader layer's counter).  Keys, PINs and
 * cryptograms-that-are-keys are ClKeys and are flagged secret on the wire.
 *
 * Status words become CL_ERRORs (cl-sw.h); tries left from 63Cx are
 * reported through *tries_left where a call has that argument.
 */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"
#include "cl-key.h"

G_BEGIN_DECLS

#define CL_FMCOS_MF 0x3F00
#define CL_FMCOS_TRIES_UNKNOWN (-1)

/* ---- files ---- */
gboolean cl_fmcos_select_fid (ClCard *card, guint16 fid, GBytes **fci, GCancellable *cancellable,
                              GError **error);
gboolean cl_fmcos_select_name (ClCard *card, const guint8 *name, gsize len, GBytes **fci,
                               GCancellable *cancellable, GError **error);
/* sfi 0 = the current EF.  Reads in chunks of at most 250 bytes. */
GBytes *cl_fmcos_read_binary (ClCard *card, guint8 sfi, guint offset, gsize len,
                              GCancellable *cancellable, GError **error);
gboolean cl_fmcos_update_binary (ClCard *card, guint8 sfi, guint offset, const guint8 *data,
                                 gsize len, GCancellable *cancellable, GError **error);
/* The same for files whose contents are secret (the key transport card's
 * codes and scatter factors): the data travels in a ClKey and shows as **
 * in the APDU log and the transcript. */
ClKey *cl_fmcos_read_binary_secret (ClCard *card, guint8 sfi, guint offset, gsize len,
                                    GCancellable *cancellable, GError **error);
gboolean cl_fmcos_update_binary_secret (ClCard *card, guint8 sfi, guint offset, const ClKey *data,
                                        GCancellable *cancellable, GError **error);
/* UPDATE BINARY with a PBOC MAC (EF type with prot bit 80): gets a
 * challenge, then 04 D6 … data ‖ MAC4 under mac_key. */
gboolean cl_fmcos_update_binary_mac (ClCard *card, guint8 sfi, guint offset, const guint8 *data,
                                     gsize len, const ClKey *mac_key, GCancellable *cancellable,
                                     GError **error);
/* UPDATE BINARY of a line-encrypted EF (type | C0): 04 D6 … E_K(LD ‖ data)
 * ‖ MAC4 under line_key with a fresh challenge.  len <= 239. */
gboolean cl_fmcos_update_binary_encrypt (ClCard *card, guint8 sfi, guint offset, const ClKey *data,
                                         const ClKey *line_key, GCancellable *cancellable,
                                         GError **error);
/* READ BINARY of a line-protected EF (04 B0 … MAC4 under line_key with a
 * fresh challenge): the reply TDES_ECB_K(LD ‖ data ‖ 80 00..) is decrypted
 * and unpadded into locked memory.  len <= CL_KEY_MAX_LEN (a ClKey). */
ClKey *cl_fmcos_read_binary_decrypt (ClCard *card, guint8 sfi, guint offset, gsize len,
                                     const ClKey *line_key, GCancellable *cancellable,
                                     GError **error);
GBytes *cl_fmcos_read_record (ClCard *card, guint8 sfi, guint8 record, GCancellable *cancellable,
                              GError **error);
gboolean cl_fmcos_update_record (ClCard *card, guint8 sfi, guint8 record, const guint8 *data,
                                 gsize len, GCancellable *cancellable, GError **error);
ClKey *cl_fmcos_read_record_secret (ClCard *card, guint8 sfi, guint8 record,
                                    GCancellable *cancellable, GError **error);
gboolean cl_fmcos_update_record_secret (ClCard *card, guint8 sfi, guint8 record, const ClKey *data,
                                        GCancellable *cancellable, GError **error);
gboolean cl_fmcos_append_record (ClCard *card, guint8 sfi, const guint8 *data, gsize len,
                                 GCancellable *cancellable, GError **error);

/* ---- file creation ---- */
gboolean cl_fmcos_create_df (ClCard *card, guint16 fid, guint16 space, guint8 create_right,
                             guint8 erase_right, guint8 app_id, const guint8 *name, gsize name_len,
                             GCancellable *cancellable, GError **error);
gboolean cl_fmcos_create_key_file (ClCard *card, guint16 fid, guint16 space, guint8 df_sfi,
                                   guint8 add_right, GCancellable *cancellable, GError **error);
/* An EF's write flag (CREATE FILE data byte 5, docs/card-formats.md):
 * REPEAT may be updated as often as its write right allows; ONCE only
 * once, under its write right (files never rewritten after issuance: a
 * card's info file, the inputs and keys of a KTC).  Write right EF is
 * "never", whatever the flag. */
typedef enum {
  CL_FMCOS_WRITE_REPEAT = 0x00,
  CL_FMCOS_WRITE_ONCE = 0x01,
} ClFmcosWriteFlag;

/* type: 28 binary, 2A fixed record, 2E cyclic (| 80 MAC, | C0 MAC+enc);
 * size: bytes, or nrec<<8 | reclen for record files. */
gboolean cl_fmcos_create_ef (ClCard *card, guint16 fid, guint8 type, guint16 size,
                             guint8 read_right, guint8 write_right, ClFmcosWriteFlag write_flag,
                             guint8 access, GCancellable *cancellable, GError **error);
/* Erases the current DF (needs its erase right). */
gboolean cl_fmcos_erase_df (ClCard *card, GCancellable *cancellable, GError **error);

/* ---- security ---- */
gboolean cl_fmcos_get_challenge (ClCard *card, guint8 *out, gsize len, GCancellable *cancellable,
                                 GError **error);
/* Low level: sends 00 82 00 kid 08 cryptogram.  Prefer cl_authority_*. */
gboolean cl_fmcos_external_authenticate (ClCard *card, guint8 kid, const guint8 cryptogram[8],
                                         gint *tries_left, GCancellable *cancellable,
                                         GError **error);
/* 00 88 00 kid: the card encrypts data with its key kid.  The result may be
 * key material (PSC, key halves): it comes back as a ClKey (so len <=
 * CL_KEY_MAX_LEN; a reply of another length is an error) and is redacted
 * in the log. */
ClKey *cl_fmcos_internal_authenticate (ClCard *card, guint8 kid, const guint8 *data, gsize len,
                                       GCancellable *cancellable, GError **error);

/* VERIFY with the last-try interlock: the tries left are learnt first (the
 * ISO probe `00 20 00 kid` without data answers 63Cx, or the count the card
 * reported last on this connection); with one try left the call fails with
 * CL_ERROR_LAST_TRY unless allow_last_try.  *tries_left: the count after
 * the call, or CL_FMCOS_TRIES_UNKNOWN. */
gboolean cl_fmcos_verify (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                          gint *tries_left, GCancellable *cancellable, GError **error);
/* The tries left of PIN kid, asked without spending one (VERIFY without
 * data): 0..15, CL_FMCOS_TRIES_UNKNOWN when the card does not say, or -2
 * with *error set when the exchange failed. */
gint cl_fmcos_get_pin_tries (ClCard *card, guint8 kid, GCancellable *cancellable, GError **error);
/* The count the card reported for a PIN or key on this connection. */
gint cl_fmcos_get_known_tries (ClCard *card, gboolean is_pin, guint8 kid);

/* PIN UNBLOCK 84 24 kid unblock_kid: E_unblock(LD ‖ PIN) ‖ MAC (challenge
 * IV); sets the PIN to new_pin and refills its counter. */
gboolean cl_fmcos_pin_unblock (ClCard *card, guint8 kid, guint8 unblock_kid,
                               const ClKey *unblock_key, const ClKey *new_pin,
                               GCancellable *cancellable, GError **error);
/* PIN RELOAD 80 5E 00 kid: PIN ‖ MAC_reload(PIN) (IV 0). */
gboolean cl_fmcos_pin_reload (ClCard *card, guint8 kid, const ClKey *reload_key,
                              const ClKey *new_pin, GCancellable *cancellable, GError **error);
/* PIN CHANGE 80 5E 01 kid: old ‖ FF ‖ new. */
gboolean cl_fmcos_pin_change (ClCard *card, guint8 kid, const ClKey *old_pin, const ClKey *new_pin,
                              gboolean allow_last_try, gint *tries_left, GCancellable *cancellable,
                              GError **error);

/* WRITE KEY 80 D4 p1 kid, data = header ‖ key (header: type use change b3
 * b4, as docs/card-formats.md).  p1 = 01 adds, p1 = key type updates. */
gboolean cl_fmcos_write_key (ClCard *card, guint8 p1, guint8 kid, const guint8 *header,
                             gsize header_len, const ClKey *key, GCancellable *cancellable,
                             GError **error);
/* The same in cipher+MAC form under protect_key (the DF's master key, or
 * the line-protection key): 84 D4 … E(LD ‖ header ‖ key) ‖ MAC4. */
gboolean cl_fmcos_write_key_secure (ClCard *card, guint8 p1, guint8 kid, const guint8 *header,
                                    gsize header_len, const ClKey *key, const ClKey *protect_key,
                                    GCancellable *cancellable, GError **error);

/* ---- secure-messaging primitives (exposed for tests and workflows) ---- */
/* MAC4 over CLA INS P1 P2 Lc' ‖ data (Lc' = len + 4), IV = challenge4 ‖ 0. */
gboolean cl_fmcos_sm_mac (const ClKey *key, const guint8 challenge[4], guint8 cla, guint8 ins,
                          guint8 p1, guint8 p2, const guint8 *data, gsize len, guint8 mac[4],
                          GError **error);
/* TDES_ECB_K(LD ‖ data ‖ 80 00..) (always padded). */
guint8 *cl_fmcos_line_encrypt (const ClKey *key, const guint8 *data, gsize len, gsize *out_len,
                               GError **error);
ClKey *cl_fmcos_line_decrypt (const ClKey *key, const guint8 *cipher, gsize len, GError **error);

void cl_fmcos_verify_async (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
/* *tries_left is set on failure too (wrong PIN, last try refused). */
gboolean cl_fmcos_verify_finish (ClCard *card, GAsyncResult *result, gint *tries_left,
                                 GError **error);

G_END_DECLS
