/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-db.c: insucard-cli db info / db backup.  docs/cli.md is the contract. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cli-db-common.h"
#include "cli.h"
#include "db-info.h"

static void
print_info (const DbInfo *info)
{
  const DbAuditState *a = &info->audit;

  printf (_ ("Database:          %s\n"), info->path);
  printf (_ ("Schema version:    %d (this insucard writes %d)\n"), info->schema_version,
          DB_SCHEMA_VERSION);
  printf (_ ("Mode:              %s\n"),
          info->mode == DB_MODE_ANY ? _ ("not recorded") : db_mode_to_string (info->mode));
  printf (_ ("Created:           %s\n"), info->created_at);
  printf (_ ("Cardholders:       %lld\n"), (long long) info->holders);
  printf (_ ("Insurance cards:   %lld (%lld issued, %lld half-issued)\n"), (long long) info->cards,
          (long long) info->cards_issued, (long long) info->issuances_open);
  printf (_ ("Blacklisted cards: %lld\n"), (long long) info->blacklist);
  printf (_ ("CPU cards:         %lld\n"), (long long) info->cpu_cards);
  printf (_ ("Imported batches:  %lld\n"), (long long) info->batches);
  printf (_ ("Audit rows:        %lld (last row %lld)\n"), (long long) a->rows,
          (long long) a->last_seq);
  if (a->last_seal_id == 0)
    printf (_ ("Last seal:         none\n"));
  else
    printf (_ ("Last seal:         seal %lld covers rows 1 to %lld (%s, by %s); %lld rows not yet "
               "sealed\n"),
            (long long) a->last_seal_id, (long long) a->last_seal_seq, a->last_seal_at,
            a->last_seal_sealer, (long long) a->unsealed);
}

int
cli_db_info (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  DbInfo info;
  int status = CLI_EXIT_USAGE;

  context = cli_db_context (NULL,
                            _ ("Shows the database's path, schema version, mode, counts and "
                               "last seal. Compare the sealed row count with earlier reports: a "
                               "log cut after its last seal shows only there."),
                            &db_options);
  if (!cli_parse (context, "db info", 0, &argc, &argv))
    goto out;
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "db info", DB_OPEN_READ_ONLY);
  if (db == NULL)
    goto out;
  if (!db_info_get (db, &info, &error))
    {
      cli_fail ("db info", error);
      goto out;
    }
  print_info (&info);
  db_info_clear (&info);
  status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_db_options_clear (&db_options);
  return status;
}

int
cli_db_backup (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *detail = NULL;
  int status = CLI_EXIT_USAGE;

  context = cli_db_context (_ ("FILE"),
                            _ ("Copies the database into the new file FILE while insucard may "
                               "keep working (an online backup). FILE must not exist."),
                            &db_options);
  if (!cli_parse (context, "db backup", 1, &argc, &argv))
    goto out;
  if (argc != 2)
    {
      fprintf (stderr, _ ("insucard-cli db backup: give exactly one FILE to write. Run "
                          "“insucard-cli db backup --help”.\n"));
      goto out;
    }
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "db backup", DB_OPEN_DEFAULT | CLI_OPEN_OR_READ_ONLY);
  if (db == NULL)
    goto out;
  if (!db_database_backup (db, argv[1], &error))
    {
      cli_fail ("db backup", error);
      goto out;
    }
  detail = g_strdup_printf ("to %s", argv[1]);
  cli_log_action (db, "db backup", DB_ACTION_DB_BACKUP, DB_OUTCOME_OK, detail);
  printf (_ ("Backed up %s to %s.\n"), db_database_get_path (db), argv[1]);
  if (cli_print_sealed_length (stdout, db, "db backup"))
    status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_db_options_clear (&db_options);
  return status;
}
