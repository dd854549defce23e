/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard-fields.c: the insurance card holder's fields as a clerk or an
 * import file gives them: normalised, checked against the card layout
 * (docs/card-formats.md, "The insurance card (SLE4428) as built") and the
 * national codes, with messages that say what to do.  Used alike by the
 * import (wf-import.c), the form and the card decoder. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-codec.h"
#include "cl-key.h"
#include "wf-error.h"
#include "wf-icard.h"

static const char *const field_names[WF_ICARD_N_FIELDS] = {
  [WF_ICARD_FIELD_ID_NUMBER] = "id_number",
  [WF_ICARD_FIELD_NAME] = "name",
  [WF_ICARD_FIELD_SEX] = "sex",
  [WF_ICARD_FIELD_ETHNICITY] = "ethnicity",
  [WF_ICARD_FIELD_BIRTH_DATE] = "birth_date",
  [WF_ICARD_FIELD_INSURANCE_CATEGORY] = "insurance_category",
  [WF_ICARD_FIELD_EMPLOYER_CODE] = "employer_code",
  [WF_ICARD_FIELD_VALID_UNTIL] = "valid_until",
  [WF_ICARD_FIELD_PERSONAL_NUMBER] = "personal_number",
};

static const char *const field_labels[WF_ICARD_N_FIELDS] = {
  [WF_ICARD_FIELD_ID_NUMBER] = N_ ("ID number"),
  [WF_ICARD_FIELD_NAME] = N_ ("Name"),
  [WF_ICARD_FIELD_SEX] = N_ ("Sex"),
  [WF_ICARD_FIELD_ETHNICITY] = N_ ("Ethnicity"),
  [WF_ICARD_FIELD_BIRTH_DATE] = N_ ("Birth date"),
  [WF_ICARD_FIELD_INSURANCE_CATEGORY] = N_ ("Insurance category"),
  [WF_ICARD_FIELD_EMPLOYER_CODE] = N_ ("Employer code"),
  [WF_ICARD_FIELD_VALID_UNTIL] = N_ ("Valid until"),
  [WF_ICARD_FIELD_PERSONAL_NUMBER] = N_ ("Personal number"),
};

/* NHSA insurance type codes (险种类型) a medical insurance card carries. */
static const struct {
  const char *code;
  const char *label;
} categories[] = {
  { "310", N_ ("Employees' basic medical insurance") },
  { "320", N_ ("Civil servants' medical subsidy") },
  { "330", N_ ("Large medical expense subsidy") },
  { "340", N_ ("Medical care for retired veteran cadres") },
  { "390", N_ ("Residents' basic medical insurance") },
  { "392", N_ ("Residents' serious illness insurance") },
};

const char *
wf_icard_field_name (WfIcardField field)
{
  g_return_val_if_fail (field < WF_ICARD_N_FIELDS, NULL);
  return field_names[field];
}

const char *
wf_icard_field_label (WfIcardField field)
{
  g_return_val_if_fail (field < WF_ICARD_N_FIELDS, NULL);
  return _ (field_labels[field]);
}

gboolean
wf_icard_field_from_name (const char *name, WfIcardField *field)
{
  g_return_val_if_fail (name != NULL && field != NULL, FALSE);

  for (guint i = 0; i < WF_ICARD_N_FIELDS; i++)
    if (g_ascii_strcasecmp (name, field_names[i]) == 0)
      {
        *field = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
wf_icard_field_required (WfIcardField field)
{
  return field == WF_ICARD_FIELD_ID_NUMBER || field == WF_ICARD_FIELD_NAME;
}

const char *
wf_icard_category_label (const char *code)
{
  g_return_val_if_fail (code != NULL, "");

  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    if (strcmp (code, categories[i].code) == 0)
      return _ (categories[i].label);
  return "";
}

static gboolean
all_digits (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
invalid (GError **error, WfIcardField field, const char *detail)
{
  g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT, "%s: %s", wf_icard_field_label (field),
               detail);
  return FALSE;
}

/* -- dates */

gboolean
wf_icard_date_parse (const char *text, char out[9], GError **error)
{
  guint64 y = 0, m = 0, d = 0;
  g_auto (GStrv) parts = NULL;
  gsize n = strlen (text);

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  if (n == 8 && all_digits (text))
    {
      y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
      m = (text[4] - '0') * 10 + (text[5] - '0');
      d = (text[6] - '0') * 10 + (text[7] - '0');
    }
  else
    {
      parts = g_strsplit_set (text, "-/.", -1);
      if (g_strv_length (parts) != 3 || strlen (parts[0]) != 4 || strlen (parts[1]) < 1
          || strlen (parts[1]) > 2 || strlen (parts[2]) < 1 || strlen (parts[2]) > 2
          || !all_digits (parts[0]) || !all_digits (parts[1]) || !all_digits (parts[2]))
        {
          g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                       _ ("“%s” is not a date. Write it as 20240105 or 2024-01-05."), text);
          return FALSE;
        }
      y = g_ascii_strtoull (parts[0], NULL, 10);
      m = g_ascii_strtoull (parts[1], NULL, 10);
      d = g_ascii_strtoull (parts[2], NULL, 10);
    }
  if (y < 1900 || y > 2199 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                   _ ("“%s” is not a date of the calendar. Check the year, month and day."), text);
      return FALSE;
    }
  g_snprintf (out, 9, "%04u%02u%02u", (guint) y, (guint) m, (guint) d);
  return TRUE;
}

