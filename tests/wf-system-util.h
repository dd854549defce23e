/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-system-util.h: what the workflow tests compute from the system's
 * inputs (wf-test-util.h, make_system()) with the primitive crypto alone,
 * and the serials of simulated cards. */
#pragma once

#include <string.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "wf-ceremonies.h"
#include "wf-test-util.h"

/* What the test computes itself, with the primitive crypto, from its own
 * inputs: the ceremonies' code is not used for it. */
static G_GNUC_UNUSED void
expected_keys (ClKey **pkey, ClKey **dkey, ClKey **akey)
{
  g_autoptr (ClKey) c1 = tu_key_from_hex (CODE1);
  g_autoptr (ClKey) c2 = tu_key_from_hex (CODE2);
  guint8 psub[8], dsub[8], p[16], d[16];
  static const guint8 auditlog[8] = { 0x41, 0x55, 0x44, 0x49, 0x54, 0x4C, 0x4F, 0x47 };

  g_assert_true (cl_hex_decode (PSUB, psub, 8, NULL));
  g_assert_true (cl_hex_decode (DSUB, dsub, 8, NULL));
  g_assert_true (cl_des_ecb_encrypt (c1, psub, 8, p, NULL));
  g_assert_true (cl_des_ecb_encrypt (c2, psub, 8, p + 8, NULL));
  g_assert_true (cl_des_ecb_encrypt (c1, dsub, 8, d, NULL));
  g_assert_true (cl_des_ecb_encrypt (c2, dsub, 8, d + 8, NULL));
  *pkey = cl_key_new_from_data (p, 16);
  *dkey = cl_key_new_from_data (d, 16);
  *akey = cl_diversify (*dkey, auditlog, NULL);
}

/* The serial of a simulated card, from its image's name (cpu-SERIAL.card). */
static G_GNUC_UNUSED const char *
serial_of (WfFixture *f, const char *path)
{
  static char serial[17];
  g_autofree char *base = g_path_get_basename (path);

  g_assert_true (g_str_has_prefix (base, "cpu-") && strlen (base) == 4 + 16 + 5);
  memcpy (serial, base + 4, 16);
  serial[16] = '\0';
  return serial;
}
