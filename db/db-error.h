/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-error.h: the one error domain of the database library.
 *
 * SQLite result codes and refused operations are mapped here to codes the
 * workflows can branch on, with a translated message a clerk can act on.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DB_ERROR (db_error_quark ())

typedef enum {
  DB_ERROR_FAILED, /* anything without a better code */
  DB_ERROR_OPEN, /* cannot open or create the file, or it is missing */
  DB_ERROR_BUSY, /* another program held the database beyond the busy timeout */
  DB_ERROR_FULL, /* disk full */
  DB_ERROR_CORRUPT, /* not a database, not insucard's, or damaged */
  DB_ERROR_TOO_NEW, /* written by a newer insucard */
  DB_ERROR_READ_ONLY, /* the file or its folder cannot be written */
  DB_ERROR_MODE, /* a training database opened for production, or the reverse */
  DB_ERROR_NOT_FOUND, /* no such cardholder, card, batch, … */
  DB_ERROR_EXISTS, /* already recorded: an SN, card number, serial or file */
  DB_ERROR_REFUSED, /* the registry's rules forbid it (blacklist, status, quota) */
  DB_ERROR_INVALID, /* bad input from the caller (ID number, action, length) */
} DbError;

GQuark db_error_quark (void);

G_END_DECLS
