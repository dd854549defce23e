/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos-image.c: the FMCOS card's persistent state as GKeyFile groups
 * (one "[file PATH]" per file in tree order, one "[key DFPATH TT/II]" per
 * key), and the describe dump, which never shows key or PIN bytes. */
#include "cs-fmcos-private.h"
#include "cl-codec.h"

#include <stdio.h>
#include <string.h>

#define FILE_GROUP "file "
#define KEY_GROUP "key "

char *
cs_fmcos_path (FmFile *f)
{
  if (f->parent == NULL)
    return g_strdup_printf ("%04X", f->fid);
  g_autofree char *up = cs_fmcos_path (f->parent);
  return g_strdup_printf ("%s/%04X", up, f->fid);
}

static const char *
kind_name (FmKind kind)
{
  switch (kind)
    {
    case FM_DF:
      return "df";
    case FM_KEYFILE:
      return "key";
    case FM_BINARY:
      return "binary";
    case FM_FIXED:
      return "fixed";
    case FM_CYCLIC:
      return "cyclic";
    default:
      return "?";
    }
}

static gboolean
kind_from_name (const char *s, FmKind *kind)
{
  for (FmKind k = FM_DF; k <= FM_CYCLIC; k++)
    if (g_strcmp0 (s, kind_name (k)) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

/* Names of the key record's bytes 3 and 4, which mean different things
 * for different key types. */
static const char *
b3_name (guint8 base)
{
  if (base == FM_KT_EXTERNAL || base == FM_KT_PIN)
    return "followup";
  if (base >= FM_KT_LINE && base <= FM_KT_RELOAD)
    return "reserved";
  return "version";
}

static const char *
b4_name (guint8 base)
{
  return cs_fmcos_key_has_counter (base) ? "errors" : "algorithm";
}

static const char *
key_role (guint8 base)
{
  switch (base)
    {
    case FM_KT_DES_ENC:
      return "DES-encrypt";
    case FM_KT_DES_DEC:
      return "DES-decrypt";
    case FM_KT_DES_MAC:
      return "DES-MAC";
    case FM_KT_INTERNAL:
      return "internal-auth";
    case FM_KT_LINE:
      return "line-protection";
    case FM_KT_UNBLOCK:
      return "PIN-unblock";
    case FM_KT_RELOAD:
      return "PIN-reload";
    case FM_KT_EXTERNAL:
      return "external-auth";
    case FM_KT_PIN:
      return "PIN";
    default:
      return "other";
    }
}

static void
set_byte (GKeyFile *kf, const char *group, const char *key, guint8 v)
{
  char buf[3];

  g_snprintf (buf, sizeof buf, "%02X", v);
  g_key_file_set_string (kf, group, key, buf);
}

static void
set_hex (GKeyFile *kf, const char *group, const char *key, const guint8 *data, gsize len)
{
  g_autofree char *hex = cl_hex_encode (data, len);

  g_key_file_set_string (kf, group, key, hex);
  cl_secure_wipe (hex, 2 * len);
}

static void
save_file (GKeyFile *kf, FmFile *f)
{
  g_autofree char *path = cs_fmcos_path (f);
  g_autofree char *group = g_strconcat (FILE_GROUP, path, NULL);

  g_key_file_set_string (kf, group, "type", kind_name (f->kind));
  switch (f->kind)
    {
    case FM_DF:
      g_key_file_set_integer (kf, group, "space", f->space);
      set_byte (kf, group, "create", f->create_right);
      set_byte (kf, group, "erase", f->erase_right);
      set_byte (kf, group, "app-id", f->app_id);
      set_hex (kf, group, "name", f->name, f->name_len);
      break;
    case FM_KEYFILE:
      g_key_file_set_integer (kf, group, "space", f->space);
      set_byte (kf, group, "app-id", f->app_id);
      set_byte (kf, group, "add", f->add_right);
      break;
    default:
      set_byte (kf, group, "type-byte", f->type_byte);
      if (f->kind == FM_BINARY)
        g_key_file_set_integer (kf, group, "size", f->size);
      else
        {
          g_key_file_set_integer (kf, group, "records", f->nrec);
          g_key_file_set_integer (kf, group, "record-length", f->reclen);
          g_key_file_set_integer (kf, group, "used", f->used);
          if (f->kind == FM_CYCLIC)
            g_key_file_set_integer (kf, group, "head", f->head);
        }
      set_byte (kf, group, "read", f->read_right);
      set_byte (kf, group, "write", f->write_right);
      set_byte (kf, group, "write-flag", f->write_flag);
      if (f->write_flag == FM_WRITE_ONCE)
        g_key_file_set_boolean (kf, group, "written", f->written);
      set_byte (kf, group, "access", f->access);
      set_hex (kf, group, "data", f->data, f->data_len);
      break;
    }
  if (f->kind == FM_KEYFILE)
    {
      g_autofree char *df_path = cs_fmcos_path (f->parent);

      for (guint i = 0; i < f->keys->len; i++)
        {
          FmKey *k = g_ptr_array_index (f->keys, i);
          guint8 base = FM_KT_BASE (k->type);
          g_autofree char *kg = g_strdup_printf (KEY_GROUP "%s %02X/%02X", df_path, base, k->id);

          g_key_file_set_string (kf, kg, "role", key_role (base));
          set_byte (kf, kg, "type", k->type);
          set_byte (kf, kg, "use", k->use);
          set_byte (kf, kg, "change", k->change);
          set_byte (kf, kg, b3_name (base), k->b3);
          set_byte (kf, kg, b4_name (base), k->b4);
          set_hex (kf, kg, "value", k->value, k->len);
        }
    }
  if (f->kind == FM_DF)
    for (guint i = 0; i < f->children->len; i++)
      save_file (kf, g_ptr_array_index (f->children, i));
}

void
cs_fmcos_save (CsCard *card, GKeyFile *image)
{
  save_file (image, cs_fmcos_model (card)->mf);
}

/* ---- load ---- */

static gboolean
bad (GError **error, const char *group, const char *what)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "card image: [%s]: %s",
               group, what);
  return FALSE;
}

