/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c: no key, PIN or PSC byte reaches a log handler, the
 * transcript or the error ring.  Every log record (all domains, all
 * levels, G_MESSAGES_DEBUG=all) is captured by a writer function while the
 * card layers present and change a PSC, VERIFY a PIN, WRITE KEY (plain and
 * cipher+MAC), read a line-encrypted EF and let the MCC compute a card key
 * by INTERNAL AUTHENTICATE; then the secrets are searched for in hex,
 * spaced and unspaced, upper and lower case. */
#include "config.h"

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-authority.h"
#include "cl-fmcos.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "fmcos-test-card.h"
#include "sim-test-util.h"

static GString *captured;
static GMutex capture_lock;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

  g_mutex_lock (&capture_lock);
  g_string_append (captured, line);
  g_string_append_c (captured, '\n');
  /* Every field, not only MESSAGE: a secret in a custom field is a leak too. */
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && fields[i].value != NULL
        && g_str_has_prefix (fields[i].key, "CARDLIB_"))
      g_string_append_printf (captured, "%s=%s\n", fields[i].key, (const char *) fields[i].value);
  g_mutex_unlock (&capture_lock);
  /* Failures still reach the test log. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, data);
  return G_LOG_WRITER_HANDLED;
}

static const guint8 sn_a[8] = { 0x5E, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const guint8 sn_b[8] = { 0x5E, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const guint8 sle_sn[8] = { 0x5E, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 };

static const char *mk_hex = "3C5A7E91B2D4F60813579BDF02468ACE";
static const char *line_hex = "6B1D8F24A7C39E50D2F4163857B9E0C1";
static const char *secure_key_hex = "9F8E7D6C5B4A39281706F5E4D3C2B1A0";
static const char *pin_hex = "9A5F2C";
static const char *data_hex = "D1A7E5C3B9F20864D1A7E5C3B9F20864";
/* The key transport card's files: code 1 (EF 0004, BCD), PSUB ‖ DSUB
 * (EF 0006), Dkey (EF 0001) and Pkey (EF 0002). */
static const char *code1_hex = "8316492750618243";
static const char *subs_hex = "4E2B9D07C15A83F6E8173D25AC6F9B04";
static const char *dkey_hex = "B7C2E91F046A5D38F1E0293C84B76A5D";
static const char *pkey_hex = "2A6E0F9B3D71C48852E6A1F0B93D7C14";
static const guint8 new_psc[2] = { 0xC7, 0x3E };

/* A card of ours: ext-auth 00, PIN 00, DES-encrypt 01, line 00 and the
 * line-encrypted EF 0005. */
static void
personalize (ClCard *card, const guint8 *sn, const ClKey *ext, const ClKey *enc)
{
  g_autoptr (ClKey) transport = tu_fmcos_transport_key ();
  g_autoptr (ClKey) pin = tu_key_from_hex (pin_hex);
  g_autoptr (ClKey) line = tu_key_from_hex (line_hex);
  const TuFmcosKey keys[] = {
    { { 0x39, 0xF0, 0xF0, 0x0F, 0x33 }, 0x00, ext },
    { { 0x3A, 0xF0, 0xEF, 0x01, 0x33 }, 0x00, pin },
    { { 0x30, 0xF1, 0xF0, 0x00, 0x00 }, 0x01, enc },
    { { 0x36, 0xF0, 0xF0, 0xFF, 0x33 }, 0x00, line },
  };
  static const TuFmcosEf efs[] = {
    { 0x0005, 0xE8, 16, 0xF0, 0xF0, CL_FMCOS_WRITE_ONCE, 0x7F },
  };
  const TuFmcosLayout layout = { keys, G_N_ELEMENTS (keys), efs, G_N_ELEMENTS (efs) };

  tu_fmcos_make_card (card, sn, transport, &layout, ext);
}

