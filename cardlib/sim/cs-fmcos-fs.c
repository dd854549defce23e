/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos-fs.c: the FMCOS file system: the file tree, CREATE FILE, SELECT
 * and ERASE DF.  The EF commands are in cs-fmcos-ef.c. */
#include "cs-fmcos-private.h"

#include <string.h>

FmFile *
cs_fmcos_file_new (FmKind kind, guint16 fid)
{
  FmFile *f = g_new0 (FmFile, 1);

  f->kind = kind;
  f->fid = fid;
  if (kind == FM_DF)
    f->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_fmcos_file_free);
  if (kind == FM_KEYFILE)
    f->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_fmcos_key_free);
  return f;
}

void
cs_fmcos_file_free (FmFile *f)
{
  if (f == NULL)
    return;
  g_clear_pointer (&f->children, g_ptr_array_unref);
  g_clear_pointer (&f->keys, g_ptr_array_unref);
  if (f->data)
    cl_secure_wipe (f->data, f->data_len);
  g_free (f->data);
  g_free (f);
}

void
cs_fmcos_df_add (FmFile *df, FmFile *child)
{
  child->parent = df;
  g_ptr_array_add (df->children, child);
}

FmFile *
cs_fmcos_df_keyfile (FmFile *df)
{
  for (guint i = 0; i < df->children->len; i++)
    {
      FmFile *f = g_ptr_array_index (df->children, i);

      if (f->kind == FM_KEYFILE)
        return f;
    }
  return NULL;
}

FmFile *
cs_fmcos_df_child (FmFile *df, guint16 fid)
{
  for (guint i = 0; i < df->children->len; i++)
    {
      FmFile *f = g_ptr_array_index (df->children, i);

      if (f->fid == fid)
        return f;
    }
  return NULL;
}

/* Space accounting counts bodies only: an EF's data, a KEY file's or a
 * child DF's declared space. */
gsize
cs_fmcos_file_cost (FmFile *f)
{
  switch (f->kind)
    {
    case FM_DF:
    case FM_KEYFILE:
      return f->space;
    default:
      return f->data_len;
    }
}

gsize
cs_fmcos_df_used (FmFile *df)
{
  gsize used = 0;

  for (guint i = 0; i < df->children->len; i++)
    used += cs_fmcos_file_cost (g_ptr_array_index (df->children, i));
  return used;
}

/* A binary EF needs bytes, a record file records of at least one byte:
 * the record commands rely on both (CREATE FILE and the image loader). */
gboolean
cs_fmcos_ef_size_ok (FmKind kind, guint16 size)
{
  if (kind == FM_BINARY)
    return size != 0;
  return (size >> 8) != 0 && (size & 0xFF) != 0;
}

void
cs_fmcos_ef_alloc (FmFile *ef)
{
  if (ef->kind == FM_BINARY)
    ef->data_len = ef->size;
  else
    {
      ef->nrec = ef->size >> 8;
      ef->reclen = ef->size & 0xFF;
      ef->data_len = (gsize) ef->nrec * ef->reclen;
    }
  ef->data = g_malloc0 (ef->data_len);
}

static void
select_df (FmModel *m, FmFile *df)
{
  m->cur_df = df;
  m->cur_ef = NULL;
  df->state = 0;
}

/* ---- CREATE FILE ---- */

static guint16
parse_df_header (FmApdu *a, FmFile *df)
{
  const guint8 *d = a->data;

  /* 38 | space(2) | create | erase | app-file-id | FF FF | name(0-16) */
  if (a->lc < 8 || a->lc > 8 + FM_MAX_NAME)
    return FM_SW_WRONG_LENGTH;
  df->space = (d[1] << 8) | d[2];
  df->create_right = d[3];
  df->erase_right = d[4];
  df->app_id = d[5];
  df->name_len = a->lc - 8;
  memcpy (df->name, d + 8, df->name_len);
  return FM_SW_OK;
}