static gboolean
get_hex (GKeyFile *kf, const char *group, const char *key, guint8 *out, gsize max, gsize *len,
         GError **error)
{
  g_autofree char *s = g_key_file_get_string (kf, group, key, NULL);
  gsize n;

  if (s == NULL)
    return bad (error, group, "missing hex value");
  n = strlen (s);
  if (n % 2 != 0 || n / 2 > max)
    return bad (error, group, "hex value of a wrong length");
  /* Every character must be a digit: cl_hex_decode would skip white space,
   * and then the count no longer matches. */
  if (!cl_hex_decode (s, out, n / 2, NULL))
    return bad (error, group, "not hex");
  cl_secure_wipe (s, n);
  *len = n / 2;
  return TRUE;
}

static gboolean
get_byte (GKeyFile *kf, const char *group, const char *key, guint8 *out, GError **error)
{
  gsize len;

  if (!get_hex (kf, group, key, out, 1, &len, error))
    return FALSE;
  return len == 1 || bad (error, group, "byte value expected");
}

static gboolean
get_uint (GKeyFile *kf, const char *group, const char *key, guint max, guint *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  gint v = g_key_file_get_integer (kf, group, key, &local);

  if (local || v < 0 || (guint) v > max)
    return bad (error, group, "missing or out-of-range number");
  *out = v;
  return TRUE;
}

/* write-flag (images before it: FF, "repeatedly") and, for a write-once
 * EF only, whether its update has happened (default: not yet). */
