/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-opcard-data.c: holder, status and identification files of the
 * operator cards (wf-opcard-data.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-codec.h"
#include "wf-error.h"
#include "wf-opcard-data.h"

/* EF 0015 */
#define H_NAME 0
#define H_STAFF 30
#define H_ROLE 46
#define H_OFFICE 47
#define H_FROM 50
#define H_UNTIL 54
/* EF 0016 */
#define S_STATUS 0
#define S_DATE 1
#define S_ACTIVE 0x01
/* EF 0017 */
#define I_WORKSTATION 0
#define I_OFFICE 16
#define I_QUOTA 19

void
wf_op_holder_clear (WfOpHolder *h)
{
  g_clear_pointer (&h->name, g_free);
  g_clear_pointer (&h->staff_number, g_free);
  g_clear_pointer (&h->office, g_free);
  g_clear_pointer (&h->valid_from, g_free);
  g_clear_pointer (&h->valid_until, g_free);
}

void
wf_op_ident_clear (WfOpIdent *i)
{
  g_clear_pointer (&i->workstation, g_free);
  g_clear_pointer (&i->office, g_free);
}

void
wf_op_holder_copy (WfOpHolder *dest, const WfOpHolder *src)
{
  dest->name = g_strdup (src->name);
  dest->staff_number = g_strdup (src->staff_number);
  dest->role = src->role;
  dest->office = g_strdup (src->office);
  dest->valid_from = g_strdup (src->valid_from);
  dest->valid_until = g_strdup (src->valid_until);
}

void
wf_op_ident_copy (WfOpIdent *dest, const WfOpIdent *src)
{
  dest->workstation = g_strdup (src->workstation);
  dest->office = g_strdup (src->office);
  dest->quota = src->quota;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT, message);
  return FALSE;
}

