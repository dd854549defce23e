/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-ceremonies.h: the key ceremonies and the maintenance of the CPU
 * cards, as operator tasks (docs/user-guide.md, "Key ceremonies").
 *
 * Each is one function, with a blocking form and an _async/_finish pair,
 * that the GUI, the CLI and the tests call alike.  The person at the desk
 * is asked through the interaction; every secret lives in locked memory
 * and is wiped when the task ends, fails or is cancelled; every task
 * writes its rows to the audit log and records the cards it makes in the
 * CPU-card registry (never a key, PIN or code). */
#pragma once

#include "db-cpu-card.h"
#include "wf-desk.h"
#include "wf-interaction.h"
#include "wf-opcard-data.h"

G_BEGIN_DECLS

/* A card a ceremony made or changed, for the summary. */
typedef struct {
  ClCardKind kind;
  char serial[17];
  char *holder_name; /* AC/KC */
  char *kcv1; /* MCC: KCV(MK); KTC, AC, KC: KCV(Pkey); "" when absent */
  char *kcv2; /* KTC, AC, KC: KCV(Dkey) */
  char *kcv3; /* AC, KC: KCV(Akey) */
} WfCardMade;

void wf_card_made_free (WfCardMade *made);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfCardMade, wf_card_made_free)

/* The master control card, on a blank in R2: MK typed twice and its KCV
 * confirmed, the MCC PIN set twice.  Read back before it is done: the info
 * file, KCV(MK) computed by the card itself, the PIN. */
WfCardMade *wf_mcc_create (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                           GError **error);
void wf_mcc_create_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
WfCardMade *wf_mcc_create_finish (WfDesk *desk, GAsyncResult *result, GError **error);

/* The key transport card: MCC in R1, a blank in R2; leader I (code 1,
 * PIN 1), leader II (code 2, PIN 2) and the system administrator (PSUB,
 * DSUB, PIN 3) in turn, the keyboard handed over between them.  Read back:
 * KCV(Pkey) and KCV(Dkey) through the card's line-encrypted files. */
WfCardMade *wf_ktc_create (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                           GError **error);
void wf_ktc_create_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
WfCardMade *wf_ktc_create_finish (WfDesk *desk, GAsyncResult *result, GError **error);
/* A new KTC from the three inputs of the old one, read from it with all
 * three PINs (the custodians type theirs); the new card gets the same
 * inputs and PINs, the old one is marked revoked in the registry. */
WfCardMade *wf_ktc_rebuild (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                            GError **error);
void wf_ktc_rebuild_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
WfCardMade *wf_ktc_rebuild_finish (WfDesk *desk, GAsyncResult *result, GError **error);

/* Administrator cards (role in holder->role) or key cards (ident != NULL),
 * `count` of them: MCC in R1, KTC in R2, then each blank in turn in R2,
 * its holder setting a PIN.  Returns the cards made (WfCardMade), also
 * when the batch stopped early: then *error says why and the cards in the
 * array are complete. */
GPtrArray *wf_opcard_create (WfDesk *desk, WfInteraction *interaction, const WfOpHolder *holder,
                             const WfOpIdent *ident, guint count, GCancellable *cancellable,
                             GError **error);
/* holder and ident are copied; _finish, like the blocking form, returns the
 * complete cards also with an error. */
