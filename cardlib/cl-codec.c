/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-codec.c: strict hex and BCD parsers, the check byte, GB 11643.
 *
 * Parsers validate the whole input before writing a byte, so a failed call
 * leaves out untouched.  Error messages name the position (1-based, in
 * characters) and the offending character, never the rest of the input:
 * the input is often a key or a code.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-codec.h"
#include "cl-error.h"

static const char hex_upper[] = "0123456789ABCDEF";

/* A printable description of the character at p, for error messages. */
static char *
describe_char (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return g_strdup_printf ("\\x%02X", (guint) (guchar) *p);
  if (!g_unichar_isprint (c))
    return g_strdup_printf ("U+%04X", c);
  return g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
}

/* Advances over one character (UTF-8 if valid, else one byte). */
static const char *
next_char (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return p + 1;
  return g_utf8_next_char (p);
}

static gboolean
bad_char_error (GError **error, const char *p, gsize position, const char *what)
{
  g_autofree char *shown = describe_char (p);

  /* TRANSLATORS: %1$s is a character, %2$zu its position, %3$s e.g. "0-9 and A-F" */
  g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
               _ ("Character “%s” at position %zu is not allowed: use only %s. Check the entry "
                  "and type it again."),
               shown, position, what);
  return FALSE;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

gboolean
cl_hex_count_digits (const char *hex, gsize *n_digits, GError **error)
{
  gsize n = 0;
  gsize position = 1;

  g_return_val_if_fail (hex != NULL, FALSE);
  g_return_val_if_fail (n_digits != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *p = hex; *p != '\0'; p = next_char (p), position++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (hex_value (*p) < 0)
        return bad_char_error (error, p, position, _ ("the hex digits 0–9 and A–F"));
      n++;
    }
  *n_digits = n;
  return TRUE;
}

/* Writes the digits of a validated string into out. */
static void
hex_fill (const char *hex, guint8 *out)
{
  gsize i = 0;
  int high = -1;

  for (const char *p = hex; *p != '\0'; p++)
    {
      int v;

      if (g_ascii_isspace (*p))
        continue;
      v = hex_value (*p);
      if (high < 0)
        high = v;
      else
        {
          out[i++] = (guint8) (high << 4 | v);
          high = -1;
        }
    }
}

gboolean
cl_hex_decode (const char *hex, guint8 *out, gsize out_len, GError **error)
{
  gsize n;

  g_return_val_if_fail (hex != NULL, FALSE);
  g_return_val_if_fail (out != NULL || out_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_hex_count_digits (hex, &n, error))
    return FALSE;
  if (n != 2 * out_len)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Expected %zu hex digits but got %zu. Check the entry for a missing or "
                      "extra digit and type it again."),
                   2 * out_len, n);
      return FALSE;
    }
  hex_fill (hex, out);
  return TRUE;
}

guint8 *
cl_hex_decode_alloc (const char *hex, gsize *out_len, GError **error)
{
  gsize n;
  guint8 *out;

  g_return_val_if_fail (hex != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_hex_count_digits (hex, &n, error))
    return NULL;
  if (n % 2 != 0)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Got %zu hex digits, an odd number: every byte needs two digits. Check the "
                      "entry for a missing or extra digit and type it again."),
                   n);
      return NULL;
    }
  /* g_malloc0 (0) is NULL; an empty result is still a valid buffer. */
  out = g_malloc0 (MAX (n / 2, 1));
  hex_fill (hex, out);
  *out_len = n / 2;
  return out;
}

char *
cl_hex_encode (const guint8 *data, gsize len)
{
  char *out;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_malloc (2 * len + 1);
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = hex_upper[data[i] >> 4];
      out[2 * i + 1] = hex_upper[data[i] & 0x0F];
    }
  out[2 * len] = '\0';
  return out;
}

char *
cl_hex_encode_spaced (const guint8 *data, gsize len)
{
  char *out;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    return g_strdup ("");
  out = g_malloc (3 * len);
  for (gsize i = 0; i < len; i++)
    {
      out[3 * i] = hex_upper[data[i] >> 4];
      out[3 * i + 1] = hex_upper[data[i] & 0x0F];
      out[3 * i + 2] = i + 1 < len ? ' ' : '\0';
    }
  return out;
}

