/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-import.c: the holder import file parser (wf_import_parse, docs/
 * import.md) on any bytes: encodings, RFC 4180, the header, the rows.
 * Invariants: rows and problems come in line order; every row's holder
 * holds its own fields in normal form (set again, each field is
 * unchanged) and is complete; no ID number twice; a row rejected moves
 * to the problems; the report is made. */
#include <string.h>

#include "cl-key.h"
#include "fuzz-util.h"
#include "wf-import.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fz_quiet_logs ();
  cl_secure_init ();
  return 0;
}

static void
check_row (const WfImportRow *r)
{
  WfIcardHolder again = r->holder;

  FZ_CHECK (r->line >= 2);
  for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
    {
      WfIcardHolder h = { 0 };
      const char *v = wf_icard_holder_get (&r->holder, f);

      FZ_CHECK (wf_icard_holder_set (&h, f, v, NULL) || (v[0] == '\0'));
      FZ_CHECK (strcmp (wf_icard_holder_get (&h, f), v) == 0);
    }
  FZ_CHECK (wf_icard_holder_complete (&again, NULL));
  FZ_CHECK (memcmp (&again, &r->holder, sizeof again) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (WfImport) imp = wf_import_parse ((const char *) data, size);
  g_autofree char *report = NULL;
  guint n_rows = wf_import_get_n_rows (imp), n_problems = wf_import_get_n_problems (imp);

  for (guint i = 0; i < n_rows; i++)
    {
      const WfImportRow *r = wf_import_get_row (imp, i);

      check_row (r);
      if (i > 0)
        FZ_CHECK (r->line > wf_import_get_row (imp, i - 1)->line);
      FZ_CHECK (wf_import_find_id (imp, r->holder.id_number) == r);
    }
  for (guint i = 1; i < n_problems; i++)
    FZ_CHECK (wf_import_get_problem (imp, i)->line >= wf_import_get_problem (imp, i - 1)->line);
  FZ_CHECK (wf_import_ok (imp) == (n_problems == 0 && n_rows > 0));
  if (n_rows > 0)
    {
      FZ_CHECK (wf_import_reject (imp, wf_import_get_row (imp, 0)->line, NULL, "rejected"));
      FZ_CHECK (wf_import_get_n_rows (imp) == n_rows - 1);
      FZ_CHECK (wf_import_get_n_problems (imp) == n_problems + 1);
    }
  report = wf_import_format_problems (imp);
  FZ_CHECK (report != NULL);
  return 0;
}
