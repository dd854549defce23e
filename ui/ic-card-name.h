/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-card-name.h: what training's card drawer calls a simulated card,
 * from what the card tells without keys (WfCardFacts): its kind as a
 * title, a second line saying whose card it is or which number it bears
 * (never a key or PIN), and its place in the list.  facts NULL: the card
 * image could not be read. */
#pragma once

#include "wf-report.h"

G_BEGIN_DECLS

/* A blank CPU card, or an insurance card with nothing written. */
gboolean ic_card_name_is_blank (const WfCardFacts *facts);
/* "Administrator card", "Blank insurance card" (translated). */
const char *ic_card_name_title (const WfCardFacts *facts);
/* "张伟, issuing administrator", "No. 0000 0000 01", "Serial …". */
char *ic_card_name_detail (const WfCardFacts *facts);
/* Lower first: the MCC, the KTC, administrator cards by role, key cards,
 * insurance cards, …, blanks last but one, unreadable images last. */
int ic_card_name_rank (const WfCardFacts *facts);

G_END_DECLS