static gboolean
get_write_flag (GKeyFile *kf, const char *group, FmFile *f, GError **error)
{
  g_autoptr (GError) local = NULL;

  f->write_flag = FM_WRITE_FLAG_OLD;
  if (g_key_file_has_key (kf, group, "write-flag", NULL)
      && !get_byte (kf, group, "write-flag", &f->write_flag, error))
    return FALSE;
  if (!FM_WRITE_FLAG_OK (f->write_flag))
    return bad (error, group, "write-flag must be 00, 01 or FF");
  if (!g_key_file_has_key (kf, group, "written", NULL))
    return TRUE;
  if (f->write_flag != FM_WRITE_ONCE)
    return bad (error, group, "written= belongs to write-once EFs (write-flag=01) only");
  f->written = g_key_file_get_boolean (kf, group, "written", &local);
  return local == NULL || bad (error, group, "written must be true or false");
}

static gboolean
hex_digits (const char *s, gsize n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* "3F00/DF01/0015" -> the parent DF (NULL when missing) and the FID. */
static FmFile *
walk (FmModel *m, const char *path, guint16 *fid)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  FmFile *df = NULL;

  for (guint i = 0; i < n; i++)
    {
      guint64 v;

      /* Exactly four hex digits: strtoull would also take "+001" or
       * "-001", which save back as another name. */
      if (!hex_digits (parts[i], 4))
        return NULL;
      v = g_ascii_strtoull (parts[i], NULL, 16);
      if (i == n - 1)
        {
          *fid = v;
          return i == 0 ? (FmFile *) m : df; /* the MF's "parent" is the model */
        }
      df = (i == 0) ? m->mf : (df ? cs_fmcos_df_child (df, v) : NULL);
      if (df == NULL || df->kind != FM_DF || (i == 0 && v != FM_MF_FID))
        return NULL;
    }
  return NULL;
}

static gboolean
load_file (FmModel *m, GKeyFile *kf, const char *group, GError **error)
{
  g_autofree char *type = g_key_file_get_string (kf, group, "type", NULL);
  FmFile *parent, *f;
  guint16 fid = 0;
  FmKind kind;
  guint v;
  gsize len;

  parent = walk (m, group + strlen (FILE_GROUP), &fid);
  if (parent == NULL)
    return bad (error, group, "path is not under a known DF");
  if (!kind_from_name (type, &kind))
    return bad (error, group, "unknown file type");
  if ((FmModel *) parent == m)
    {
      if (fid != FM_MF_FID || kind != FM_DF || m->mf)
        return bad (error, group, "the MF must be one DF 3F00");
      parent = NULL;
    }
  else if (cs_fmcos_df_child (parent, fid))
    return bad (error, group, "duplicate file");
  else if (fid == FM_MF_FID || fid == 0xFFFF)
    return bad (error, group, "FID 3F00 and FFFF are the MF's only");

  f = cs_fmcos_file_new (kind, fid);
  if (parent)
    cs_fmcos_df_add (parent, f);
  else
    m->mf = f;

  switch (kind)
    {
    case FM_DF:
      if (!get_uint (kf, group, "space", 0xFFFF, &v, error))
        return FALSE;
      f->space = v;
      if (!get_byte (kf, group, "create", &f->create_right, error)
          || !get_byte (kf, group, "erase", &f->erase_right, error)
          || !get_byte (kf, group, "app-id", &f->app_id, error)
          || !get_hex (kf, group, "name", f->name, FM_MAX_NAME, &len, error))
        return FALSE;
      f->name_len = len;
      return TRUE;
    case FM_KEYFILE:
      if (!get_uint (kf, group, "space", 0xFFFF, &v, error))
        return FALSE;
      f->space = v;
      return get_byte (kf, group, "app-id", &f->app_id, error)
             && get_byte (kf, group, "add", &f->add_right, error);
    default:
      break;
    }
  if (!get_byte (kf, group, "type-byte", &f->type_byte, error)
      || !get_byte (kf, group, "read", &f->read_right, error)
      || !get_byte (kf, group, "write", &f->write_right, error)
      || !get_byte (kf, group, "access", &f->access, error)
      || !get_write_flag (kf, group, f, error))
    return FALSE;
  if (kind == FM_BINARY)
    {
      if (!get_uint (kf, group, "size", 0xFFFF, &v, error))
        return FALSE;
      f->size = v;
    }
  else
    {
      guint nrec, reclen, used, head = 0;

      if (!get_uint (kf, group, "records", 0xFF, &nrec, error)
          || !get_uint (kf, group, "record-length", 0xFF, &reclen, error)
          || !get_uint (kf, group, "used", nrec, &used, error)
          || (kind == FM_CYCLIC
              && !get_uint (kf, group, "head", nrec ? nrec - 1 : 0, &head, error)))
        return FALSE;
      f->size = (nrec << 8) | reclen;
      f->used = used;
      f->head = head;
    }
  /* What CREATE FILE refuses cannot come from an image either. */
  if (!cs_fmcos_ef_size_ok (kind, f->size))
    return bad (error, group, "an EF needs a size; a record file records of at least one byte");
  cs_fmcos_ef_alloc (f);
  if (!get_hex (kf, group, "data", f->data, f->data_len, &len, error))
    return FALSE;
  return len == f->data_len || bad (error, group, "data does not fill the file");
}

