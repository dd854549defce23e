/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-layout.c: the CPU cards of the system, as data (wf-layout.h).
 *
 * Rights: `F0` free; `FF` state F only, which only external authentication
 * with the card's own master key reaches (the MCC's MK, other cards'
 * CMK); `01`/`0F` MF state >= 1/F while the application DF is current;
 * `11`/`22`/`33` the KTC's three PIN states.  Why each value:
 * docs/card-formats.md, "The CPU cards as built". */
#include "config.h"

#include "wf-layout.h"

#define MF_NAME "1PAY.SYS.DDF01"
#define MF_SPACE 0x2000
#define ADF_SPACE 0x0600
#define KEY_FILE_SPACE 0x0200

/* Error counters: five tries. */
#define TRIES 0x55

/* -- MCC ---------------------------------------------------------------------------------- */

static const WfKeySpec mcc_keys[] = {
  { 0x39, WF_KID_MASTER, 0xF0, 0xFF, WF_STATE_MASTER, TRIES, WF_KEY_MK },
  { 0x3A, WF_KID_PIN, 0xF0, 0xEF, WF_STATE_PIN, TRIES, WF_KEY_PIN },
  { 0x30, WF_KID_MCC_ENCRYPT, 0xF1, 0xFF, 0x00, 0x00, WF_KEY_MK },
  { 0x31, WF_KID_MCC_DECRYPT, 0xF1, 0xFF, 0x00, 0x00, WF_KEY_MK },
  { 0x37, WF_KID_MASTER, 0xFF, 0xFF, 0xFF, TRIES, WF_KEY_MK },
};

static const WfFileSpec mcc_files[] = {
  { CL_INFO_EF_MCC, 0x28, CL_INFO_LEN, 0xF0, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_INFO },
};

static const WfDfSpec mcc_mf = {
  0x3F00,
  MF_NAME,
  MF_SPACE,
  0xFF,
  0xFF,
  KEY_FILE_SPACE,
  0xFF,
  mcc_keys,
  G_N_ELEMENTS (mcc_keys),
  mcc_files,
  G_N_ELEMENTS (mcc_files),
};

static const WfLayout mcc_layout = { CL_CARD_KIND_MCC, &mcc_mf, NULL };

/* -- KTC ------------------------------------------------------------------------------------ */

/* No PIN-unblock key (37): its value would be CMK(KTC), which the MCC
 * computes, so the MCC alone could reset a custodian's PIN and read their
 * code.  A forgotten PIN means a new KTC from the custodians' papers. */
static const WfKeySpec ktc_keys[] = {
  { 0x39, WF_KID_MASTER, 0xF0, 0xFF, WF_STATE_MASTER, TRIES, WF_KEY_CMK },
  { 0x3A, 0x01, 0xF0, 0xEF, 0x1, TRIES, WF_KEY_PIN1 },
  { 0x3A, 0x02, 0xF0, 0xEF, 0x2, TRIES, WF_KEY_PIN2 },
  { 0x3A, 0x03, 0xF0, 0xEF, 0x3, TRIES, WF_KEY_PIN3 },
  { 0x36, WF_KID_MASTER, 0xF0, 0xFF, 0xFF, TRIES, WF_KEY_CMK },
  { 0x34, WF_KID_MASTER, 0xF0, 0xFF, 0x00, 0x00, WF_KEY_CMK },
};

static const WfFileSpec ktc_files[] = {
  { CL_INFO_EF, 0x28, CL_INFO_LEN, 0xF0, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_INFO },
  { 0x0004, 0x28, 8, 0x11, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_CODE1 },
  { 0x0005, 0x28, 8, 0x22, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_CODE2 },
  { 0x0006, 0x28, 16, 0x33, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_SUBS },
  { 0x0001, 0xE8, 16, 0xFF, 0xFF, CL_FMCOS_WRITE_ONCE, 0x7F, WF_FILE_DKEY },
  { 0x0002, 0xE8, 16, 0xFF, 0xFF, CL_FMCOS_WRITE_ONCE, 0x7F, WF_FILE_PKEY },
};

static const WfDfSpec ktc_mf = {
  0x3F00,
  MF_NAME,
  MF_SPACE,
  0xFF,
  0xFF,
  KEY_FILE_SPACE,
  0xFF,
  ktc_keys,
  G_N_ELEMENTS (ktc_keys),
  ktc_files,
  G_N_ELEMENTS (ktc_files),
};

static const WfLayout ktc_layout = { CL_CARD_KIND_KTC, &ktc_mf, NULL };

/* -- AC and KC ------------------------------------------------------------------------------ */

static const WfKeySpec op_keys[] = {
  { 0x39, WF_KID_MASTER, 0xF0, 0xFF, WF_STATE_MASTER, TRIES, WF_KEY_CMK },
  { 0x3A, WF_KID_PIN, 0xF0, 0xEF, WF_STATE_PIN, TRIES, WF_KEY_PIN },
  { 0x34, WF_KID_MASTER, 0xF0, 0xFF, 0x00, 0x00, WF_KEY_CMK },
  { 0x37, WF_KID_MASTER, 0xFF, 0xFF, 0xFF, TRIES, WF_KEY_CMK },
};

