/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-fmcos-util.h: helpers of the tests that drive the FMCOS CPU card
 * model APDU by APDU through cs_card_transmit (test-sim-fmcos,
 * test-sim-fmcos-rules): keys, APDU senders, the cryptograms computed
 * from the cardlib crypto primitives (never copied from the model), and a
 * personalised card.  Every reply is checked to fit a short R-APDU. */
#pragma once

#include <string.h>

#include "cs-card.h"
#include "cl-crypto.h"

static const guint8 serial[8] = { 0x86, 0x10, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };

static const guint8 k_transport[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
static const guint8 k_master[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
                                     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10 };
static const guint8 k_line[16] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,
                                   0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44 };
static const guint8 k_unblock[16] = { 0x37, 0x37, 0x37, 0x37, 0x37, 0x37, 0x37, 0x37,
                                      0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0x73, 0x73 };
static const guint8 k_reload[16] = { 0x38, 0x38, 0x38, 0x38, 0x38, 0x38, 0x38, 0x38,
                                     0x83, 0x83, 0x83, 0x83, 0x83, 0x83, 0x83, 0x83 };
static const guint8 k_enc[16] = { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
                                  0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF };
static const guint8 k_dec[16] = { 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7,
                                  0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF };
static const guint8 k_mac8[8] = { 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7 };
static const guint8 pin[6] = { '1', '2', '3', '4', '5', '6' };

/* The data part of the last answer. */
static guint8 resp[CS_MAX_RESPONSE];
static gsize resp_len;

