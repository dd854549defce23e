/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos-private.h: the FMCOS-2.0-style CPU card model, shared between
 * its files (cs-fmcos.c: dispatch and ops; cs-fmcos-fs.c: file tree,
 * CREATE, SELECT, ERASE; cs-fmcos-ef.c: EF commands;
 * cs-fmcos-sec.c: keys, rights, authentication, secure messaging;
 * cs-fmcos-image.c: card image and describe).
 *
 * Every choice the public sources leave open is documented in
 * docs/card-formats.md, "FMCOS simulator"; the constants below are
 * the one place each choice lives in the code.
 */
#pragma once

#include "cs-card-private.h"
#include "cl-crypto.h"

G_BEGIN_DECLS

/* ---- status words ---- */
#define FM_SW_OK 0x9000
#define FM_SW_WRITE_FAILED 0x6581 /* torn write */
#define FM_SW_WRONG_LENGTH 0x6700
#define FM_SW_WRONG_FILE_TYPE 0x6981
#define FM_SW_SECURITY 0x6982
#define FM_SW_BLOCKED 0x6983
#define FM_SW_CONDITIONS 0x6985
#define FM_SW_NO_CURRENT_EF 0x6986
#define FM_SW_WRONG_DATA 0x6A80
#define FM_SW_NOT_FOUND 0x6A82
#define FM_SW_RECORD_NOT_FOUND 0x6A83
#define FM_SW_NO_SPACE 0x6A84
#define FM_SW_WRONG_P1P2 0x6A86
#define FM_SW_KEY_NOT_FOUND 0x6A88
#define FM_SW_FILE_EXISTS 0x6A89
#define FM_SW_WRONG_OFFSET 0x6B00
#define FM_SW_WRONG_INS 0x6D00
#define FM_SW_WRONG_CLA 0x6E00
#define FM_SW_NO_RESPONSE 0x6F00 /* no precise diagnosis (a model bug) */
#define FM_SW_MAC 0x9302
#define FM_SW_TRIES(n) (0x63C0 | ((n) &0x0F))
#define FM_SW_MORE(n) (0x6100 | ((n) &0xFF))
#define FM_SW_EXACT_LE(n) (0x6C00 | ((n) &0xFF))

/* ---- the model's choices (docs/card-formats.md) ---- */
#define FM_MF_FID 0x3F00
#define FM_MF_SPACE 0x2000 /* 8 KiB EEPROM, like an FM1208 */
#define FM_MF_NAME "1PAY.SYS.DDF01" /* FMCOS's default MF name */
#define FM_FACTORY_RIGHT 0xFF /* MF create/erase, KEY add: state F only */
#define FM_FACTORY_KEYFILE_FID 0x0000
#define FM_FACTORY_KEYFILE_SPACE 0x0100
#define FM_TRANSPORT_KEY_BYTE 0xFF /* transport key = 16 x FF */
#define FM_TRANSPORT_FOLLOWUP 0x0F /* ext-auth with it -> state F */
#define FM_TRANSPORT_ERRCNT 0xFF /* 15 tries */
#define FM_KEY_RECORD_OVERHEAD 8 /* bytes a key costs beyond its value */
/* ERASE DF removes every file of the DF, its KEY file included: the DF
 * keeps no keys, and rights are not enforced until a new KEY file exists. */
#define FM_ERASE_KEEPS_KEYFILE FALSE
/* Line encryption always appends 80 00.., even when LD||data is aligned. */
#define FM_LINE_PAD CL_PAD_METHOD_2
/* Plaintext limit of a line-encrypted read, so the cipher fits in 256. */
#define FM_LINE_MAX_PLAIN 239
#define FM_MAX_NAME 16
#define FM_MAX_KEY 16
#define FM_MAX_PIN 8
#define FM_MIN_PIN 2
/* The most a short R-APDU carries (61 00 / Le 00 = 256): every answer,
 * direct or pending for GET RESPONSE, is capped here. */
#define FM_RESP_MAX 256