static gboolean
all_digits (const char *s, gsize n)
{
  if (s == NULL || strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
valid_date (const char *s)
{
  g_autoptr (GDate) d = NULL;
  guint y, m, day;

  if (!all_digits (s, 8))
    return FALSE;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[4] - '0') * 10 + (s[5] - '0');
  day = (s[6] - '0') * 10 + (s[7] - '0');
  return g_date_valid_dmy (day, m, y);
}

/* Printable ASCII without spaces at either end, 1..max bytes. */
static gboolean
valid_label (const char *s, gsize max)
{
  gsize n = s != NULL ? strlen (s) : 0;

  if (n == 0 || n > max || s[0] == ' ' || s[n - 1] == ' ')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (s[i] < 0x20 || s[i] > 0x7E)
      return FALSE;
  return TRUE;
}

/* UTF-8 without control, format or line-breaking characters: a name goes
 * to logs, terminals and the GUI, where such characters could rewrite or
 * reorder what is shown. */
static gboolean
plain_text (const char *s)
{
  if (!g_utf8_validate (s, -1, NULL))
    return FALSE;
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    switch (g_unichar_type (g_utf8_get_char (p)))
      {
      case G_UNICODE_CONTROL:
      case G_UNICODE_FORMAT:
      case G_UNICODE_LINE_SEPARATOR:
      case G_UNICODE_PARAGRAPH_SEPARATOR:
        return FALSE;
      default:
        break;
      }
  return TRUE;
}

gboolean
wf_op_holder_validate (const WfOpHolder *h, GError **error)
{
  gsize n = h->name != NULL ? strlen (h->name) : 0;

  if (n == 0)
    return invalid (error, _ ("The holder's name is missing."));
  if (!plain_text (h->name))
    return invalid (error, _ ("The holder's name has a character that is not text (a tab, a line "
                              "break, a direction mark or the like, or bytes that are not UTF-8). "
                              "Type the name on one line, as it is printed."));
  if (n > WF_NAME_MAX)
    return invalid (error, _ ("The holder's name is too long for the card (30 bytes: 10 Chinese "
                              "characters, or 30 Latin letters)."));
  if (!valid_label (h->staff_number, WF_STAFF_MAX))
    return invalid (error, _ ("The staff number must have 1 to 16 letters, digits or signs."));
  if (!all_digits (h->office, 6))
    return invalid (error, _ ("The office code must have exactly 6 digits."));
  if (h->valid_from != NULL && !valid_date (h->valid_from))
    return invalid (error, _ ("“Valid from” must be a date written YYYYMMDD."));
  if (h->valid_until != NULL && !valid_date (h->valid_until))
    return invalid (error, _ ("“Valid until” must be a date written YYYYMMDD."));
  if (h->valid_from != NULL && h->valid_until != NULL && strcmp (h->valid_from, h->valid_until) > 0)
    return invalid (error, _ ("“Valid until” comes before “valid from”."));
  return TRUE;
}

gboolean
wf_op_ident_validate (const WfOpIdent *i, GError **error)
{
  if (!valid_label (i->workstation, WF_WORKSTATION_MAX))
    return invalid (error, _ ("The workstation name must have 1 to 16 letters, digits or signs."));
  if (!all_digits (i->office, 6))
    return invalid (error, _ ("The office code must have exactly 6 digits."));
  if (i->quota != WF_QUOTA_NONE && (i->quota < 0 || i->quota > G_MAXINT32))
    return invalid (error, _ ("The quota must be a number of cards from 0 to 2147483647."));
  return TRUE;
}

static void
put_text (guint8 *out, const char *s, gsize max)
{
  if (s != NULL)
    memcpy (out, s, MIN (strlen (s), max));
}

static char *
get_text (const guint8 *d, gsize max)
{
  gsize n = 0;

  while (n < max && d[n] != 0)
    n++;
  return g_strndup ((const char *) d, n);
}

static void
put_bcd (guint8 *out, const char *digits, gsize bytes)
{
  if (digits == NULL)
    memset (out, 0xFF, bytes);
  else
    cl_bcd_pack (digits, out, bytes, NULL);
}

/* Digits, or NULL for anything else (FF..: not set; the validation that
 * follows tells a field that must be set). */
static char *
get_bcd (const guint8 *d, gsize bytes)
{
  g_autofree char *s = g_malloc (2 * bytes + 1);

  if (!cl_bcd_unpack (d, bytes, s, NULL))
    return NULL;
  return g_steal_pointer (&s);
}

/* An optional date: NULL when not set (FF FF FF FF); FALSE when it is
 * neither set nor unset, which must not read as "no limit". */
static gboolean
get_date (const guint8 *d, char **out)
{
  static const guint8 unset[4] = { 0xFF, 0xFF, 0xFF, 0xFF };

  *out = NULL;
  if (memcmp (d, unset, sizeof unset) == 0)
    return TRUE;
  *out = get_bcd (d, 4);
  return *out != NULL;
}

static gboolean
damaged (GError **error, WfFileContent file)
{
  g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED,
                       file == WF_FILE_HOLDER
                           ? _ ("The card's holder file is damaged or not written by insucard. "
                                "Have the card checked (insucard-cli card check) and made again.")
                           : _ ("The card's identification file is damaged or not written by "
                                "insucard. Have the card checked (insucard-cli card check) and "
                                "made again."));
  return FALSE;
}

static gboolean
check (const guint8 *d, gsize len, gsize want, WfFileContent file, GError **error)
{
  if (len != want || !cl_check_byte_verify (d, want - 1, d[want - 1], NULL))
    return damaged (error, file);
  return TRUE;
}

guint8 *
wf_op_holder_encode (const WfOpHolder *h, GError **error)
{
  guint8 *d;

  if (!wf_op_holder_validate (h, error))
    return NULL;
  d = g_malloc0 (WF_HOLDER_LEN);
  put_text (d + H_NAME, h->name, WF_NAME_MAX);
  put_text (d + H_STAFF, h->staff_number, WF_STAFF_MAX);
  d[H_ROLE] = h->role;
  put_bcd (d + H_OFFICE, h->office, 3);
  put_bcd (d + H_FROM, h->valid_from, 4);
  put_bcd (d + H_UNTIL, h->valid_until, 4);
  d[WF_HOLDER_LEN - 1] = cl_check_byte (d, WF_HOLDER_LEN - 1);
  return d;
}

/* What the card gives is checked as what a person types is: its text
 * reaches logs and terminals. */
