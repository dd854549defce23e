/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-opcard.c: insucard-cli card create (administrator and key cards, in
 * batches) and cards list (the CPU-card registry). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"

typedef struct {
  char *kind;
  char *role;
  char *name;
  char *staff_number;
  char *office;
  char *valid_from;
  char *valid_until;
  char *bind_workstation;
  gint64 quota;
  int count;
} CreateOptions;

static void
create_options_clear (CreateOptions *o)
{
  g_free (o->kind);
  g_free (o->role);
  g_free (o->name);
  g_free (o->staff_number);
  g_free (o->office);
  g_free (o->valid_from);
  g_free (o->valid_until);
  g_free (o->bind_workstation);
}

static gboolean
usage_error (const char *message)
{
  fprintf (stderr, _ ("insucard-cli card create: %s Run “insucard-cli card create --help”.\n"),
           message);
  return FALSE;
}

/* YYYY-MM-DD as typed, YYYYMMDD as the card stores it (checked later). */
static char *
compact_date (const char *date)
{
  g_autoptr (GString) digits = g_string_new (NULL);

  if (date == NULL)
    return NULL;
  for (const char *p = date; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (digits, *p);
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* The holder and, for key cards, the binding, from the options. */
static gboolean
build_holder (const CreateOptions *o, WfOpHolder *holder, WfOpIdent *ident, gboolean *is_key)
{
  if (g_strcmp0 (o->kind, "admin") != 0 && g_strcmp0 (o->kind, "key") != 0)
    return usage_error (_ ("--kind must be admin (an administrator card) or key (a key card)."));
  *is_key = strcmp (o->kind, "key") == 0;
  if (o->name == NULL || o->staff_number == NULL || o->office == NULL)
    return usage_error (_ ("--holder-name, --staff-no and --office are needed."));
  if (o->count < 1 || o->count > 100)
    return usage_error (_ ("--count takes 1 to 100 cards."));
  holder->role = CL_ROLE_NONE;
  if (!*is_key && (o->role == NULL || !wf_role_from_string (o->role, &holder->role)))
    return usage_error (_ ("An administrator card needs --role system-admin, issuing-admin or "
                           "auditor."));
  if (*is_key && o->role != NULL)
    return usage_error (_ ("A key card has no --role: it issues cards at one workstation."));
  if (!*is_key && (o->bind_workstation != NULL || o->quota >= 0))
    return usage_error (_ ("--workstation and --quota are for key cards only."));
  if (*is_key && o->bind_workstation == NULL)
    return usage_error (_ ("A key card needs --workstation: the desk it will work at."));
  holder->name = g_strdup (o->name);
  holder->staff_number = g_strdup (o->staff_number);
  holder->office = g_strdup (o->office);
  holder->valid_from = compact_date (o->valid_from);
  holder->valid_until = compact_date (o->valid_until);
  if (*is_key)
    {
      ident->workstation = g_strdup (o->bind_workstation);
      ident->office = g_strdup (o->office);
      ident->quota = o->quota >= 0 ? o->quota : WF_QUOTA_NONE;
    }
  return TRUE;
}

static void
print_card (const WfCardMade *made)
{
  fprintf (stderr, _ ("Ready: %s %s for %s.\n"), cl_card_kind_describe (made->kind), made->serial,
           made->holder_name);
  printf ("kind=%s\tserial=%s\tholder=%s\tkcv-pkey=%s\tkcv-dkey=%s\tkcv-akey=%s\n",
          cl_card_kind_to_string (made->kind), made->serial, made->holder_name, made->kcv1,
          made->kcv2, made->kcv3);
}

int
cli_card_create (int argc, char **argv)
{
  CreateOptions o = { .quota = -1, .count = 1 };
  CliDeskOptions desk_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (WfDesk) desk = NULL;
  g_autoptr (CliInteraction) interaction = NULL;
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (WfOpHolder) holder = { 0 };
  g_auto (WfOpIdent) ident = { 0 };
  gboolean is_key = FALSE;
  CliRun run = { 0 };
  int status = CLI_EXIT_USAGE;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind,
      N_ ("admin: an administrator card; key: a workstation key card"), N_ ("KIND") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role,
      N_ ("An administrator card's role: system-admin, issuing-admin or auditor"), N_ ("ROLE") },
    { "holder-name", 0, 0, G_OPTION_ARG_STRING, &o.name,
      N_ ("The holder's name (at most 30 bytes)"), N_ ("NAME") },
    { "staff-no", 0, 0, G_OPTION_ARG_STRING, &o.staff_number,
      N_ ("The holder's staff number (at most 16 characters)"), N_ ("NUMBER") },
    { "office", 0, 0, G_OPTION_ARG_STRING, &o.office, N_ ("The office's 6-digit code"),
      N_ ("CODE") },
    { "valid-from", 0, 0, G_OPTION_ARG_STRING, &o.valid_from,
      N_ ("First day the card works (YYYY-MM-DD)"), N_ ("DATE") },
    { "valid-until", 0, 0, G_OPTION_ARG_STRING, &o.valid_until,
      N_ ("Last day the card works (YYYY-MM-DD)"), N_ ("DATE") },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &o.bind_workstation,
      N_ ("The workstation a key card works at (this desk's own name comes from "
          "$INSUCARD_WORKSTATION or the host name)"),
      N_ ("ID") },
    { "quota", 0, 0, G_OPTION_ARG_INT64, &o.quota,
      N_ ("How many insurance cards a key card may issue (default: no limit)"), N_ ("N") },
    { "count", 0, 0, G_OPTION_ARG_INT, &o.count,
      N_ ("How many cards to make for this holder, one blank after the other (default 1)"),
      N_ ("N") },
    { NULL },
  };

  context = cli_desk_context_full (
      NULL,
      _ ("Makes administrator cards or workstation key cards: the MCC in R1 and the KTC in R2 "
         "first, then each blank CPU card in turn in R2, its holder setting a PIN twice. "
         "Secrets: mcc-pin, holder-pin (once per card)."),
      &desk_options, CLI_DESK_NO_WORKSTATION);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse (context, "card create", 0, &argc, &argv))
    goto out;
  desk = cli_desk_open (&desk_options, "card create", &interaction, &status);
  if (desk == NULL)
    goto out;
  status = CLI_EXIT_USAGE;
  if (!build_holder (&o, &holder, &ident, &is_key))
    goto out;

  cli_run_init (&run);
  wf_opcard_create_async (desk, WF_INTERACTION (interaction), &holder, is_key ? &ident : NULL,
                          (guint) o.count, run.cancellable, cli_run_done, &run);
  made = wf_opcard_create_finish (desk, cli_run_wait (&run), &error);
  for (guint i = 0; i < made->len; i++)
    print_card (made->pdata[i]);
  if (error != NULL && made->len > 0)
    fprintf (stderr, _ ("insucard-cli card create: %u of %d cards were made; the batch stopped.\n"),
             made->len, o.count);
  status = error != NULL ? cli_report_error ("card create", error)
                         : (fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE);
  cli_run_clear (&run);

