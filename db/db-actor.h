/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-actor.h: who does something, and where.
 *
 * Every record that says "made by", "issued by" or "added by", and every
 * audit row, names the operator by the serial of the card in R1 and its
 * holder's name, with the role on that card and the workstation.  Strings
 * are borrowed for the duration of the call; NULL is stored as "".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *workstation; /* the desk's name, e.g. "PZH-DESK-03" */
  const char *operator_serial; /* serial of the operator card in R1 (hex) */
  const char *operator_name; /* holder of that card */
  const char *role; /* "system-admin", "issuing-admin", "auditor" or "" */
} DbActor;

G_END_DECLS