static guint16
create_mf (FmApdu *a)
{
  FmModel *m = a->m;
  FmFile tmp = { 0 };
  guint16 sw;

  /* The MF always exists; CREATE FILE 3F00 redefines its header, and only
   * while it is empty (right after ERASE DF). */
  if (m->cur_df != m->mf || m->mf->children->len > 0)
    return FM_SW_FILE_EXISTS;
  sw = parse_df_header (a, &tmp);
  if (sw != FM_SW_OK)
    return sw;
  m->mf->create_right = tmp.create_right;
  m->mf->erase_right = tmp.erase_right;
  m->mf->app_id = tmp.app_id;
  m->mf->name_len = tmp.name_len;
  memcpy (m->mf->name, tmp.name, tmp.name_len);
  m->cur_ef = NULL; /* the MF stays current, and its state with it */
  cs_card_mark_dirty (a->card);
  return FM_SW_OK;
}

static guint16
build_file (FmApdu *a, guint16 fid, FmFile **out)
{
  const guint8 *d = a->data;
  guint8 type = d[0];
  g_autoptr (GPtrArray) hold = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_fmcos_file_free);
  FmFile *f;
  guint16 sw;

  if (type == 0x38)
    {
      f = cs_fmcos_file_new (FM_DF, fid);
      g_ptr_array_add (hold, f);
      sw = parse_df_header (a, f);
      if (sw != FM_SW_OK)
        return sw;
    }
  else if (type == 0x3F)
    {
      /* 3F | space(2) | DF-SFI | add-key right | FF FF */
      if (a->lc != 7)
        return FM_SW_WRONG_LENGTH;
      f = cs_fmcos_file_new (FM_KEYFILE, fid);
      g_ptr_array_add (hold, f);
      f->space = (d[1] << 8) | d[2];
      f->app_id = d[3];
      f->add_right = d[4];
    }
  else
    {
      guint8 base = type & ~FM_PROT_MASK;
      FmKind kind;

      /* type|prot | size(2) | read | write | write flag | access */
      if (base == FM_EF_BINARY)
        kind = FM_BINARY;
      else if (base == FM_EF_FIXED)
        kind = FM_FIXED;
      else if (base == FM_EF_CYCLIC)
        kind = FM_CYCLIC;
      else
        return FM_SW_WRONG_DATA; /* 2C variable, 2F wallet: not modelled */
      if (a->lc != 7)
        return FM_SW_WRONG_LENGTH;
      f = cs_fmcos_file_new (kind, fid);
      g_ptr_array_add (hold, f);
      f->type_byte = type;
      f->size = (d[1] << 8) | d[2];
      f->read_right = d[3];
      f->write_right = d[4];
      f->write_flag = d[5];
      f->access = d[6];
      if (!cs_fmcos_ef_size_ok (kind, f->size) || !FM_WRITE_FLAG_OK (f->write_flag))
        return FM_SW_WRONG_DATA;
      cs_fmcos_ef_alloc (f);
    }
  *out = g_ptr_array_steal_index (hold, 0);
  return FM_SW_OK;
}

guint16
cs_fmcos_cmd_create (FmApdu *a)
{
  FmModel *m = a->m;
  FmFile *df = m->cur_df;
  guint16 fid = (a->p1 << 8) | a->p2;
  FmFile *f = NULL;
  guint16 sw;

  if (a->lc == 0)
    return FM_SW_WRONG_LENGTH;
  if (fid == FM_MF_FID && a->data[0] == 0x38)
    return create_mf (a);
  if (!cs_fmcos_right_ok (m, df->create_right))
    return FM_SW_SECURITY;
  if (fid == FM_MF_FID || fid == 0xFFFF)
    return FM_SW_WRONG_DATA;
  if (cs_fmcos_df_child (df, fid))
    return FM_SW_FILE_EXISTS;
  sw = build_file (a, fid, &f);
  if (sw != FM_SW_OK)
    return sw;
  if (f->kind == FM_KEYFILE && df->children->len > 0)
    {
      /* The KEY file comes first and there is one per DF. */
      sw = cs_fmcos_df_keyfile (df) ? FM_SW_FILE_EXISTS : FM_SW_CONDITIONS;
      cs_fmcos_file_free (f);
      return sw;
    }
  if (cs_fmcos_df_used (df) + cs_fmcos_file_cost (f) > df->space)
    {
      cs_fmcos_file_free (f);
      return FM_SW_NO_SPACE;
    }
  cs_fmcos_df_add (df, f);
  /* A new DF becomes the current DF, ready for its KEY file. */
  if (f->kind == FM_DF)
    select_df (m, f);
  cs_card_mark_dirty (a->card);
  return FM_SW_OK;
}