void wf_opcard_create_async (WfDesk *desk, WfInteraction *interaction, const WfOpHolder *holder,
                             const WfOpIdent *ident, guint count, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *wf_opcard_create_finish (WfDesk *desk, GAsyncResult *result, GError **error);

/* One card of a batch whose cards differ: its holder (the role set for
 * an administrator card) and, for a key card, its workstation binding. */
typedef struct {
  WfOpHolder holder;
  gboolean key_card;
  WfOpIdent ident; /* key cards only */
} WfOpRequest;

void wf_op_request_clear (WfOpRequest *request);

/* A card of a batch made and recorded, told as it happens: runs in the
 * interaction's main context, before the task's own callback; made is
 * valid during the call. */
typedef void (*WfCardMadeFunc) (const WfCardMade *made, gpointer user_data);

/* Like wf_opcard_create_async(), one card per request, each for its own
 * holder (requests are copied; every one is checked before the first card
 * is touched).  The KTC's keys are read once and wiped when the batch
 * ends, fails or is cancelled.  made_func (may be NULL) hears of each card
 * made; made_data must live until the callback ran.  _finish returns the
 * complete cards also with an error. */
void wf_opcard_create_each_async (WfDesk *desk, WfInteraction *interaction,
                                  const WfOpRequest *requests, guint n_requests,
                                  WfCardMadeFunc made_func, gpointer made_data,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
GPtrArray *wf_opcard_create_each_finish (WfDesk *desk, GAsyncResult *result, GError **error);

/* Maintenance with the MCC in R1 and the card in R2.  Unblocks the PIN
 * of an MCC (with MK typed), administrator or key card; a KTC is refused
 * (WF_ERROR_REFUSED), whatever pin says: the MCC alone must not reset a
 * custodian's PIN.  pin is unused (pass 0), kept for the API's sake. */
gboolean wf_pin_unblock (WfDesk *desk, WfInteraction *interaction, guint pin,
                         GCancellable *cancellable, GError **error);
void wf_pin_unblock_async (WfDesk *desk, WfInteraction *interaction, guint pin,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data);
gboolean wf_pin_unblock_finish (WfDesk *desk, GAsyncResult *result, GError **error);
/* The holder changes the PIN of the card in R2 (old PIN, new PIN twice).
 * pin: for a KTC, which of its PINs (1 leader I, 2 leader II, 3 the
 * system administrator); for any other card 0. */
gboolean wf_pin_change (WfDesk *desk, WfInteraction *interaction, guint pin,
                        GCancellable *cancellable, GError **error);
void wf_pin_change_async (WfDesk *desk, WfInteraction *interaction, guint pin,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data);
gboolean wf_pin_change_finish (WfDesk *desk, GAsyncResult *result, GError **error);
/* Back to blank, after the card (kind, serial, holder) is shown and the
 * wash confirmed (a second time for an MCC or the last KTC). */
WfCardMade *wf_card_wash (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                          GError **error);
void wf_card_wash_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
WfCardMade *wf_card_wash_finish (WfDesk *desk, GAsyncResult *result, GError **error);
/* Is the CPU card in R2 one of this system's?  TRUE with *genuine set, or
 * FALSE on an error (no card, no MCC). */
gboolean wf_card_check (WfDesk *desk, WfInteraction *interaction, gboolean *genuine,
                        GCancellable *cancellable, GError **error);
void wf_card_check_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
gboolean wf_card_check_finish (WfDesk *desk, GAsyncResult *result, gboolean *genuine,
                               GError **error);

/* What the CPU card in R2 is, read without any key and looked up in the
 * CPU-card registry: for the person to see before washing it. */
typedef struct {
  ClCardKind kind; /* CL_CARD_KIND_CPU_UNFINISHED for a half-made card */
  char serial[17];
  char *holder_name; /* AC/KC, from the card; NULL otherwise */
  ClCardRole role; /* AC */
  DbCpuCard *record; /* NULL: not in the registry */
} WfCpuCardSeen;

void wf_cpu_card_seen_free (WfCpuCardSeen *seen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfCpuCardSeen, wf_cpu_card_seen_free)

/* Waits for a CPU card of this system, or a half-made one, in R2.  Writes
 * nothing, to the card or the log. */
WfCpuCardSeen *wf_cpu_card_identify (WfDesk *desk, WfInteraction *interaction,
                                     GCancellable *cancellable, GError **error);
void wf_cpu_card_identify_async (WfDesk *desk, WfInteraction *interaction,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
WfCpuCardSeen *wf_cpu_card_identify_finish (WfDesk *desk, GAsyncResult *result, GError **error);

G_END_DECLS