gboolean
wf_op_holder_decode (const guint8 *d, gsize len, WfOpHolder *h, GError **error)
{
  memset (h, 0, sizeof *h);
  if (!check (d, len, WF_HOLDER_LEN, WF_FILE_HOLDER, error))
    return FALSE;
  h->name = get_text (d + H_NAME, WF_NAME_MAX);
  h->staff_number = get_text (d + H_STAFF, WF_STAFF_MAX);
  h->role = d[H_ROLE];
  h->office = get_bcd (d + H_OFFICE, 3);
  if (d[H_ROLE] > CL_ROLE_AUDITOR || !get_date (d + H_FROM, &h->valid_from)
      || !get_date (d + H_UNTIL, &h->valid_until) || !wf_op_holder_validate (h, NULL))
    {
      wf_op_holder_clear (h);
      return damaged (error, WF_FILE_HOLDER);
    }
  return TRUE;
}

guint8 *
wf_op_ident_encode (const WfOpIdent *i, GError **error)
{
  guint8 *d;
  guint32 q;

  if (!wf_op_ident_validate (i, error))
    return NULL;
  d = g_malloc0 (WF_IDENT_LEN);
  put_text (d + I_WORKSTATION, i->workstation, WF_WORKSTATION_MAX);
  put_bcd (d + I_OFFICE, i->office, 3);
  q = i->quota == WF_QUOTA_NONE ? G_MAXUINT32 : (guint32) i->quota; /* fits: validated */
  d[I_QUOTA] = q >> 24;
  d[I_QUOTA + 1] = q >> 16;
  d[I_QUOTA + 2] = q >> 8;
  d[I_QUOTA + 3] = q;
  d[WF_IDENT_LEN - 1] = cl_check_byte (d, WF_IDENT_LEN - 1);
  return d;
}

gboolean
wf_op_ident_decode (const guint8 *d, gsize len, WfOpIdent *i, GError **error)
{
  guint32 q;

  memset (i, 0, sizeof *i);
  if (!check (d, len, WF_IDENT_LEN, WF_FILE_IDENT, error))
    return FALSE;
  i->workstation = get_text (d + I_WORKSTATION, WF_WORKSTATION_MAX);
  i->office = get_bcd (d + I_OFFICE, 3);
  q = (guint32) d[I_QUOTA] << 24 | d[I_QUOTA + 1] << 16 | d[I_QUOTA + 2] << 8 | d[I_QUOTA + 3];
  i->quota = q == G_MAXUINT32 ? WF_QUOTA_NONE : q;
  if (!wf_op_ident_validate (i, NULL))
    {
      wf_op_ident_clear (i);
      return damaged (error, WF_FILE_IDENT);
    }
  return TRUE;
}

guint8 *
wf_op_status_encode_active (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");
  guint8 *d = g_malloc0 (WF_STATUS_LEN);

  d[S_STATUS] = S_ACTIVE;
  put_bcd (d + S_DATE, today, 4);
  d[WF_STATUS_LEN - 1] = cl_check_byte (d, WF_STATUS_LEN - 1);
  return d;
}

gboolean
wf_op_status_is_active (const guint8 *d, gsize len)
{
  return len == WF_STATUS_LEN
         && cl_check_byte_verify (d, WF_STATUS_LEN - 1, d[WF_STATUS_LEN - 1], NULL)
         && d[S_STATUS] == S_ACTIVE;
}

static const char *const role_names[] = { NULL, "system-admin", "issuing-admin", "auditor" };

const char *
wf_role_to_string (ClCardRole role)
{
  return role <= CL_ROLE_AUDITOR ? role_names[role] : NULL;
}

gboolean
wf_role_from_string (const char *text, ClCardRole *role)
{
  for (guint r = CL_ROLE_SYSTEM_ADMIN; r <= CL_ROLE_AUDITOR; r++)
    if (g_strcmp0 (text, role_names[r]) == 0)
      {
        *role = r;
        return TRUE;
      }
  return FALSE;
}

const char *
wf_role_describe (ClCardRole role)
{
  switch (role)
    {
    case CL_ROLE_SYSTEM_ADMIN:
      return _ ("system administrator");
    case CL_ROLE_ISSUING_ADMIN:
      return _ ("issuing administrator");
    case CL_ROLE_AUDITOR:
      return _ ("auditor");
    case CL_ROLE_NONE:
    default:
      return _ ("no role");
    }
}
