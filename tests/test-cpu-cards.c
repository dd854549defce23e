/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cpu-cards.c: the CPU-card registry for the system administrator
 * (wf-cpu-cards.h: the list only for a system administrator, the filter,
 * a card's history), what the card in R2 is (wf_cpu_card_identify), and a
 * batch of operator cards each for its own holder, told card by card
 * (wf_opcard_create_each_async). */
#include "config.h"

#include "cl-crypto.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"
#include "wf-cpu-cards.h"
#include "wf-error.h"
#include "wf-session.h"
#include "wf-system-util.h"
#include "wf-test-util.h"

static WfSession *
login_with (WfFixture *f, const char *path, GError **error)
{
  tu_wf_plan (f, "operator-card", path);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  return wf_login (f->desk, WF_INTERACTION (f->ia), NULL, error);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef struct {
  GPtrArray *names; /* holder names, in the order told */
  GAsyncResult *result; /* set when the task's callback ran */
  gboolean told_after_result;
  GCancellable *cancel; /* cancelled when the first card is told: the person presses Cancel */
} Told;

static void
card_told (const WfCardMade *made, gpointer data)
{
  Told *t = data;

  if (t->result != NULL)
    t->told_after_result = TRUE;
  g_ptr_array_add (t->names, g_strdup (made->holder_name));
  if (t->cancel != NULL)
    g_cancellable_cancel (t->cancel);
}

static void
told_result (GObject *source, GAsyncResult *result, gpointer data)
{
  ((Told *) data)->result = g_object_ref (result);
}

/* A system administrator's card besides make_system()'s cards. */
static const char *
make_sysadmin (WfFixture *f, const System *sys)
{
  const char *path = make_admin_card (f, sys, CL_ROLE_SYSTEM_ADMIN, "赵六", "S-0001", "510400");

  tu_wf_empty (f, 1);
  return path;
}

static guint
count_matching (GPtrArray *cards, const WfCpuCardFilter *filter)
{
  guint n = 0;

  for (guint i = 0; i < cards->len; i++)
    n += wf_cpu_card_filter_match (filter, cards->pdata[i]);
  return n;
}

/* The list only for a system administrator; the filter narrows it by each
 * field; the history names the card only. */
static void
test_registry (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  const char *sysadmin;
  System sys;

  make_system (f, &sys);
  sysadmin = make_sysadmin (f, &sys);

  g_assert_null (wf_cpu_cards_list (f->desk, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);

  session = login_with (f, sys.ac, &error);
  g_assert_no_error (error);
  g_assert_null (wf_cpu_cards_list (f->desk, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_clear_error (&error);
  g_assert_null (wf_cpu_card_history (f->desk, serial_of (f, sys.ac), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_clear_error (&error);
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_clear_object (&session);
  tu_wf_empty (f, 0);

  session = login_with (f, sysadmin, &error);
  g_assert_no_error (error);
  cards = wf_cpu_cards_list (f->desk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 5);

  {
    WfCpuCardFilter all = { 0 };
    WfCpuCardFilter ac = { .kind = DB_CPU_AC };
    WfCpuCardFilter issuing = { .role = "issuing-admin" };
    WfCpuCardFilter desk = { .workstation = "DESK-01" };
    WfCpuCardFilter office = { .office = "510400", .kind = DB_CPU_KC };
    WfCpuCardFilter nowhere = { .office = "999999" };
    WfCpuCardFilter revoked = { .status = DB_CPU_REVOKED };

    g_assert_cmpuint (count_matching (cards, NULL), ==, 5);
    g_assert_cmpuint (count_matching (cards, &all), ==, 5);
    g_assert_cmpuint (count_matching (cards, &ac), ==, 2);
    g_assert_cmpuint (count_matching (cards, &issuing), ==, 1);
    g_assert_cmpuint (count_matching (cards, &desk), ==, 1);
    g_assert_cmpuint (count_matching (cards, &office), ==, 1);
    g_assert_cmpuint (count_matching (cards, &nowhere), ==, 0);
    g_assert_cmpuint (count_matching (cards, &revoked), ==, 0);
  }
  g_assert_cmpstr (wf_cpu_kind_describe (DB_CPU_KTC), ==, "key transport card");
  g_assert_cmpstr (wf_cpu_status_describe (DB_CPU_REVOKED), ==, "revoked");

  /* The AC's history: its making, nothing of the other cards. */
  rows = wf_cpu_card_history (f->desk, serial_of (f, sys.ac), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >=, 1);
  for (guint i = 0; i < rows->len; i++)
    {
      DbAuditRow *row = rows->pdata[i];

      g_assert_cmpstr (row->card_sn, ==, serial_of (f, sys.ac));
      if (i > 0)
        g_assert_cmpint (row->seq, <, ((DbAuditRow *) rows->pdata[i - 1])->seq);
    }
  g_assert_cmpstr (((DbAuditRow *) rows->pdata[rows->len - 1])->action, ==, "card-create");

  /* A card with a long life: the newest rows, and word of older ones. */
  {
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
    g_autoptr (GPtrArray) many = NULL;
    DbAuditEntry entry = { .actor = { .workstation = "TEST", .operator_name = "test" },
                           .action = DB_ACTION_LOGIN,
                           .card_sn = serial_of (f, sys.ac),
                           .outcome = DB_OUTCOME_OK };
    gboolean more = TRUE;
    gint64 newest = 0;

    g_assert_no_error (error);
    g_clear_pointer (&rows, g_ptr_array_unref);
    rows = wf_cpu_card_history (f->desk, serial_of (f, sys.ac), &more, &error);
    g_assert_false (more);
    for (guint i = 0; i < WF_CPU_CARD_HISTORY_MAX_ROWS; i++)
      g_assert_true (db_audit_append (db, &entry, &newest, &error));
    many = wf_cpu_card_history (f->desk, serial_of (f, sys.ac), &more, &error);
    g_assert_no_error (error);
    g_assert_true (more);
    g_assert_cmpuint (many->len, ==, WF_CPU_CARD_HISTORY_MAX_ROWS);
    g_assert_cmpint (((DbAuditRow *) many->pdata[0])->seq, ==, newest);
  }
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
}

/* The card in R2 as the wash shows it first: kind, holder, role, registry. */
static void
test_identify (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCpuCardSeen) ac = NULL;
  g_autoptr (WfCpuCardSeen) mcc = NULL;
  g_autoptr (WfCpuCardSeen) none = NULL;
  const char *blank;
  System sys;

  make_system (f, &sys);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.ac);
  ac = wf_cpu_card_identify (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ac->kind, ==, CL_CARD_KIND_AC);
  g_assert_cmpstr (ac->serial, ==, serial_of (f, sys.ac));
  g_assert_cmpstr (ac->holder_name, ==, "张三");
  g_assert_cmpint (ac->role, ==, CL_ROLE_ISSUING_ADMIN);
  g_assert_nonnull (ac->record);
  g_assert_cmpint (ac->record->status, ==, DB_CPU_ACTIVE);

  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.mcc);
  mcc = wf_cpu_card_identify (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mcc->kind, ==, CL_CARD_KIND_MCC);
  g_assert_null (mcc->holder_name);
  g_assert_cmpint (mcc->record->kind, ==, DB_CPU_MCC);

  /* A blank is nothing to identify: the task waits for another card. */
  blank = tu_wf_new_card (f, CS_CARD_FMCOS);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", blank);
  none = wf_cpu_card_identify (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (wf_scripted_get_text (f->ia, "target"), "blank"));
  g_assert_false (has_audit (f, DB_ACTION_CARD_WASH, DB_OUTCOME_ANY));
}

/* Two holders in one batch, each card told as it is made, before the
 * result; the cards carry their own holders in the registry. */
static void
test_each (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCpuCard) rec_a = NULL;
  g_autoptr (DbCpuCard) rec_b = NULL;
  WfOpRequest requests[2] = { 0 };
  Told told = { g_ptr_array_new_with_free_func (g_free) };
  const char *a, *b;
  System sys;

  make_system (f, &sys);
  a = tu_wf_new_card (f, CS_CARD_FMCOS);
  b = tu_wf_new_card (f, CS_CARD_FMCOS);
  requests[0].holder =
      (WfOpHolder){ g_strdup ("孙八"), g_strdup ("S-0100"), CL_ROLE_AUDITOR, g_strdup ("510400") };
  requests[1].holder =
      (WfOpHolder){ g_strdup ("周九"), g_strdup ("S-0101"), CL_ROLE_NONE, g_strdup ("510401") };
  requests[1].key_card = TRUE;
  requests[1].ident = (WfOpIdent){ g_strdup ("DESK-02"), g_strdup ("510401"), 10 };

  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "ktc", sys.ktc);
  tu_wf_plan (f, "blank-cpu", a);
  tu_wf_plan (f, "blank-cpu", b);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, "holder-pin=" HOLDER_PIN,
                   NULL);
  wf_opcard_create_each_async (f->desk, WF_INTERACTION (f->ia), requests, 2, card_told, &told, NULL,
                               told_result, &told);
  /* The batch has its own copies. */
  wf_op_request_clear (&requests[0]);
  wf_op_request_clear (&requests[1]);
  made = wf_opcard_create_each_finish (f->desk, wait_result (&told.result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (made->len, ==, 2);
  g_assert_cmpuint (told.names->len, ==, 2);
  g_assert_false (told.told_after_result);
  g_assert_cmpstr (told.names->pdata[0], ==, "孙八");
  g_assert_cmpstr (told.names->pdata[1], ==, "周九");
  g_assert_cmpint (((WfCardMade *) made->pdata[0])->kind, ==, CL_CARD_KIND_AC);
  g_assert_cmpint (((WfCardMade *) made->pdata[1])->kind, ==, CL_CARD_KIND_KC);
  /* The auditor's card carries only the audit key. */
  g_assert_cmpstr (((WfCardMade *) made->pdata[0])->kcv1, ==, "");
  g_assert_cmpstr (((WfCardMade *) made->pdata[1])->kcv1, !=, "");

  db = wf_desk_open_db (f->desk, &error);
  rec_a = db_cpu_cards_get (db, serial_of (f, a), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec_a->holder_name, ==, "孙八");
  g_assert_cmpstr (rec_a->role, ==, "auditor");
  rec_b = db_cpu_cards_get (db, serial_of (f, b), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec_b->holder_name, ==, "周九");
  g_assert_cmpstr (rec_b->workstation, ==, "DESK-02");
  g_assert_cmpint (rec_b->quota, ==, 10);
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 0);
  g_clear_object (&told.result);
  g_ptr_array_unref (told.names);
}

/* Cancelled at the second card: the first is kept and was told; a bad
 * entry of any card stops the batch before a card is touched, naming it. */
static void
test_each_stops (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) made = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  WfOpRequest requests[2] = { 0 };
  Told told = { g_ptr_array_new_with_free_func (g_free) };
  const char *a;
  System sys;
  guint asked;

  make_system (f, &sys);
  a = tu_wf_new_card (f, CS_CARD_FMCOS);
  for (guint i = 0; i < 2; i++)
    requests[i].holder = (WfOpHolder){ g_strdup (i == 0 ? "吴十" : "郑十一"), g_strdup ("S-0200"),
                                       CL_ROLE_ISSUING_ADMIN, g_strdup ("510400") };

  /* Card 2's office is not six digits: refused before anything is asked. */
  g_free (requests[1].holder.office);
  requests[1].holder.office = g_strdup ("51X");
  asked = wf_scripted_get_asked (f->ia)->len;
  wf_opcard_create_each_async (f->desk, WF_INTERACTION (f->ia), requests, 2, card_told, &told, NULL,
                               told_result, &told);
  none = wf_opcard_create_each_finish (f->desk, wait_result (&told.result), &error);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Card 2 of 2"));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (wf_scripted_get_asked (f->ia)->len, ==, asked);
  g_clear_error (&error);
  g_clear_object (&told.result);

  g_free (requests[1].holder.office);
  requests[1].holder.office = g_strdup ("510400");
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "ktc", sys.ktc);
  tu_wf_plan (f, "blank-cpu", a);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  /* Cancel as soon as the first card is told, before blank 2 is asked for. */
  told.cancel = cancellable;
  wf_opcard_create_each_async (f->desk, WF_INTERACTION (f->ia), requests, 2, card_told, &told,
                               cancellable, told_result, &told);
  made = wf_opcard_create_each_finish (f->desk, wait_result (&told.result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (made->len, ==, 1);
  g_assert_cmpuint (told.names->len, ==, 1);
  g_assert_cmpstr (told.names->pdata[0], ==, "吴十");
  g_assert_true (has_audit (f, DB_ACTION_CARD_CREATE, DB_OUTCOME_REFUSED));
  wf_op_request_clear (&requests[0]);
  wf_op_request_clear (&requests[1]);
  g_clear_object (&told.result);
  g_ptr_array_unref (told.names);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, WfFixture, NULL, tu_wf_setup, fn, tu_wf_teardown)
  ADD ("/cpu-cards/registry", test_registry);
  ADD ("/cpu-cards/identify", test_identify);
  ADD ("/cpu-cards/each", test_each);
  ADD ("/cpu-cards/each-stops", test_each_stops);
#undef ADD
  return g_test_run ();
}
