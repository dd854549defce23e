/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmcos-test-card.h: makes an FMCOS test card from blank through the
 * cardlib FMCOS layer, for the tests that check that layer on cards of
 * their own (test-fmcos, test-secrets, integration/test-pcsc-cmd).  A test
 * gives its card's layout as data, its keys (TuFmcosKey) and its EFs
 * (TuFmcosEf), and tu_fmcos_make_card runs the one making sequence:
 * external authentication with the transport key, ERASE DF, the MF header,
 * the KEY file, WRITE KEY of each key, external authentication with the
 * card's own key 00, then the EFs.  Every step must answer 9000. */
#pragma once

#include "cl-authority.h"
#include "cl-fmcos.h"
#include "test-util.h"

/* A key of the KEY file: header = type use change b3 b4, written as key
 * kid by WRITE KEY (P1 01, install). */
typedef struct {
  guint8 header[5];
  guint8 kid;
  const ClKey *key;
} TuFmcosKey;

/* An EF in the MF, the arguments of cl_fmcos_create_ef. */
typedef struct {
  guint16 fid;
  guint8 type;
  guint16 size;
  guint8 read;
  guint8 write;
  ClFmcosWriteFlag flag;
  guint8 access;
} TuFmcosEf;

typedef struct {
  const TuFmcosKey *keys;
  gsize n_keys;
  const TuFmcosEf *efs;
  gsize n_efs;
} TuFmcosLayout;

/* The transport key of a blank card: FF x 16. */
static inline ClKey *
tu_fmcos_transport_key (void)
{
  return tu_key_from_hex ("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
}

/* SELECT MF, then external authentication with key 00 = key. */
static inline void
tu_fmcos_auth (ClCard *card, const guint8 serial[8], const ClKey *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClAuthority) a = cl_authority_new_key (key);

  g_assert_true (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_authority_external_authenticate (a, card, serial, 0x00, FALSE, NULL, &error));
  g_assert_no_error (error);
}

/* Makes the card: ext_key is the card's own external-authentication key
 * 00, which layout->keys installs too. */
static inline void
tu_fmcos_make_card (ClCard *card, const guint8 serial[8], const ClKey *transport,
                    const TuFmcosLayout *layout, const ClKey *ext_key)
{
  g_autoptr (GError) error = NULL;

  tu_fmcos_auth (card, serial, transport);
  g_assert_true (cl_fmcos_erase_df (card, NULL, &error));
  g_assert_no_error (error);
  /* The emptied MF gets its own rights: create and erase in state F only,
   * which only the card's new ext-auth key 00 reaches. */
  g_assert_true (cl_fmcos_create_df (card, CL_FMCOS_MF, 0x2000, 0xFF, 0xFF, 0x00,
                                     (const guint8 *) "1PAY.SYS.DDF01", 14, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_create_key_file (card, 0x0000, 0x0200, 0x00, 0xF0, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < layout->n_keys; i++)
    {
      const TuFmcosKey *k = &layout->keys[i];

      g_assert_true (cl_fmcos_write_key (card, 0x01, k->kid, k->header, 5, k->key, NULL, &error));
      g_assert_no_error (error);
    }
  tu_fmcos_auth (card, serial, ext_key);
  for (gsize i = 0; i < layout->n_efs; i++)
    {
      const TuFmcosEf *e = &layout->efs[i];

      g_assert_true (cl_fmcos_create_ef (card, e->fid, e->type, e->size, e->read, e->write, e->flag,
                                         e->access, NULL, &error));
      g_assert_no_error (error);
    }
}
