/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-layout.h: what each CPU card of the system holds, as data: its DFs,
 * keys (with their rights and where their values come from) and files
 * (with their rights and contents).  Declared once here and used alike by
 * the ceremonies that make the cards, the checks that examine them and the
 * tests, as OpenSC keeps its card profiles apart from its drivers.  The
 * layouts are documented in docs/card-formats.md, "The CPU cards as built". */
#pragma once

#include <glib.h>

#include "cl-fmcos.h"
#include "cl-kind.h"

G_BEGIN_DECLS

/* Where a key's value comes from when the card is made. */
typedef enum {
  WF_KEY_MK, /* the master control key */
  WF_KEY_CMK, /* the card's own master key, DIV(MK, serial) */
  WF_KEY_PIN, /* the holder's PIN (MCC, AC, KC) */
  WF_KEY_PIN1, /* KTC: leader I */
  WF_KEY_PIN2, /* KTC: leader II */
  WF_KEY_PIN3, /* KTC: the system administrator */
  WF_KEY_PKEY,
  WF_KEY_DKEY,
  WF_KEY_AKEY, /* the audit seal key, DIV(Dkey, "AUDITLOG") */
  WF_N_KEY_SOURCES
} WfKeySource;

/* What an EF holds. */
typedef enum {
  WF_FILE_INFO, /* the free-read info file (cl-kind.h) */
  WF_FILE_CODE1, /* KTC 0004: leader I's code, 8 BCD bytes */
  WF_FILE_CODE2, /* KTC 0005 */
  WF_FILE_SUBS, /* KTC 0006: PSUB ‖ DSUB */
  WF_FILE_DKEY, /* KTC 0001, line-encrypted */
  WF_FILE_PKEY, /* KTC 0002, line-encrypted */
  WF_FILE_HOLDER, /* AC/KC 0015 */
  WF_FILE_STATUS, /* AC/KC 0016 */
  WF_FILE_IDENT, /* KC 0017: workstation, office, quota */
  WF_FILE_TRAIL, /* KC 0018: cyclic, the serials of the last insurance cards issued */
} WfFileContent;

typedef struct {
  guint8 type; /* FMCOS key type: 30 DES-encrypt, 34 internal, 36 line, 37 unblock, 39 ext-auth, 3A
                  PIN */
  guint8 id;
  guint8 use; /* right to use */
  guint8 change; /* right to change */
  guint8 b3; /* follow-up state (39, 3A), else FF or version */
  guint8 b4; /* error counter max << 4 | left (36–3A), else algorithm */
  WfKeySource source;
} WfKeySpec;

typedef struct {
  guint16 fid;
  guint8 type; /* 28 binary, 2E cyclic; | 80 MAC, | C0 MAC + line encryption */
  guint16 size; /* bytes, or records << 8 | record length */
  guint8 read, write;
  ClFmcosWriteFlag flag;
  guint8 access; /* FF plain, 7F: line key 00 */
  WfFileContent content;
} WfFileSpec;

typedef struct {
  guint16 fid; /* 3F00 for the MF */
  const char *name; /* DF name (AID) */
  guint16 space;
  guint8 create, erase; /* rights */
  guint16 key_file_space;
  guint8 add_key; /* right to add keys */
  const WfKeySpec *keys;
  guint n_keys;
  const WfFileSpec *files;
  guint n_files;
} WfDfSpec;

typedef struct {
  ClCardKind kind;
  const WfDfSpec *mf;
  const WfDfSpec *adf; /* NULL: the card has no application DF */
} WfLayout;

#define WF_ADF_NAME "INSUCARD"
#define WF_ADF_FID 0x1001

/* Sizes of the operator cards' files (codecs: wf-opcard-data.h). */
#define WF_HOLDER_LEN 64
#define WF_STATUS_LEN 16
#define WF_IDENT_LEN 32
#define WF_TRAIL_RECORDS 32
#define WF_TRAIL_RECORD_LEN 8

/* Key ids the tasks use. */
#define WF_KID_MASTER 0x00 /* 39: ext-auth; 37: PIN unblock; 34: internal auth; 36: line */
#define WF_KID_PIN 0x00 /* 3A: the holder's (or MCC's) PIN */
#define WF_KID_MCC_ENCRYPT 0x01 /* MCC 30: DES-encrypt with MK */
#define WF_KID_MCC_DECRYPT 0x02 /* MCC 31 */
#define WF_KID_PKEY 0x01 /* ADF 30 */
#define WF_KID_DKEY 0x02 /* ADF 30 */
#define WF_KID_AKEY 0x03 /* ADF 30 */

/* The system's security states (a right XY allows states Y..X). */
#define WF_STATE_PIN 0x1 /* after the holder's PIN (KTC: PIN1) */
#define WF_STATE_MASTER 0xF /* after external authentication with the card's master key */

/* The layout of a card kind; for an AC, auditors' cards carry no Pkey and
 * Dkey.  NULL for kinds that are not CPU cards of the system. */
const WfLayout *wf_layout_get (ClCardKind kind, ClCardRole role);

/* The key of a DF with the given type and id, or NULL. */
const WfKeySpec *wf_layout_find_key (const WfDfSpec *df, guint8 type, guint8 id);
/* The file with that content, and the DF it is in; NULL if none. */
const WfFileSpec *wf_layout_find_file (const WfLayout *layout, WfFileContent content,
                                       const WfDfSpec **df);

G_END_DECLS