static const WfFileSpec op_mf_files[] = {
  { CL_INFO_EF, 0x28, CL_INFO_LEN, 0xF0, 0xFF, CL_FMCOS_WRITE_ONCE, 0xFF, WF_FILE_INFO },
};

static const WfDfSpec op_mf = {
  0x3F00,
  MF_NAME,
  MF_SPACE,
  0xFF,
  0xFF,
  KEY_FILE_SPACE,
  0xFF,
  op_keys,
  G_N_ELEMENTS (op_keys),
  op_mf_files,
  G_N_ELEMENTS (op_mf_files),
};

/* The card keys: usable with the holder's PIN (MF state >= 1). */
static const WfKeySpec issuer_adf_keys[] = {
  { 0x30, WF_KID_PKEY, 0x01, 0x0F, 0x00, 0x00, WF_KEY_PKEY },
  { 0x30, WF_KID_DKEY, 0x01, 0x0F, 0x00, 0x00, WF_KEY_DKEY },
  { 0x30, WF_KID_AKEY, 0x01, 0x0F, 0x00, 0x00, WF_KEY_AKEY },
};

/* Auditors read logs and clear card data: the audit seal key only. */
static const WfKeySpec auditor_adf_keys[] = {
  { 0x30, WF_KID_AKEY, 0x01, 0x0F, 0x00, 0x00, WF_KEY_AKEY },
};

#define HOLDER_FILE                                                                                \
  {                                                                                                \
    0x0015, 0x28, WF_HOLDER_LEN, 0xF0, 0x0F, CL_FMCOS_WRITE_REPEAT, 0xFF, WF_FILE_HOLDER           \
  }
#define STATUS_FILE                                                                                \
  {                                                                                                \
    0x0016, 0x28, WF_STATUS_LEN, 0xF0, 0x0F, CL_FMCOS_WRITE_REPEAT, 0xFF, WF_FILE_STATUS           \
  }

static const WfFileSpec ac_adf_files[] = { HOLDER_FILE, STATUS_FILE };

static const WfFileSpec kc_adf_files[] = {
  HOLDER_FILE,
  STATUS_FILE,
  { 0x0017, 0x28, WF_IDENT_LEN, 0xF0, 0x0F, CL_FMCOS_WRITE_REPEAT, 0xFF, WF_FILE_IDENT },
  /* Appended at every issuance, under the holder's PIN. */
  { 0x0018, 0x2E, (WF_TRAIL_RECORDS << 8) | WF_TRAIL_RECORD_LEN, 0xF0, 0x01, CL_FMCOS_WRITE_REPEAT,
    0xFF, WF_FILE_TRAIL },
};

#define ADF(keys, files)                                                                           \
  {                                                                                                \
    WF_ADF_FID, WF_ADF_NAME, ADF_SPACE, 0x0F, 0x0F, KEY_FILE_SPACE, 0x0F, keys,                    \
        G_N_ELEMENTS (keys), files, G_N_ELEMENTS (files)                                           \
  }

static const WfDfSpec ac_adf = ADF (issuer_adf_keys, ac_adf_files);
static const WfDfSpec auditor_adf = ADF (auditor_adf_keys, ac_adf_files);
static const WfDfSpec kc_adf = ADF (issuer_adf_keys, kc_adf_files);

static const WfLayout ac_layout = { CL_CARD_KIND_AC, &op_mf, &ac_adf };
static const WfLayout auditor_layout = { CL_CARD_KIND_AC, &op_mf, &auditor_adf };
static const WfLayout kc_layout = { CL_CARD_KIND_KC, &op_mf, &kc_adf };

const WfLayout *
wf_layout_get (ClCardKind kind, ClCardRole role)
{
  switch (kind)
    {
    case CL_CARD_KIND_MCC:
      return &mcc_layout;
    case CL_CARD_KIND_KTC:
      return &ktc_layout;
    case CL_CARD_KIND_AC:
      return role == CL_ROLE_AUDITOR ? &auditor_layout : &ac_layout;
    case CL_CARD_KIND_KC:
      return &kc_layout;
    default:
      return NULL;
    }
}

const WfKeySpec *
wf_layout_find_key (const WfDfSpec *df, guint8 type, guint8 id)
{
  for (guint i = 0; i < df->n_keys; i++)
    if (df->keys[i].type == type && df->keys[i].id == id)
      return &df->keys[i];
  return NULL;
}

const WfFileSpec *
wf_layout_find_file (const WfLayout *layout, WfFileContent content, const WfDfSpec **df)
{
  const WfDfSpec *dfs[2] = { layout->mf, layout->adf };

  for (guint d = 0; d < G_N_ELEMENTS (dfs); d++)
    for (guint i = 0; dfs[d] != NULL && i < dfs[d]->n_files; i++)
      if (dfs[d]->files[i].content == content)
        {
          if (df != NULL)
            *df = dfs[d];
          return &dfs[d]->files[i];
        }
  return NULL;
}
