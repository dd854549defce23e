/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-info.h: what is in the database, at a glance (db info, status page). */
#pragma once

#include <glib.h>

#include "db-audit.h"

G_BEGIN_DECLS

typedef struct {
  char *path;
  int schema_version;
  DbMode mode;
  char *created_at;
  gint64 holders;
  gint64 cards; /* insurance cards, every status */
  gint64 cards_issued; /* status issued */
  gint64 issuances_open; /* half-issued cards waiting to be resumed or undone */
  gint64 blacklist;
  gint64 cpu_cards;
  gint64 batches;
  DbAuditState audit; /* rows, last row, last seal and its row count */
} DbInfo;

/* One snapshot of the counts. */
gboolean db_info_get (DbDatabase *db, DbInfo *info, GError **error);
void db_info_clear (DbInfo *info);

G_END_DECLS