/* Key types (the low six bits of the type byte; the top two bits 11 mean
 * "only by WRITE KEY in cipher+MAC form"). */
enum {
  FM_KT_DES_ENC = 0x30,
  FM_KT_DES_DEC = 0x31,
  FM_KT_DES_MAC = 0x32,
  FM_KT_INTERNAL = 0x34,
  FM_KT_LINE = 0x36,
  FM_KT_UNBLOCK = 0x37,
  FM_KT_RELOAD = 0x38,
  FM_KT_EXTERNAL = 0x39,
  FM_KT_PIN = 0x3A,
};
#define FM_KT_BASE(t) ((t) &0x3F)
#define FM_KT_CIPHER_ONLY(t) (((t) &0xC0) == 0xC0)

/* EF type bytes (low bits) and the protection mask (top bits). */
enum {
  FM_EF_BINARY = 0x28,
  FM_EF_FIXED = 0x2A,
  FM_EF_CYCLIC = 0x2E,
};
#define FM_PROT_MASK 0xC0
#define FM_PROT_MAC 0x80
#define FM_PROT_ENC 0xC0
#define FM_ACCESS_PLAIN 0x80 /* access byte bit 7: plain reads allowed */
/* EF write flag, CREATE FILE data byte 5 (the mobile citizen card's
 * "写标志位"): 00 may be updated repeatedly, 01 only once; FF (what older
 * hosts send there) counts as 00.  docs/card-formats.md. */
#define FM_WRITE_REPEAT 0x00
#define FM_WRITE_ONCE 0x01
#define FM_WRITE_FLAG_OLD 0xFF
#define FM_WRITE_FLAG_OK(f)                                                                        \
  ((f) == FM_WRITE_REPEAT || (f) == FM_WRITE_ONCE || (f) == FM_WRITE_FLAG_OLD)
/* Line-protection key id from the access byte: bits 1-0, 11 = key 00 ..
 * 00 = key 03 (the sources disagree on the bit positions; our choice, docs/card-formats.md). */
#define FM_ACCESS_KEY_ID(a) ((~(a)) & 0x03)

typedef enum {
  FM_DF,
  FM_KEYFILE,
  FM_BINARY,
  FM_FIXED,
  FM_CYCLIC,
} FmKind;

typedef struct {
  guint8 type; /* as written, top bits included */
  guint8 id;
  guint8 use; /* usage right XY */
  guint8 change; /* change right XY */
  guint8 b3; /* follow-up state (39, 3A), version (30..34, 3C..3F), FF (36..38) */
  guint8 b4; /* error counter max<<4|remaining (36..3A), algorithm (others) */
  guint8 len;
  guint8 value[FM_MAX_KEY];
} FmKey;

typedef struct _FmFile FmFile;
struct _FmFile {
  FmKind kind;
  guint16 fid;
  FmFile *parent;
  /* DF */
  GPtrArray *children; /* FmFile*, owned, creation order */
  guint16 space; /* DF: bytes for its files; KEY file: bytes for keys */
  guint8 create_right;
  guint8 erase_right;
  guint8 app_id;
  guint8 name[FM_MAX_NAME];
  guint8 name_len;
  guint8 state; /* volatile security state */
  /* KEY file */
  guint8 add_right;
  GPtrArray *keys; /* FmKey*, owned */
  /* EF */
  guint8 type_byte; /* 28/2A/2E | prot */
  guint8 read_right;
  guint8 write_right;
  guint8 access;
  guint16 size; /* binary: bytes; records: nrec<<8 | reclen */
  guint8 nrec, reclen;
  guint8 used; /* records present */
  guint8 head; /* cyclic: slot of record 1 (the newest) */
  guint8 *data;
  gsize data_len;
  guint8 write_flag; /* FM_WRITE_*, as created */
  gboolean written; /* write-once EF: its one update has happened */
};

typedef struct {
  FmFile *mf;
  /* volatile */
  FmFile *cur_df;
  FmFile *cur_ef;
  guint8 chal[8];
  guint8 chal_len;
  gboolean chal_next; /* a challenge was issued by the previous command */
  guint8 resp[FM_RESP_MAX];
  gsize resp_len;
} FmModel;