static void
run_secret_operations (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) master = tu_key_from_hex (mk_hex);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) junk = tu_key_from_hex ("42424242424242424242424242424242");
  g_autoptr (ClKey) pin = tu_key_from_hex (pin_hex);
  g_autoptr (ClKey) line = tu_key_from_hex (line_hex);
  g_autoptr (ClKey) secure_key = tu_key_from_hex (secure_key_hex);
  g_autoptr (ClKey) data = tu_key_from_hex (data_hex);
  g_autoptr (ClKey) back = NULL;
  g_autoptr (ClKey) psc_ff = cl_key_new_from_hex ("FFFF", 2, NULL);
  g_autoptr (ClKey) psc_new = cl_key_new_from_data (new_psc, 2);
  g_autoptr (ClAuthority) via_mcc = NULL;
  g_autoptr (ClCard) sle = NULL;
  static const guint8 h_sec[5] = { 0x30, 0xF0, 0xF0, 0x00, 0x00 };

  /* MCC (R1) and a target card (R2) whose CMK only the MCC can compute. */
  f->r1 = tu_sim_insert (f, 0, CS_CARD_FMCOS, sn_a);
  f->card = tu_sim_insert (f, 1, CS_CARD_FMCOS, sn_b);
  personalize (f->r1, sn_a, master, master);
  cmk = cl_diversify (master, sn_b, &error);
  g_assert_no_error (error);
  personalize (f->card, sn_b, cmk, junk);

  /* WRITE KEY cipher+MAC, line-encrypted write and read. */
  g_assert_true (
      cl_fmcos_write_key_secure (f->card, 0x01, 0x05, h_sec, 5, secure_key, cmk, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_update_binary_encrypt (f->card, 5, 0, data, line, NULL, &error));
  g_assert_no_error (error);
  back = cl_fmcos_read_binary_decrypt (f->card, 5, 0, 16, line, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_equal (back, data));

  /* The key transport card's secret files: plain but flagged secret (EF
   * 0004, 0006), line-encrypted (EF 0001, 0002). */
  {
    static const guint16 plain_fids[2] = { 0x0004, 0x0006 };
    static const guint16 enc_fids[2] = { 0x0001, 0x0002 };
    const char *plain_hex[2] = { code1_hex, subs_hex };
    const char *enc_hex[2] = { dkey_hex, pkey_hex };

    for (guint i = 0; i < 2; i++)
      {
        g_autoptr (ClKey) value = tu_key_from_hex (plain_hex[i]);
        g_autoptr (ClKey) read = NULL;
        gsize len = cl_key_get_length (value);

        g_assert_true (cl_fmcos_create_ef (f->card, plain_fids[i], 0x28, len, 0xF0, 0xF0,
                                           CL_FMCOS_WRITE_ONCE, 0xFF, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (
            cl_fmcos_update_binary_secret (f->card, plain_fids[i], 0, value, NULL, &error));
        g_assert_no_error (error);
        read = cl_fmcos_read_binary_secret (f->card, plain_fids[i], 0, len, NULL, &error);
        g_assert_no_error (error);
        g_assert_true (cl_key_equal (read, value));
      }
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr (ClKey) value = tu_key_from_hex (enc_hex[i]);
        g_autoptr (ClKey) read = NULL;

        g_assert_true (cl_fmcos_create_ef (f->card, enc_fids[i], 0xE8, 16, 0xF0, 0xF0,
                                           CL_FMCOS_WRITE_ONCE, 0x7F, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (
            cl_fmcos_update_binary_encrypt (f->card, enc_fids[i], 0, value, line, NULL, &error));
        g_assert_no_error (error);
        read = cl_fmcos_read_binary_decrypt (f->card, enc_fids[i], 0, 16, line, NULL, &error);
        g_assert_no_error (error);
        g_assert_true (cl_key_equal (read, value));
      }
  }

  /* VERIFY on the MCC, then the MCC computes CMK(target) halves. */
  g_assert_true (cl_card_reset (f->r1, NULL, &error));
  g_assert_true (cl_card_reset (f->card, NULL, &error));
  g_assert_true (cl_fmcos_verify (f->r1, 0x00, pin, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  via_mcc = cl_authority_new_mcc (f->r1, 0x01);
  g_assert_true (cl_fmcos_select_fid (f->card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (
      cl_authority_external_authenticate (via_mcc, f->card, sn_b, 0, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* SLE4428: present the factory PSC, change it, present the new one. */
  cl_card_disconnect (f->card);
  g_clear_object (&f->card);
  g_assert_true (cs_deck_remove (f->deck, 1, &error));
  f->card = tu_sim_insert (f, 1, CS_CARD_SLE4428, sle_sn);
  g_assert_true (cl_sle4428_change_psc (f->card, psc_ff, psc_new, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_card_reset (f->card, NULL, &error));
  g_assert_true (cl_sle4428_present_psc (f->card, psc_new, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  /* A full read after presentation includes the PSC bytes: redacted,
   * and returned in locked memory. */
  {
    g_autoptr (ClKey) all = cl_sle4428_read_secret (f->card, 0x300, 0x100, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (cl_key_is_secure (all));
    g_assert_cmpmem (cl_key_get_data (all) + 0xFE, 2, new_psc, 2);
  }
  /* A wrong PSC: an error message, which must not carry it either. */
  {
    static const guint8 wrong[2] = { 0xB4, 0x6D };
    g_autoptr (ClKey) psc_wrong = cl_key_new_from_data (wrong, 2);

    g_assert_false (cl_sle4428_present_psc (f->card, psc_wrong, FALSE, NULL, NULL, &error));
    g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
    cl_log_error ("test", error);
  }
  (void) sle;
}

/* Needles: every secret in hex, unspaced and spaced, both cases. */
static GPtrArray *
needles (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) master = tu_key_from_hex (mk_hex);
  g_autoptr (ClKey) cmk = cl_diversify (master, sn_b, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cmk_hex = cl_hex_encode (cl_key_get_data (cmk), 16);
  const char *secrets[] = { mk_hex, line_hex, secure_key_hex, pin_hex, data_hex, cmk_hex, code1_hex,
                            subs_hex, dkey_hex, pkey_hex,
                            /* PSCs in their command context (2 bytes alone could
                             * occur by chance in random challenges) */
                            "20000002C73E", "FE02C73E", "C73E9000", "20000002B46D" };

  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      gsize n = strlen (secrets[i]) / 2;
      g_autofree guint8 *raw = cl_hex_decode_alloc (secrets[i], &n, NULL);
      char *up = cl_hex_encode (raw, n);
      char *sp = cl_hex_encode_spaced (raw, n);

      g_ptr_array_add (out, g_ascii_strdown (up, -1));
      g_ptr_array_add (out, g_ascii_strdown (sp, -1));
      g_ptr_array_add (out, up);
      g_ptr_array_add (out, sp);
      /* An 8-byte half of a 16-byte key is a leak too. */
      if (n == 16)
        {
          g_ptr_array_add (out, cl_hex_encode (raw, 8));
          g_ptr_array_add (out, cl_hex_encode (raw + 8, 8));
          g_ptr_array_add (out, cl_hex_encode_spaced (raw, 8));
          g_ptr_array_add (out, cl_hex_encode_spaced (raw + 8, 8));
        }
    }
  return out;
}

static void
assert_clean (const char *what, const char *text)
{
  g_autoptr (GPtrArray) n = needles ();

  for (guint i = 0; i < n->len; i++)
    if (strstr (text, n->pdata[i]) != NULL)
      g_error ("%s contains a secret (needle %u)", what, i);
}

static void
test_no_secrets (void)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autofree char *transcript = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *path = NULL;
  g_autofree char *errors_joined = NULL;
  g_autofree char *log_copy = NULL;
  g_auto (GStrv) errors = NULL;
  g_autoptr (GError) error = NULL;

  cl_transcript_clear ();
  tu_sim_open (f);
  run_secret_operations (f);

  /* Checked on a copy: a failing check logs, and the writer locks. */
  g_mutex_lock (&capture_lock);
  log_copy = g_strdup (captured->str);
  g_mutex_unlock (&capture_lock);
  g_assert_cmpuint (strlen (log_copy), >, 1000); /* the APDUs were logged */
  g_assert_nonnull (strstr (log_copy, "CARDLIB_APDU="));
  g_assert_nonnull (strstr (log_copy, "**"));
  assert_clean ("the log", log_copy);

  transcript = cl_transcript_to_string ();
  g_assert_nonnull (strstr (transcript, "C:FF20000002****:"));
  assert_clean ("the transcript", transcript);
  path = g_build_filename (f->dir, "transcript.txt", NULL);
  g_assert_true (cl_transcript_save (path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  assert_clean ("the saved transcript", saved);

  errors = cl_log_get_recent_errors ();
  errors_joined = g_strjoinv ("\n", errors);
  g_assert_nonnull (strstr (errors_joined, "PSC"));
  assert_clean ("the error ring", errors_joined);

  tu_sim_close (f);
}

/* The needles themselves are found when present (the check can fail). */
static void
test_needles_work (void)
{
  g_autofree char *text = g_strdup_printf ("x %s y", "3C 5A 7E 91 B2 D4 F6 08");

  {
    g_autoptr (GPtrArray) n = needles ();
    gboolean hit = FALSE;

    for (guint i = 0; i < n->len; i++)
      hit |= strstr (text, n->pdata[i]) != NULL;
    g_assert_true (hit);
  }
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add_func ("/secrets/needles", test_needles_work);
  g_test_add_func ("/secrets/none-in-logs-transcript-errors", test_no_secrets);
  return g_test_run ();
}
