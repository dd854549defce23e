/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-derive.h: the system's key derivations (docs/card-formats.md §Keys).
 *
 *   PkeyL = DES_code1(PSUB)  PkeyR = DES_code2(PSUB)  Pkey = PkeyL || PkeyR
 *   DkeyL = DES_code1(DSUB)  DkeyR = DES_code2(DSUB)  Dkey = DkeyL || DkeyR
 *   C = TDES_Pkey(SN)   PSC = (C0^C2^C4^C6, C1^C3^C5^C7)
 *   DKc = DIV(Dkey, SN)      CMK(card) = DIV(MK, SN)
 */
#pragma once

#include <glib.h>
#include "cl-key.h"

G_BEGIN_DECLS

#define CL_SERIAL_LEN 8
#define CL_PSC_LEN 2

/* A custodian's 16-digit code as an 8-byte BCD DES key (secure heap). */
ClKey *cl_derive_code_key (const char *digits16, GError **error);
/* The same from the typed digits (ASCII) held in a ClKey. */
ClKey *cl_derive_code_key_from_digits (const ClKey *digits16, GError **error);

/* A PIN typed as 2-16 decimal digits (ASCII, in a ClKey) as the card holds
 * it: packed BCD, an odd count padded with F, at least 2 bytes ("1234567"
 * -> 12 34 56 7F, "12" -> 12 FF); docs/card-formats.md. */
ClKey *cl_pin_from_digits (const ClKey *digits, GError **error);

/* The audit seal key: Akey = DIV(Dkey, "AUDITLOG"). */
ClKey *cl_derive_audit_key (const ClKey *dkey, GError **error);

gboolean cl_derive_system_keys (const ClKey *code1, const ClKey *code2, const ClKey *psub,
                                const ClKey *dsub, ClKey **pkey, ClKey **dkey, GError **error);

/* Folds an 8-byte cryptogram C into the 2-byte PSC (used both on the host and
 * with C computed inside an operator card). */
void cl_psc_fold (const guint8 c[8], guint8 psc[CL_PSC_LEN]);
gboolean cl_derive_psc (const ClKey *pkey, const guint8 sn[CL_SERIAL_LEN], guint8 psc[CL_PSC_LEN],
                        GError **error);
ClKey *cl_derive_card_data_key (const ClKey *dkey, const guint8 sn[CL_SERIAL_LEN], GError **error);
ClKey *cl_derive_cmk (const ClKey *mk, const guint8 sn[CL_SERIAL_LEN], GError **error);

G_END_DECLS
