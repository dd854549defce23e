/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-training.h: training mode: simulated readers over a private deck, a
 * training database, and a demo system made by the real ceremonies.
 *
 * The demo system (docs/user-guide.md, "Practising: training mode"): a
 * master control card, a key transport card, one administrator card per
 * role, a key card bound to this desk and a box of blank insurance cards,
 * all from the documented demo inputs below.  They are worthless outside
 * training: the inputs are public. */
#pragma once

#include <gio/gio.h>

#include "ic-config.h"
#include "wf-desk.h"

G_BEGIN_DECLS

/* The demo inputs, the same on every training desk. */
#define IC_DEMO_MK "00112233445566778899AABBCCDDEEFF"
#define IC_DEMO_MCC_PIN "123456"
#define IC_DEMO_CODE1 "1234567890123456"
#define IC_DEMO_CODE2 "6543210987654321"
#define IC_DEMO_PSUB "0011223344556677"
#define IC_DEMO_DSUB "8899AABBCCDDEEFF"
#define IC_DEMO_KTC_PIN1 "1111"
#define IC_DEMO_KTC_PIN2 "2222"
#define IC_DEMO_KTC_PIN3 "3333"
#define IC_DEMO_CARD_PIN "123456" /* every administrator card and the key card */
#define IC_DEMO_OFFICE "510400"
#define IC_DEMO_KEY_QUOTA 1000
#define IC_DEMO_BLANKS 20 /* blank insurance cards */
/* The holders of the administrator cards and of the key card. */
#define IC_DEMO_SYSTEM_ADMIN "演示系统管理员"
#define IC_DEMO_ISSUING_ADMIN "演示发卡员"
#define IC_DEMO_AUDITOR "演示审计员"
#define IC_DEMO_CLERK "演示柜员"
/* The desk's name in training when its own does not fit on a key card. */
#define IC_TRAINING_WORKSTATION "TRAINING-DESK"

/* Switches config to the in-process simulator with a training deck
 * (config's sim deck if one was given, else one under the user's data
 * directory) and to the training database ($XDG_DATA_HOME/insucard/
 * training.db, whatever INSUCARD_DB says: training never opens the desk's
 * own database).  The simulated readers are R1 and R2 whatever config
 * said; a workstation name that does not fit on a key card becomes
 * IC_TRAINING_WORKSTATION. */
gboolean ic_training_setup (IcConfig *config, GError **error);

/* Is the deck still to be stocked (new, or its stocking was interrupted)?
 * Cheap: reads the deck's stocking record only. */
gboolean ic_training_needs_stock (const char *deck_dir);

/* Called in the stocking thread: how far it is, and what it does now. */
typedef void (*IcTrainingProgress) (double fraction, const char *step, gpointer user_data);

/* Stocks the desk's deck (the sim context's) with the demo system, running
 * the real ceremonies with the demo inputs against the desk's database, and
 * leaves the issuing administrator's card in R1 and a blank insurance card
 * in R2.  Blocking; call it from a worker thread, with no other task on
 * the desk.  Idempotent: a stocked deck is left as it is; an interrupted
 * stocking (recorded in DECK/training.ini) is finished, a half-made card
 * being thrown away and made again.  A deck with cards that this never
 * stocked is left alone (and recorded as such), unless every card in it is
 * blank. */
gboolean ic_training_stock (WfDesk *desk, IcTrainingProgress progress, gpointer user_data,
                            GCancellable *cancellable, GError **error);

/* The training banner: nothing here is real, and the demo PINs. */
char *ic_training_banner_text (void);

G_END_DECLS