/* One parsed C-APDU and its answer in the making. */
typedef struct {
  CsCard *card;
  FmModel *m;
  guint8 cla, ins, p1, p2;
  gboolean has_p3;
  guint8 p3;
  const guint8 *data; /* Lc bytes, or NULL */
  gsize lc;
  gboolean has_le; /* P3 as Le (case 2) or a trailing Le byte (case 4) */
  guint le; /* 1..256 */
  gboolean chal_ok; /* the challenge may be used by this command */
  guint8 out[FM_RESP_MAX];
  gsize out_len;
  gboolean out_later; /* answer 61xx, data via GET RESPONSE */
} FmApdu;

/* cs-fmcos.c */
FmModel *cs_fmcos_model (CsCard *card);
void cs_fmcos_reset_volatile (FmModel *m);
FmModel *cs_fmcos_model_new_blank (void);
void cs_fmcos_model_free (FmModel *m);

/* cs-fmcos-fs.c */
FmFile *cs_fmcos_file_new (FmKind kind, guint16 fid);
void cs_fmcos_file_free (FmFile *f);
void cs_fmcos_df_add (FmFile *df, FmFile *child);
FmFile *cs_fmcos_df_keyfile (FmFile *df);
FmFile *cs_fmcos_df_child (FmFile *df, guint16 fid);
gsize cs_fmcos_df_used (FmFile *df);
gsize cs_fmcos_file_cost (FmFile *f);
gboolean cs_fmcos_ef_size_ok (FmKind kind, guint16 size);
void cs_fmcos_ef_alloc (FmFile *ef);
guint16 cs_fmcos_cmd_create (FmApdu *a);
guint16 cs_fmcos_cmd_select (FmApdu *a);
guint16 cs_fmcos_cmd_erase (FmApdu *a);

/* cs-fmcos-ef.c */
guint16 cs_fmcos_cmd_read_binary (FmApdu *a);
guint16 cs_fmcos_cmd_update_binary (FmApdu *a);
guint16 cs_fmcos_cmd_read_record (FmApdu *a);
guint16 cs_fmcos_cmd_write_record (FmApdu *a);

/* cs-fmcos-sec.c */
gboolean cs_fmcos_right_ok (FmModel *m, guint8 right);
FmKey *cs_fmcos_find_key (FmFile *df, guint8 base_type, guint8 id);
void cs_fmcos_key_free (FmKey *k);
guint8 cs_fmcos_key_tries (const FmKey *k);
gboolean cs_fmcos_key_has_counter (guint8 base_type);
guint16 cs_fmcos_check_mac (FmApdu *a, const guint8 *key, gsize key_len);
guint16 cs_fmcos_line_decrypt (const guint8 *key, gsize key_len, const guint8 *in, gsize len,
                               guint8 *out, gsize *out_len);
gboolean cs_fmcos_line_encrypt (const guint8 *key, gsize key_len, const guint8 *in, gsize len,
                                guint8 *out, gsize *out_len);
guint16 cs_fmcos_cmd_get_challenge (FmApdu *a);
guint16 cs_fmcos_cmd_external_auth (FmApdu *a);
guint16 cs_fmcos_cmd_internal_auth (FmApdu *a);
guint16 cs_fmcos_cmd_verify (FmApdu *a);
guint16 cs_fmcos_cmd_unblock (FmApdu *a);
guint16 cs_fmcos_cmd_change_reload (FmApdu *a);
guint16 cs_fmcos_cmd_write_key (FmApdu *a);

/* cs-fmcos-image.c */
void cs_fmcos_save (CsCard *card, GKeyFile *image);
gboolean cs_fmcos_load_image (FmModel *m, GKeyFile *image, GError **error);
char *cs_fmcos_describe (CsCard *card);
char *cs_fmcos_path (FmFile *f); /* "3F00/DF01/0015" */

G_END_DECLS
