/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sle4428.h: the SLE4428 memory card behind a PC/SC reader's
 * pseudo-APDUs (ACS CCID convention, docs/card-formats.md, "Pseudo-APDUs").
 *
 * Every call selects the card type first (FF A4 00 00 01 05) and runs inside
 * cl_card_begin()/cl_card_end().  Reader variations handled: PRESENT CODE
 * answering `90 ErrCnt` or `ErrCnt Code1 Code2 90 00` (or 63Cx/6983 as on
 * OMNIKEY); FF B1 with Le 03, 04 or 00; FF B2 meaning "protection bits"
 * (CCID) or "memory without protect bits" (old ACR38 firmware).
 *
 * The PSC is a ClKey of 2 bytes; it is flagged secret on the wire, so the
 * log and the transcript show it as "** **".
 */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"
#include "cl-key.h"

G_BEGIN_DECLS

#define CL_SLE4428_SIZE 1024
#define CL_SLE4428_SERIAL_ADDR 0x008
#define CL_SLE4428_SERIAL_LEN 8
#define CL_SLE4428_ERRCNT_ADDR 0x3FD
#define CL_SLE4428_PSC_ADDR 0x3FE
#define CL_SLE4428_PSC_LEN 2
#define CL_SLE4428_MAX_TRIES 8

gboolean cl_sle4428_select (ClCard *card, GCancellable *cancellable, GError **error);

/* Largest transfer per APDU (default 255; old ACR38 firmware: 0xEC). */
void cl_sle4428_set_chunk_size (ClCard *card, guint chunk);

/* Any range that does not include the PSC (0x3FE-0x3FF). */
GBytes *cl_sle4428_read (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                         GError **error);
/* Any range, into locked memory: for reads that include the PSC (which
 * reads back in clear once presented). */
ClKey *cl_sle4428_read_secret (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                               GError **error);
gboolean cl_sle4428_read_serial (ClCard *card, guint8 serial[CL_SLE4428_SERIAL_LEN],
                                 GCancellable *cancellable, GError **error);
/* Needs the PSC presented in this session. */
gboolean cl_sle4428_write (ClCard *card, guint addr, const guint8 *data, gsize len,
                           GCancellable *cancellable, GError **error);
/* Compare-and-protect: sets the protect bit of each byte that equals data;
 * fails with CL_ERROR_WRITE_PROTECTED when a byte still reads writable. */
gboolean cl_sle4428_write_protect (ClCard *card, guint addr, const guint8 *data, gsize len,
                                   GCancellable *cancellable, GError **error);

/* -- EEPROM economy (docs/card-formats.md, "Writing only what differs").
 * Each written byte costs the chip an erase/write cycle and milliseconds,
 * and protection is for ever: callers read the range first and pass both
 * what they want and what is there.  Identical data sends nothing at all
 * (not even the card-type selection). */

/* Runs of differing bytes separated by at most this many equal bytes are
 * sent as one when that takes fewer APDUs. */
#define CL_SLE4428_COALESCE_GAP 2

typedef struct {
  guint addr;
  guint len; /* 1 .. chunk: one APDU */
} ClSle4428Run;

/* The APDUs (a GArray of ClSle4428Run, in address order) that turn current
 * into wanted over addr .. addr + len - 1 with at most chunk bytes each. */
GArray *cl_sle4428_plan_writes (guint addr, const guint8 *wanted, const guint8 *current, gsize len,
                                guint chunk);
/* The same for compare-and-protect: the bytes still writable. */
GArray *cl_sle4428_plan_protect (guint addr, const gboolean *protected_now, gsize len, guint chunk);

/* Writes only the planned runs (the PSC must be presented when there is
 * anything to write).  *apdus (the FF D0 sent) and *bytes (the bytes in
 * them, gaps included) may be NULL. */
gboolean cl_sle4428_write_changes (ClCard *card, guint addr, const guint8 *wanted,
                                   const guint8 *current, gsize len, guint *apdus, gsize *bytes,
                                   GCancellable *cancellable, GError **error);
/* Compare-and-protect of the bytes of data that protected_now says are
 * still writable, then one read of the protection bits of what was sent to
 * check it took (CL_ERROR_WRITE_PROTECTED otherwise).  *apdus counts the
 * FF D1 only. */
gboolean cl_sle4428_protect_changes (ClCard *card, guint addr, const guint8 *data,
                                     const gboolean *protected_now, gsize len, guint *apdus,
                                     GCancellable *cancellable, GError **error);

/* Raw counter byte (FF = no failure since the last success, 00 = locked)
 * and the tries left (its 1 bits). */
gboolean cl_sle4428_read_error_counter (ClCard *card, guint8 *errcnt, guint *tries_left,
                                        GCancellable *cancellable, GError **error);

/* Reads the counter first: CL_ERROR_LOCKED when no try is left, and
 * CL_ERROR_LAST_TRY when only one is left and allow_last_try is FALSE (the
 * card is not touched then).  A wrong PSC gives CL_ERROR_WRONG_PIN with the
 * tries left in *tries_left (and the message). */
gboolean cl_sle4428_present_psc (ClCard *card, const ClKey *psc, gboolean allow_last_try,
                                 guint *tries_left, GCancellable *cancellable, GError **error);

/* Presents old_psc (same interlock), writes new_psc to 0x3FE and reads it
 * back. */
gboolean cl_sle4428_change_psc (ClCard *card, const ClKey *old_psc, const ClKey *new_psc,
                                gboolean allow_last_try, GCancellable *cancellable, GError **error);

/* One gboolean per byte from addr: TRUE = write-protected. */
gboolean cl_sle4428_read_protection (ClCard *card, guint addr, gsize count, gboolean *protected_out,
                                     GCancellable *cancellable, GError **error);
/* "0x000-0x01F protected; 0x020-0x3FF writable" style summary. */
char *cl_sle4428_protection_summary (const gboolean protected_map[CL_SLE4428_SIZE]);

/* Async forms of the operations the UI runs (g_task_run_in_thread). */
void cl_sle4428_present_psc_async (ClCard *card, const ClKey *psc, gboolean allow_last_try,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
/* *tries_left is set on failure too (wrong PSC, last try refused). */
gboolean cl_sle4428_present_psc_finish (ClCard *card, GAsyncResult *result, guint *tries_left,
                                        GError **error);
void cl_sle4428_read_async (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
GBytes *cl_sle4428_read_finish (ClCard *card, GAsyncResult *result, GError **error);

G_END_DECLS
