/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-db-path.h: where the desk's database lives.
 *
 * The only place that reads INSUCARD_DB: db/ takes the path it is given.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* option (a --db value) if given, else $INSUCARD_DB if set, else
 * $XDG_DATA_HOME/insucard/insucard.db (training: training.db beside it,
 * so training never opens the production file by default). */
char *ic_db_path_resolve (const char *option, gboolean training);

G_END_DECLS