out:
  create_options_clear (&o);
  cli_desk_options_clear (&desk_options);
  return status;
}

/* -- cards list -------------------------------------------------------------------------------- */

static const char *
or_dash (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : "-";
}

int
cli_cards_list (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GError) error = NULL;
  int status = CLI_EXIT_USAGE;

  context = cli_db_context (NULL,
                            _ ("Lists the CPU cards this desk made: kind, holder, role, status and "
                               "the check values of their keys (never a key). Tab-separated, "
                               "one card per line, after a header line."),
                            &db_options);
  if (!cli_parse (context, "cards list", 0, &argc, &argv))
    goto out;
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "cards list", DB_OPEN_READ_ONLY);
  if (db == NULL)
    goto out;
  cards = db_cpu_cards_list (db, &error);
  if (cards == NULL)
    {
      cli_fail ("cards list", error);
      goto out;
    }
  printf ("serial\tkind\tstatus\trole\tholder\tstaff\toffice\tworkstation\tquota\tissued\t"
          "kcv-mk\tkcv-pkey\tkcv-dkey\tkcv-akey\tmade-at\n");
  for (guint i = 0; i < cards->len; i++)
    {
      const DbCpuCard *c = cards->pdata[i];
      g_autofree char *quota =
          c->quota >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, c->quota) : g_strdup ("-");

      printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n",
              c->serial, db_cpu_kind_to_string (c->kind), db_cpu_status_to_string (c->status),
              or_dash (c->role), or_dash (c->holder_name), or_dash (c->staff_number),
              or_dash (c->office_code), or_dash (c->workstation), quota, c->issued_count,
              or_dash (c->kcv_mk), or_dash (c->kcv_pkey), or_dash (c->kcv_dkey),
              or_dash (c->kcv_akey), or_dash (c->made_at));
    }
  status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_db_options_clear (&db_options);
  return status;
}
