/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-sealer.h: the software sealer, a stand-in for the operator card.
 *
 * It computes the audit seal of docs/database.md exactly as an operator
 * card will (seal = TDES_Akey(M) || TDES_Akey(~M)), but with a public
 * test key, so its seals prove nothing to anyone: `insucard-cli log seal`
 * uses it on training databases only, and tests and the demo generator
 * use it.  The card-based sealer replaces it in the workflows.
 */
#pragma once

#include "db-audit.h"

G_BEGIN_DECLS

/* Recorded as the sealer of every seal it makes. */
#define CLI_SOFT_SEALER_ID "software-test-key"

/* A sealer and verifier with the test key; static, usable from any thread. */
const DbSealer *cli_soft_sealer (void);

G_END_DECLS