char *
wf_icard_date_format (const char *yyyymmdd)
{
  g_return_val_if_fail (yyyymmdd != NULL, NULL);

  if (strlen (yyyymmdd) != 8)
    return g_strdup (yyyymmdd);
  return g_strdup_printf ("%.4s-%.2s-%.2s", yyyymmdd, yyyymmdd + 4, yyyymmdd + 6);
}

void
wf_icard_today (char out[9])
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *s = g_date_time_format (now, "%Y%m%d");

  g_strlcpy (out, s, 9);
}

char *
wf_icard_format_card_number (const char *card_number)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (card_number != NULL, NULL);

  for (gsize i = 0; card_number[i]; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (s, ' ');
      g_string_append_c (s, card_number[i]);
    }
  return g_string_free (s, FALSE);
}

gboolean
wf_icard_parse_card_ref (const char *text, char **card_number, char **sn, GError **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gboolean digits = TRUE, hex = TRUE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (card_number != NULL && sn != NULL, FALSE);

  *card_number = *sn = NULL;
  /* "0000 0123 45" as wf_icard_format_card_number() prints it. */
  for (const char *p = text; *p; p++)
    if (*p != ' ' && *p != '\t')
      g_string_append_c (s, g_ascii_toupper (*p));
  for (gsize i = 0; i < s->len; i++)
    {
      digits = digits && g_ascii_isdigit (s->str[i]);
      hex = hex && g_ascii_isxdigit (s->str[i]);
    }
  if (digits && s->len == 10)
    *card_number = g_strdup (s->str);
  else if (hex && s->len == 16)
    *sn = g_strdup (s->str);
  else
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("Type the card number (10 digits, as printed on the card) or its "
                              "serial (16 characters, 0-9 and A-F)."));
      return FALSE;
    }
  return TRUE;
}

/* -- one field each */

static gboolean
set_id_number (WfIcardHolder *h, const char *v, GError **error)
{
  g_autoptr (GError) local = NULL;
  char id[19], birth[9], today[9];

  if (strlen (v) == 15 && all_digits (v))
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER,
                    _ ("15-digit ID numbers are no longer valid. Enter the 18-character number "
                       "of the holder's current ID card."));
  if (strlen (v) != 18)
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER,
                    _ ("An ID number has 18 characters. Check it against the ID card."));
  memcpy (id, v, 19);
  if (id[17] == 'x')
    id[17] = 'X'; /* as many people type it */
  if (!cl_gb11643_validate (id, &local))
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER, local->message);
  memcpy (birth, id + 6, 8);
  birth[8] = '\0';
  if (!wf_icard_date_parse (birth, birth, NULL))
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER,
                    _ ("The birth date inside the ID number is not a date. Check the number "
                       "against the ID card."));
  wf_icard_today (today);
  if (strcmp (birth, today) > 0)
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER,
                    _ ("The birth date inside the ID number is in the future. Check the number "
                       "against the ID card."));
  memcpy (h->id_number, id, sizeof id);
  return TRUE;
}

static gboolean
set_name (WfIcardHolder *h, const char *v, GError **error)
{
  g_autofree char *nfc = NULL;
  gsize len;

  if (!g_utf8_validate (v, -1, NULL))
    return invalid (error, WF_ICARD_FIELD_NAME,
                    _ ("The name is not readable text. Type it again."));
  nfc = g_utf8_normalize (v, -1, G_NORMALIZE_NFC);
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return invalid (error, WF_ICARD_FIELD_NAME,
                      _ ("The name contains a control character. Type it again."));
  len = strlen (nfc);
  if (len > WF_ICARD_NAME_MAX)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("“%s” takes %zu bytes, but the card holds at most %d (10 Chinese characters). Use "
             "the short form of the name on the ID card."),
          nfc, len, WF_ICARD_NAME_MAX);

      return invalid (error, WF_ICARD_FIELD_NAME, msg);
    }
  g_strlcpy (h->name, nfc, sizeof h->name);
  return TRUE;
}

