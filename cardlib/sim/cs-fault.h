/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fault.h: fault injection for tests (docs/card-formats.md §Faults).
 *
 * Faults come from deck.ini group [faults.slotN] or from the environment
 * variable INSUCARD_SIM_FAULTS_SLOTN ("key=value;key=value"); the env wins.
 * Keys (all one-shot: a fired fault is cleared from the deck):
 *   pull-after=N      the card is pulled as the Nth APDU of this insertion
 *                     arrives: 1..N-1 are answered, the Nth is neither
 *                     executed nor answered (CS_SLOT_REMOVED)
 *   tear-write=B      the next write lands only B bytes, then the card is pulled
 *   garbage-after=N   the Nth APDU gets random bytes instead of a reply
 *   short-after=N     the Nth APDU gets a 1-byte reply
 *   delay-ms=MS       every reply is held back MS milliseconds (a condition,
 *                     not an event: it stays armed until removed)
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint pull_after; /* 0 = off */
  gint tear_write; /* -1 = off */
  gint garbage_after; /* 0 = off */
  gint short_after; /* 0 = off */
  guint delay_ms;
} CsFaults;

void cs_faults_init (CsFaults *faults);
gboolean cs_faults_parse (CsFaults *faults, const char *spec, GError **error);
void cs_faults_from_keyfile (CsFaults *faults, GKeyFile *kf, guint slot);
void cs_faults_from_env (CsFaults *faults, guint slot);
gboolean cs_faults_any (const CsFaults *faults);

G_END_DECLS