static gboolean
load_key (FmModel *m, GKeyFile *kf, const char *group, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (group + strlen (KEY_GROUP), " ", -1);
  g_autofree char *df_path = NULL;
  FmFile *df, *keyfile;
  guint16 fid = 0;
  guint type = 0, id = 0;
  FmKey *k;
  gsize len;

  /* Strict, so that two groups can never save as one: "TT/II" in hex. */
  if (g_strv_length (parts) != 2 || strlen (parts[1]) != 5 || parts[1][2] != '/'
      || sscanf (parts[1], "%2X/%2X", &type, &id) != 2 || !g_ascii_isxdigit (parts[1][0])
      || !g_ascii_isxdigit (parts[1][1]) || !hex_digits (parts[1] + 3, 2))
    return bad (error, group, "name must be \"key DFPATH TT/II\"");
  df = walk (m, parts[0], &fid);
  if (df == NULL)
    return bad (error, group, "unknown DF");
  if ((FmModel *) df == m)
    df = fid == FM_MF_FID ? m->mf : NULL;
  else
    df = cs_fmcos_df_child (df, fid);
  if (df == NULL || df->kind != FM_DF || (keyfile = cs_fmcos_df_keyfile (df)) == NULL)
    return bad (error, group, "the DF has no KEY file");
  if (cs_fmcos_find_key (df, type & 0x3F, id))
    return bad (error, group, "duplicate key");

  k = g_new0 (FmKey, 1);
  g_ptr_array_add (keyfile->keys, k);
  k->id = id;
  if (!get_byte (kf, group, "type", &k->type, error) || !get_byte (kf, group, "use", &k->use, error)
      || !get_byte (kf, group, "change", &k->change, error))
    return FALSE;
  if (FM_KT_BASE (k->type) != type)
    return bad (error, group, "type does not match the group name");
  if (!get_byte (kf, group, b3_name (type), &k->b3, error)
      || !get_byte (kf, group, b4_name (type), &k->b4, error)
      || !get_hex (kf, group, "value", k->value, FM_MAX_KEY, &len, error))
    return FALSE;
  k->len = len;
  if (type == FM_KT_PIN ? (len < FM_MIN_PIN || len > FM_MAX_PIN) : (len != 8 && len != 16))
    return bad (error, group, "key value of a wrong length");
  if (cs_fmcos_key_has_counter (type) && (k->b4 & 0x0F) > (k->b4 >> 4))
    return bad (error, group, "error counter: more tries left than the maximum");
  return TRUE;
}