static gboolean
set_sex (WfIcardHolder *h, const char *v, GError **error)
{
  const char *code = NULL;

  if (strcmp (v, "男") == 0 || strcmp (v, "男性") == 0)
    code = "1";
  else if (strcmp (v, "女") == 0 || strcmp (v, "女性") == 0)
    code = "2";
  else if (strlen (v) == 1 && strchr ("0129", v[0]) != NULL)
    code = v;
  if (code == NULL)
    return invalid (error, WF_ICARD_FIELD_SEX,
                    _ ("Write 1 or 男 for male, 2 or 女 for female (0 unknown, 9 not stated), "
                       "or leave it empty to take it from the ID number."));
  g_strlcpy (h->sex, code, sizeof h->sex);
  return TRUE;
}

static gboolean
set_ethnicity (WfIcardHolder *h, const char *v, GError **error)
{
  guint64 n;

  if (strlen (v) > 2 || !all_digits (v) || !g_ascii_string_to_unsigned (v, 10, 1, 98, &n, NULL)
      || (n > 56 && n < 97))
    return invalid (error, WF_ICARD_FIELD_ETHNICITY,
                    _ ("Use the two-digit code of GB 3304 (01 Han … 56 Jino, 97 other, 98 "
                       "foreign origin), or leave it empty."));
  g_snprintf (h->ethnicity, sizeof h->ethnicity, "%02u", (guint) n);
  return TRUE;
}

static gboolean
set_date (char *out, WfIcardField field, const char *v, GError **error)
{
  g_autoptr (GError) local = NULL;
  char d[9], today[9];

  if (!wf_icard_date_parse (v, d, &local))
    return invalid (error, field, local->message);
  wf_icard_today (today);
  if (field == WF_ICARD_FIELD_BIRTH_DATE && strcmp (d, today) > 0)
    return invalid (error, field, _ ("The birth date is in the future. Check it."));
  memcpy (out, d, 9);
  return TRUE;
}

static gboolean
set_category (WfIcardHolder *h, const char *v, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    if (strcmp (v, categories[i].code) == 0)
      {
        g_strlcpy (h->insurance_category, v, sizeof h->insurance_category);
        return TRUE;
      }
  return invalid (error, WF_ICARD_FIELD_INSURANCE_CATEGORY,
                  _ ("Use one of the codes 310, 320, 330, 340, 390 or 392 (see the import "
                     "guide), or leave it empty."));
}

static gboolean
set_digits (char *out, gsize size, WfIcardField field, const char *v, GError **error)
{
  if (!all_digits (v) || strlen (v) >= size)
    {
      g_autofree char *msg =
          g_strdup_printf (_ ("Use at most %zu digits, or leave it empty."), size - 1);

      return invalid (error, field, msg);
    }
  g_strlcpy (out, v, size);
  return TRUE;
}

/* Trims ASCII white space and the ideographic space U+3000 that Chinese
 * input methods leave. */
static char *
trimmed (const char *value)
{
  char *s = g_strstrip (g_strdup (value));

  while (g_str_has_prefix (s, "\u3000"))
    memmove (s, s + 3, strlen (s + 3) + 1);
  while (g_str_has_suffix (s, "\u3000"))
    s[strlen (s) - 3] = '\0';
  return g_strstrip (s);
}