static inline guint16
xmit (CsCard *card, const guint8 *c, gsize n)
{
  guint8 r[CS_MAX_RESPONSE];
  gsize rlen = cs_card_transmit (card, c, n, r);

  /* Every reply fits a short R-APDU: at most 256 data bytes and the SW. */
  g_assert_cmpuint (rlen, >=, 2);
  g_assert_cmpuint (rlen, <=, 256 + 2);
  resp_len = rlen - 2;
  memcpy (resp, r, resp_len);
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

static inline GByteArray *
hex_bytes (const char *hex)
{
  GByteArray *b = g_byte_array_new ();

  for (const char *p = hex; *p;)
    {
      guint8 v;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      v = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
      g_byte_array_append (b, &v, 1);
      p += 2;
    }
  return b;
}

static inline guint16
send_hex (CsCard *card, const char *hex)
{
  g_autoptr (GByteArray) b = hex_bytes (hex);

  return xmit (card, b->data, b->len);
}

/* CLA INS P1 P2 Lc data (Lc computed). */
static inline guint16
send_data (CsCard *card, guint8 cla, guint8 ins, guint8 p1, guint8 p2, const guint8 *data,
           gsize len)
{
  guint8 c[5 + 255];

  g_assert_cmpuint (len, <=, 255);
  c[0] = cla;
  c[1] = ins;
  c[2] = p1;
  c[3] = p2;
  c[4] = len;
  memcpy (c + 5, data, len);
  return xmit (card, c, 5 + len);
}

/* Case 4 under T=0: 61xx, then GET RESPONSE xx. */
static inline guint16
fetch (CsCard *card, guint16 sw)
{
  guint8 gr[5] = { 0x00, 0xC0, 0x00, 0x00, 0x00 };

  if ((sw & 0xFF00) != 0x6100)
    return sw;
  gr[4] = sw & 0xFF;
  return xmit (card, gr, sizeof gr);
}

static inline void
des_ecb (gboolean enc, const guint8 *key, gsize klen, const guint8 *in, gsize len, guint8 *out)
{
  g_autoptr (ClKey) k = cl_key_new_from_data (key, klen);
  g_autoptr (GError) error = NULL;

  if (enc)
    g_assert_true (cl_des_ecb_encrypt (k, in, len, out, &error));
  else
    g_assert_true (cl_des_ecb_decrypt (k, in, len, out, &error));
  g_assert_no_error (error);
}

static inline void
mac_first4 (const guint8 *key, gsize klen, const guint8 iv[8], const guint8 *in, gsize len,
            guint8 out[4])
{
  g_autoptr (ClKey) k = cl_key_new_from_data (key, klen);
  g_autoptr (GError) error = NULL;
  guint8 mac[8];

  g_assert_true (cl_mac3 (k, iv, CL_PAD_METHOD_2, in, len, mac, &error));
  g_assert_no_error (error);
  memcpy (out, mac, 4);
}

/* TDES-ECB of LD || data || 80 00.. */
static inline gsize
line_encrypt (const guint8 *key, gsize klen, const guint8 *data, gsize len, guint8 *out)
{
  guint8 buf[256];
  g_autofree guint8 *padded = NULL;
  gsize plen = 0;

  buf[0] = len;
  memcpy (buf + 1, data, len);
  padded = cl_pad (buf, len + 1, CL_PAD_METHOD_2, &plen);
  des_ecb (TRUE, key, klen, padded, plen, out);
  return plen;
}

static inline void
get_challenge (CsCard *card, guint8 n, guint8 iv[8])
{
  guint8 c[5] = { 0x00, 0x84, 0x00, 0x00, n };

  g_assert_cmphex (xmit (card, c, 5), ==, 0x9000);
  g_assert_cmpuint (resp_len, ==, n);
  memset (iv, 0, 8);
  memcpy (iv, resp, n);
}

static inline guint16
ext_auth_n (CsCard *card, guint8 kid, const guint8 *key, gsize klen, guint8 chal_len)
{
  guint8 block[8], crypt[8];

  get_challenge (card, chal_len, block);
  des_ecb (TRUE, key, klen, block, 8, crypt);
  return send_data (card, 0x00, 0x82, 0x00, kid, crypt, 8);
}

static inline guint16
ext_auth (CsCard *card, guint8 kid, const guint8 *key, gsize klen)
{
  return ext_auth_n (card, kid, key, klen, 4);
}

/* A secure-messaging command: GET CHALLENGE, then CLA INS P1 P2 Lc
 * payload MAC4 [Le], MAC over the header (Lc counting the MAC) and
 * payload; le < 0 sends no Le (as T=0 sends case 4). */
static inline guint16
send_sm_le (CsCard *card, const guint8 *key, gsize klen, guint8 cla, guint8 ins, guint8 p1,
            guint8 p2, const guint8 *payload, gsize len, gboolean spoil, gint le)
{
  guint8 iv[8], c[5 + 255 + 1];

  get_challenge (card, 4, iv);
  c[0] = cla;
  c[1] = ins;
  c[2] = p1;
  c[3] = p2;
  c[4] = len + 4;
  if (len)
    memcpy (c + 5, payload, len);
  mac_first4 (key, klen, iv, c, 5 + len, c + 5 + len);
  if (spoil)
    c[5 + len] ^= 0x01;
  if (le < 0)
    return xmit (card, c, 5 + len + 4);
  c[5 + len + 4] = le;
  return xmit (card, c, 5 + len + 4 + 1);
}

static inline guint16
send_sm (CsCard *card, const guint8 *key, gsize klen, guint8 cla, guint8 ins, guint8 p1, guint8 p2,
         const guint8 *payload, gsize len, gboolean spoil)
{
  return send_sm_le (card, key, klen, cla, ins, p1, p2, payload, len, spoil, -1);
}

static inline guint16
add_key (CsCard *card, guint8 kid, guint8 type, guint8 use, guint8 change, guint8 b3, guint8 b4,
         const guint8 *value, gsize len)
{
  guint8 rec[5 + 16] = { type, use, change, b3, b4 };

  memcpy (rec + 5, value, len);
  return send_data (card, 0x80, 0xD4, 0x01, kid, rec, 5 + len);
}

static inline CsCard *
new_card (void)
{
  return cs_card_new_fmcos (serial);
}

/* A personalised MF: ext-auth with the transport key, ERASE DF, a fresh
 * KEY file and keys, and one EF of each kind. */
static inline CsCard *
personalised_card (void)
{
  CsCard *card = new_card ();

  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0200 00 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x01, 0x3A, 0xF0, 0xEF, 0x01, 0x33, pin, 6), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x36, 0xF0, 0xFF, 0xFF, 0x33, k_line, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x37, 0xF0, 0xFF, 0xFF, 0x33, k_unblock, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x01, 0x38, 0xF0, 0xFF, 0xFF, 0x33, k_reload, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x30, 0xF0, 0xFF, 0x00, 0x00, k_enc, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x31, 0xF0, 0xFF, 0x00, 0x00, k_dec, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x32, 0xF0, 0xFF, 0x00, 0x01, k_mac8, 8), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x02, 0x30, 0x11, 0xFF, 0x00, 0x00, k_enc, 16), ==, 0x9000);
  /* ERASE DF dropped the state: creating files needs the new master key. */
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* EFs: free; state-gated (read 1 only, write F only); never writable;
   * fixed and cyclic records; line-encrypted; MAC-protected. */
  g_assert_cmphex (send_hex (card, "80E00001 07 28 0010 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00002 07 28 0010 11 FF FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00003 07 28 0008 F0 EF FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00004 07 2A 0304 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00005 07 2E 0304 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00006 07 E8 0010 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00007 07 A8 0008 F0 F0 FF 7F"), ==, 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  return card;
}