gboolean
cl_bcd_pack (const char *digits, guint8 *out, gsize out_len, GError **error)
{
  gsize n = 0;
  gsize position = 1;

  g_return_val_if_fail (digits != NULL, FALSE);
  g_return_val_if_fail (out != NULL || out_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *p = digits; *p != '\0'; p = next_char (p), position++)
    {
      if (!g_ascii_isdigit (*p))
        return bad_char_error (error, p, position, _ ("the digits 0–9"));
      n++;
    }
  if (n != 2 * out_len)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Expected %zu digits but got %zu. Check the entry for a missing or extra "
                      "digit and type it again."),
                   2 * out_len, n);
      return FALSE;
    }
  for (gsize i = 0; i < out_len; i++)
    out[i] = (guint8) ((digits[2 * i] - '0') << 4 | (digits[2 * i + 1] - '0'));
  return TRUE;
}

gboolean
cl_bcd_unpack (const guint8 *bcd, gsize len, char *out, GError **error)
{
  g_return_val_if_fail (bcd != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < len; i++)
    if ((bcd[i] >> 4) > 9 || (bcd[i] & 0x0F) > 9)
      {
        g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                     _ ("Byte %zu (%02X) is not a pair of decimal digits: the data is damaged or "
                        "not in this system's format."),
                     i + 1, bcd[i]);
        return FALSE;
      }
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = (char) ('0' + (bcd[i] >> 4));
      out[2 * i + 1] = (char) ('0' + (bcd[i] & 0x0F));
    }
  out[2 * len] = '\0';
  return TRUE;
}

guint8
cl_check_byte (const guint8 *data, gsize len)
{
  guint w = 0;
  guint8 x = 0;

  g_return_val_if_fail (data != NULL || len == 0, 0);

  /* Reduce as we go: (sum i*b_i) mod 10 without overflow for any length. */
  for (gsize i = 0; i < len; i++)
    {
      w = (w + (guint) ((i + 1) % 10) * data[i]) % 10;
      x ^= data[i];
    }
  return (guint8) (w << 4 | (x % 10));
}

gboolean
cl_check_byte_verify (const guint8 *data, gsize len, guint8 check, GError **error)
{
  guint8 want;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  want = cl_check_byte (data, len);
  if (want != check)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("The check byte is %02X but the data gives %02X: the data is damaged or was "
                      "not written by this system. Read the card again; if it persists, the card "
                      "needs to be re-issued."),
                   check, want);
      return FALSE;
    }
  return TRUE;
}

static const guint8 gb11643_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

/* Checks that s starts with 17 ASCII digits; reports the first bad one. */
static gboolean
gb11643_check_digits (const char *s, gsize need, GError **error)
{
  gsize position = 1;
  const char *p = s;

  for (; *p != '\0' && position <= 17; p = next_char (p), position++)
    if (!g_ascii_isdigit (*p))
      return bad_char_error (error, p, position, _ ("the digits 0–9 in the first 17 places"));
  if (position <= 17)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("The ID number is too short: it has %zu characters, it needs %zu. Check it "
                      "against the ID card."),
                   position - 1, need);
      return FALSE;
    }
  return TRUE;
}

static char
gb11643_compute (const char *first17)
{
  guint sum = 0;

  for (gsize i = 0; i < 17; i++)
    sum += (guint) (first17[i] - '0') * gb11643_weights[i];
  return "10X98765432"[sum % 11];
}

char
cl_gb11643_check_char (const char *first17, GError **error)
{
  g_return_val_if_fail (first17 != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!gb11643_check_digits (first17, 17, error))
    return 0;
  if (strlen (first17) != 17)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Expected the first 17 digits of the ID number but got %zu characters."),
                   (gsize) g_utf8_strlen (first17, -1));
      return 0;
    }
  return gb11643_compute (first17);
}

gboolean
cl_gb11643_validate (const char *id18, GError **error)
{
  gsize len;
  char want;
  char got;

  g_return_val_if_fail (id18 != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gb11643_check_digits (id18, 18, error))
    return FALSE;
  len = strlen (id18);
  if (len != 18)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("The ID number has %zu characters, it needs 18. Check it against the ID "
                      "card."),
                   (gsize) g_utf8_strlen (id18, -1));
      return FALSE;
    }
  got = id18[17];
  if (got == 'x')
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                           _ ("The last character of the ID number is a lower-case “x”: type it "
                              "as an upper-case “X”."));
      return FALSE;
    }
  if (!g_ascii_isdigit (got) && got != 'X')
    return bad_char_error (error, id18 + 17, 18, _ ("a digit or “X” in the last place"));
  want = gb11643_compute (id18);
  if (got != want)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                           _ ("The ID number's check character does not match its first 17 "
                              "digits: a digit was mistyped. Check it against the ID card."));
      return FALSE;
    }
  return TRUE;
}