gboolean
wf_icard_holder_set (WfIcardHolder *holder, WfIcardField field, const char *value, GError **error)
{
  g_autofree char *v = NULL;

  g_return_val_if_fail (holder != NULL, FALSE);
  g_return_val_if_fail (field < WF_ICARD_N_FIELDS, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  v = trimmed (value);
  if (v[0] == '\0')
    {
      if (wf_icard_field_required (field))
        return invalid (error, field, _ ("This field must be filled in."));
      switch (field)
        {
        case WF_ICARD_FIELD_SEX:
          holder->sex[0] = '\0';
          break;
        case WF_ICARD_FIELD_ETHNICITY:
          holder->ethnicity[0] = '\0';
          break;
        case WF_ICARD_FIELD_BIRTH_DATE:
          holder->birth_date[0] = '\0';
          break;
        case WF_ICARD_FIELD_INSURANCE_CATEGORY:
          holder->insurance_category[0] = '\0';
          break;
        case WF_ICARD_FIELD_EMPLOYER_CODE:
          holder->employer_code[0] = '\0';
          break;
        case WF_ICARD_FIELD_VALID_UNTIL:
          holder->valid_until[0] = '\0';
          break;
        case WF_ICARD_FIELD_PERSONAL_NUMBER:
          holder->personal_number[0] = '\0';
          break;
        default:
          g_assert_not_reached ();
        }
      return TRUE;
    }

  switch (field)
    {
    case WF_ICARD_FIELD_ID_NUMBER:
      return set_id_number (holder, v, error);
    case WF_ICARD_FIELD_NAME:
      return set_name (holder, v, error);
    case WF_ICARD_FIELD_SEX:
      return set_sex (holder, v, error);
    case WF_ICARD_FIELD_ETHNICITY:
      return set_ethnicity (holder, v, error);
    case WF_ICARD_FIELD_BIRTH_DATE:
      return set_date (holder->birth_date, field, v, error);
    case WF_ICARD_FIELD_INSURANCE_CATEGORY:
      return set_category (holder, v, error);
    case WF_ICARD_FIELD_EMPLOYER_CODE:
      return set_digits (holder->employer_code, sizeof holder->employer_code, field, v, error);
    case WF_ICARD_FIELD_VALID_UNTIL:
      return set_date (holder->valid_until, field, v, error);
    case WF_ICARD_FIELD_PERSONAL_NUMBER:
      return set_digits (holder->personal_number, sizeof holder->personal_number, field, v, error);
    default:
      g_assert_not_reached ();
    }
}

const char *
wf_icard_holder_get (const WfIcardHolder *h, WfIcardField field)
{
  g_return_val_if_fail (h != NULL, NULL);

  switch (field)
    {
    case WF_ICARD_FIELD_ID_NUMBER:
      return h->id_number;
    case WF_ICARD_FIELD_NAME:
      return h->name;
    case WF_ICARD_FIELD_SEX:
      return h->sex;
    case WF_ICARD_FIELD_ETHNICITY:
      return h->ethnicity;
    case WF_ICARD_FIELD_BIRTH_DATE:
      return h->birth_date;
    case WF_ICARD_FIELD_INSURANCE_CATEGORY:
      return h->insurance_category;
    case WF_ICARD_FIELD_EMPLOYER_CODE:
      return h->employer_code;
    case WF_ICARD_FIELD_VALID_UNTIL:
      return h->valid_until;
    case WF_ICARD_FIELD_PERSONAL_NUMBER:
      return h->personal_number;
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
wf_icard_holder_complete (WfIcardHolder *holder, GError **error)
{
  char sex[2], birth[9];

  g_return_val_if_fail (holder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (holder->id_number[0] == '\0')
    return invalid (error, WF_ICARD_FIELD_ID_NUMBER, _ ("This field must be filled in."));
  if (holder->name[0] == '\0')
    return invalid (error, WF_ICARD_FIELD_NAME, _ ("This field must be filled in."));

  /* GB 11643: digits 7-14 the birth date, digit 17 odd for men. */
  memcpy (birth, holder->id_number + 6, 8);
  birth[8] = '\0';
  sex[0] = (holder->id_number[16] - '0') % 2 ? '1' : '2';
  sex[1] = '\0';
  if (holder->birth_date[0] != '\0' && strcmp (holder->birth_date, birth) != 0)
    return invalid (error, WF_ICARD_FIELD_BIRTH_DATE,
                    _ ("The birth date differs from the one in the ID number. Correct one of "
                       "them, or leave the birth date empty."));
  if ((holder->sex[0] == '1' || holder->sex[0] == '2') && strcmp (holder->sex, sex) != 0)
    return invalid (error, WF_ICARD_FIELD_SEX,
                    _ ("The sex differs from the one in the ID number. Correct one of them, or "
                       "leave the sex empty."));
  if (holder->sex[0] == '\0')
    memcpy (holder->sex, sex, sizeof sex);
  if (holder->birth_date[0] == '\0')
    memcpy (holder->birth_date, birth, sizeof birth);
  if (holder->insurance_category[0] == '\0')
    g_strlcpy (holder->insurance_category, holder->employer_code[0] ? "310" : "390",
               sizeof holder->insurance_category);
  return TRUE;
}

void
wf_icard_holder_clear (WfIcardHolder *holder)
{
  if (holder != NULL)
    cl_secure_wipe (holder, sizeof *holder);
}
