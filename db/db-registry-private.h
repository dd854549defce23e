/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-registry-private.h: the registry steps the issuance journal reuses
 * inside its own transactions. */
#pragma once

#include "db-private.h"
#include "db-registry.h"

G_BEGIN_DECLS

/* Refuses a blacklisted or known SN, a used card number, an unknown holder. */
gboolean db_registry_check_new_card (DbDatabase *db, const DbCard *card, GError **error);
gboolean db_registry_insert_card (DbDatabase *db, const DbCard *card, DbCardStatus status,
                                  const DbActor *actor, GError **error);

G_END_DECLS