/* ---- SELECT ---- */

static FmFile *
find_by_name (FmFile *df, const guint8 *name, gsize len)
{
  if (df->name_len == len && memcmp (df->name, name, len) == 0)
    return df;
  for (guint i = 0; i < df->children->len; i++)
    {
      FmFile *f = g_ptr_array_index (df->children, i);
      FmFile *hit;

      if (f->kind != FM_DF)
        continue;
      hit = find_by_name (f, name, len);
      if (hit)
        return hit;
    }
  return NULL;
}

static void
put_fci (FmApdu *a, FmFile *df)
{
  guint8 *o = a->out;
  gsize n = 2;

  /* 6F L (84 name | 83 02 FID) A5 03 88 01 app-file-id */
  if (df->name_len > 0)
    {
      o[n++] = 0x84;
      o[n++] = df->name_len;
      memcpy (o + n, df->name, df->name_len);
      n += df->name_len;
    }
  else
    {
      o[n++] = 0x83;
      o[n++] = 0x02;
      o[n++] = df->fid >> 8;
      o[n++] = df->fid & 0xFF;
    }
  o[n++] = 0xA5;
  o[n++] = 0x03;
  o[n++] = 0x88;
  o[n++] = 0x01;
  o[n++] = df->app_id;
  o[0] = 0x6F;
  o[1] = n - 2;
  a->out_len = n;
  a->out_later = TRUE; /* case 4 under T=0: 61xx, then GET RESPONSE */
}

static FmFile *
find_by_fid (FmModel *m, guint16 fid)
{
  FmFile *df = m->cur_df;
  FmFile *f;

  if (fid == FM_MF_FID)
    return m->mf;
  f = cs_fmcos_df_child (df, fid);
  if (f)
    return f;
  if (df->parent)
    {
      if (df->parent->fid == fid)
        return df->parent;
      f = cs_fmcos_df_child (df->parent, fid);
      if (f && f->kind == FM_DF)
        return f;
    }
  return NULL;
}

guint16
cs_fmcos_cmd_select (FmApdu *a)
{
  FmModel *m = a->m;
  FmFile *f;

  if (a->p2 != 0x00 && a->p2 != 0x0C)
    return FM_SW_WRONG_P1P2;
  if (a->p1 == 0x00)
    {
      if (a->lc != 2)
        return FM_SW_WRONG_LENGTH;
      f = find_by_fid (m, (a->data[0] << 8) | a->data[1]);
    }
  else if (a->p1 == 0x04)
    {
      if (a->lc == 0 || a->lc > FM_MAX_NAME)
        return FM_SW_WRONG_LENGTH;
      f = find_by_name (m->mf, a->data, a->lc);
    }
  else
    return FM_SW_WRONG_P1P2;

  /* KEY files hold keys, which never leave the card: not selectable. */
  if (f == NULL || f->kind == FM_KEYFILE)
    return FM_SW_NOT_FOUND;
  if (f->kind != FM_DF)
    {
      m->cur_ef = f;
      return FM_SW_OK;
    }
  select_df (m, f);
  if (a->p2 == 0x00)
    put_fci (a, f);
  return FM_SW_OK;
}

/* ---- ERASE DF ---- */

guint16
cs_fmcos_cmd_erase (FmApdu *a)
{
  FmModel *m = a->m;
  FmFile *df = m->cur_df;

  if (a->p1 != 0 || a->p2 != 0)
    return FM_SW_WRONG_P1P2;
  if (a->lc != 0 || (a->has_p3 && a->p3 != 0))
    return FM_SW_WRONG_LENGTH;
  if (!cs_fmcos_right_ok (m, df->erase_right))
    return FM_SW_SECURITY;
  for (guint i = df->children->len; i > 0; i--)
    {
      FmFile *f = g_ptr_array_index (df->children, i - 1);

      if (f->kind == FM_KEYFILE && FM_ERASE_KEEPS_KEYFILE)
        continue;
      g_ptr_array_remove_index (df->children, i - 1);
    }
  m->cur_ef = NULL;
  /* The security state stays: it belongs to this session with the DF, and
   * the issuer goes on to create the new KEY file and add its keys under
   * the rights it sets (docs/card-formats.md, "ERASE DF"). */
  cs_card_mark_dirty (a->card);
  return FM_SW_OK;
}