/* Strict: every file group in tree order, the MF first; keys after. */
gboolean
cs_fmcos_load_image (FmModel *m, GKeyFile *image, GError **error)
{
  g_auto (GStrv) groups = g_key_file_get_groups (image, NULL);

  for (guint i = 0; groups[i]; i++)
    if (g_str_has_prefix (groups[i], FILE_GROUP) && !load_file (m, image, groups[i], error))
      return FALSE;
  if (m->mf == NULL)
    return bad (error, FILE_GROUP "3F00", "missing: the image has no MF");
  for (guint i = 0; groups[i]; i++)
    if (g_str_has_prefix (groups[i], KEY_GROUP) && !load_key (m, image, groups[i], error))
      return FALSE;
  return TRUE;
}

/* ---- describe ---- */

static void
append_name (GString *out, const guint8 *name, gsize len)
{
  gboolean text = len > 0;

  for (gsize i = 0; i < len; i++)
    text = text && g_ascii_isprint (name[i]);
  if (text)
    g_string_append_printf (out, " name \"%.*s\"", (int) len, name);
  else if (len > 0)
    {
      g_autofree char *hex = cl_hex_encode (name, len);

      g_string_append_printf (out, " name %s", hex);
    }
}

static void
describe_file (GString *out, FmFile *f, guint depth)
{
  static const char *const prot[] = { "plain", "?", "MAC", "MAC+encrypted" };

  g_string_append_printf (out, "%*s", 2 * depth, "");
  switch (f->kind)
    {
    case FM_DF:
      g_string_append_printf (out, "%s %04X", f->parent ? "DF" : "MF", f->fid);
      append_name (out, f->name, f->name_len);
      g_string_append_printf (out, " space %u (used %zu) create %02X erase %02X app-id %02X\n",
                              f->space, cs_fmcos_df_used (f), f->create_right, f->erase_right,
                              f->app_id);
      for (guint i = 0; i < f->children->len; i++)
        describe_file (out, g_ptr_array_index (f->children, i), depth + 1);
      return;
    case FM_KEYFILE:
      g_string_append_printf (out, "KEY %04X space %u add %02X, %u keys\n", f->fid, f->space,
                              f->add_right, f->keys->len);
      for (guint i = 0; i < f->keys->len; i++)
        {
          FmKey *k = g_ptr_array_index (f->keys, i);
          guint8 base = FM_KT_BASE (k->type);

          /* Metadata only: never the key or PIN bytes. */
          g_string_append_printf (out, "%*skey %02X/%02X %s (%u bytes%s) use %02X change %02X",
                                  2 * depth + 2, "", base, k->id, key_role (base), k->len,
                                  FM_KT_CIPHER_ONLY (k->type) ? ", cipher-only" : "", k->use,
                                  k->change);
          if (base == FM_KT_EXTERNAL || base == FM_KT_PIN)
            g_string_append_printf (out, " follow-up %X", k->b3 & 0x0F);
          if (cs_fmcos_key_has_counter (base))
            g_string_append_printf (out, " tries %u/%u%s", k->b4 & 0x0F, k->b4 >> 4,
                                    (k->b4 & 0x0F) == 0 ? " BLOCKED" : "");
          g_string_append_c (out, '\n');
        }
      return;
    default:
      break;
    }
  g_string_append_printf (out, "EF %04X %s", f->fid, kind_name (f->kind));
  if (f->kind == FM_BINARY)
    g_string_append_printf (out, " %u bytes", f->size);
  else
    g_string_append_printf (out, " %u x %u bytes, %u used", f->nrec, f->reclen, f->used);
  g_string_append_printf (out, " read %02X write %02X%s access %02X %s\n", f->read_right,
                          f->write_right,
                          f->write_flag != FM_WRITE_ONCE ? ""
                          : f->written                   ? " once (used)"
                                                         : " once",
                          f->access, prot[f->type_byte >> 6]);
}

char *
cs_fmcos_describe (CsCard *card)
{
  GString *out = g_string_new (NULL);

  describe_file (out, cs_fmcos_model (card)->mf, 0);
  return g_string_free (out, FALSE);
}
