/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-log-browser: the auditor's log page on a large log, as a user
 * sees it (run under Xvfb: tests/bench/run-bench-log-browser).
 *
 *   bench-log-browser --db FILE [--runs N]
 *
 * FILE is a demo database (insucard-cli db make-demo; the database
 * benchmark's 1,000,000-row one).  An auditor's card is made on the
 * simulator with a small database of its own and logged in; the desk's
 * window then works on FILE, as it would on a desk whose log is that long.
 * Measured: the time from showing the page to its first rows on the
 * screen and to the row count; the time from a filter applied to its first
 * rows (each filter of the page, median of N); jumps of the scroll bar;
 * the longest the main loop was kept from running (the view's
 * responsiveness); the peak RSS.  Targets: first page < 0.5 s, filter
 * change < 100 ms, peak RSS < 150 MB.  docs/performance.md has results.
 */
#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>

#include "ic-log-page.h"
#include "ic-main-window.h"
#include "ic-pages.h"
#include "wf-audit-util.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_double);
  return v[n / 2];
}

/* The longest gap between two ticks of a 5 ms timer: how long the main
 * loop (drawing, keys) was kept waiting. */
static gint64 last_tick;
static double worst_stall;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    worst_stall = MAX (worst_stall, (now - last_tick) / 1000.0 - 5.0);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition, gpointer data)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > end)
        g_error ("bench-log-browser: gave up waiting");
    }
}

static IcLogPage *page;
static double painted; /* ms of the last frame painted */

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  painted = now_ms ();
}

static gboolean
painted_since_cb (gpointer data)
{
  return painted > *(double *) data;
}

/* The time at which a frame painted after now shows what changed. */
static double
wait_paint (void)
{
  double since = now_ms ();

  gtk_widget_queue_draw (GTK_WIDGET (page));
  wait_for (painted_since_cb, &since);
  return painted;
}

static WfLogReader *
reader (void)
{
  return ic_log_page_get_reader (page);
}

/* The first row of the list is on the screen (not "…"). */
static gboolean
first_rows_cb (gpointer data)
{
  return reader () != NULL && wf_log_reader_get_row (reader (), 0) != NULL;
}

static gboolean
counted_cb (gpointer data)
{
  return reader () != NULL && wf_log_reader_get_n_rows (reader ()) >= 0
         && wf_log_reader_is_idle (reader ());
}

static gboolean
filter_rows_cb (gpointer data)
{
  return ic_log_page_get_filter_ms (page) >= 0;
}

/* The rows on the screen at the scroll bar's place are loaded. */
static gboolean
window_loaded_cb (gpointer data)
{
  IcLogView *view = ic_log_page_get_view (page);
  gint64 first = (gint64) (gtk_adjustment_get_value (ic_log_view_get_adjustment (view)) + 0.5);

  return wf_log_reader_get_row (reader (), first) != NULL
         && wf_log_reader_get_row (reader (), MIN (first + ic_log_view_get_page_rows (view),
                                                   wf_log_reader_get_n_rows (reader ()))
                                                  - 1)
                != NULL;
}

static GtkWidget *
find (GtkWidget *root, const char *name)
{
  AtkObject *acc = gtk_widget_get_accessible (root);

  if (g_strcmp0 (atk_object_get_name (acc), name) == 0)
    return root;
  if (GTK_IS_CONTAINER (root))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (root));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find (l->data, name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

typedef struct {
  const char *title;
  const char *field; /* the control's accessible name */
  const char *value; /* typed, or the combo's choice */
} Filter;

static void
set_field (const char *field, const char *value)
{
  GtkWidget *w = find (GTK_WIDGET (page), field);

  if (w == NULL)
    g_error ("bench-log-browser: no control named %s", field);
  if (GTK_IS_COMBO_BOX (w))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), value);
  else
    gtk_entry_set_text (GTK_ENTRY (w), value);
}

/* Applies the page's fields now (the page itself waits 200 ms after the
 * last key: that pause is the user's, not the query's); *on_screen gets
 * the time to the frame that shows the first rows. */
static double
apply (gint64 *rows, double *on_screen)
{
  double start = now_ms (), first;

  if (!ic_log_page_apply_filters (page))
    g_error ("bench-log-browser: a filter was refused");
  wait_for (filter_rows_cb, NULL);
  first = ic_log_page_get_filter_ms (page);
  if (on_screen != NULL)
    *on_screen = wait_paint () - start;
  wait_for (counted_cb, NULL);
  *rows = wf_log_reader_get_n_rows (reader ());
  return first;
}

int
main (int argc, char **argv)
{
  g_autofree char *path = NULL;
  int runs = 5;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &path, "The demo database", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per filter (median)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  WfFixture f = { 0 };
  System sys;
  const char *auditor;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfDesk) desk = NULL;
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GPtrArray) sample_rows = NULL;
  DbAuditRow *sample;
  IcMainWindow *window;
  GtkWidget *rows_widget;
  struct rusage usage;
  double t0, first_page, counted;
  gint64 n_all = 0;
  char since[11], until[11];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || path == NULL || runs < 1)
    {
      g_printerr ("bench-log-browser: give the demo database with --db FILE\n");
      return 2;
    }
  gtk_init (&argc, &argv);

  /* An auditor's card, made and logged in on a small database of its own. */
  tu_wf_setup (&f, NULL);
  make_system (&f, &sys);
  auditor = make_auditor (&f, &sys);
  session = log_in_with (&f, auditor);
  desk = wf_desk_new (f.sim.ctx, path, "BENCH-DESK", &error);
  if (desk == NULL)
    g_error ("bench-log-browser: %s", error->message);

  /* Filter values from a row of the log. */
  db = db_database_open (path, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error);
  if (db == NULL)
    g_error ("bench-log-browser: %s", error->message);
  sample_rows = db_audit_query (db, &(DbAuditFilter){ .action = DB_ACTION_READ },
                                DB_ORDER_NEWEST_FIRST, 0, 1, &error);
  if (sample_rows == NULL || sample_rows->len == 0)
    g_error ("bench-log-browser: %s has no read rows", path);
  sample = sample_rows->pdata[0];
  g_strlcpy (since, sample->at, sizeof since); /* the sample's day */
  g_strlcpy (until, sample->at, sizeof until);

  app = gtk_application_new ("org.insucard.Bench", G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("bench-log-browser: %s", error->message);
  window = ic_main_window_new (app, TRUE);
  ic_pages_add_all (window, TRUE);
  ic_main_window_set_desk (window, desk);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_widget_show (GTK_WIDGET (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_timeout_add (5, tick_cb, NULL);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  rows_widget = find (GTK_WIDGET (window), "Audit log rows");
  page = IC_LOG_PAGE (gtk_widget_get_ancestor (rows_widget, IC_TYPE_LOG_PAGE));

  /* The auditor's pages appear (as after the login) and the log page opens:
   * its first rows, then the count. */
  t0 = now_ms ();
  wf_desk_set_session (desk, session);
  ic_main_window_refresh_session (window);
  ic_main_window_show_page (window, "audit-log");
  wait_for (first_rows_cb, NULL);
  first_page = wait_paint () - t0;
  wait_for (counted_cb, NULL);
  counted = now_ms () - t0;
  n_all = wf_log_reader_get_n_rows (reader ());
  g_print ("log: %s, %" G_GINT64_FORMAT " rows\n", path, n_all);
  g_print ("open the page: first rows on the screen %.1f ms, row count %.1f ms\n", first_page,
           counted);

  {
    g_autofree char *number = g_strdup (sample->card_number);
    const Filter filters[] = {
      { "workstation", "Workstation", sample->workstation },
      { "operator card", "Operator card", sample->operator_serial },
      { "action (report lost)", "Action", "report-lost" },
      { "outcome (failed)", "Outcome", "failed" },
      { "card number", "Card number", number },
      { "card SN", "Card serial number", sample->card_sn },
      { "holder ID", "Holder ID number", sample->holder_id },
      { "one day", "From (date)", since },
      { "workstation + outcome ok (no single index)", "Workstation", sample->workstation },
      { "action read + operator (no single index)", "Action", "read" },
    };

    g_print ("\n| filter | rows | first rows ms | on the screen ms | counted by ms "
             "|\n|---|---|---|---|---|\n");
    for (gsize i = 0; i < G_N_ELEMENTS (filters); i++)
      {
        g_autofree double *firsts = g_new0 (double, runs);
        g_autofree double *counts = g_new0 (double, runs);
        g_autofree double *screens = g_new0 (double, runs);
        gint64 rows = 0;

        for (int r = 0; r < runs; r++)
          {
            double start;

            /* Back to the whole log, then the filter. */
            set_field ("Workstation", "");
            set_field ("Operator card", "");
            set_field ("Action", "");
            set_field ("Outcome", "");
            set_field ("Card number", "");
            set_field ("Card serial number", "");
            set_field ("Holder ID number", "");
            set_field ("From (date)", "");
            set_field ("To (date)", "");
            apply (&rows, NULL);
            set_field (filters[i].field, filters[i].value);
            if (i == 7)
              set_field ("To (date)", until);
            if (i == 8)
              set_field ("Outcome", "ok");
            if (i == 9)
              set_field ("Operator card", sample->operator_serial);
            start = now_ms ();
            firsts[r] = apply (&rows, &screens[r]);
            counts[r] = now_ms () - start;
          }
        g_print ("| %s | %" G_GINT64_FORMAT " | %.1f | %.1f | %.1f |\n", filters[i].title, rows,
                 median (firsts, runs), median (screens, runs), median (counts, runs));
      }
  }

  /* Jumps of the scroll bar over the whole log. */
  {
    GtkAdjustment *adj = ic_log_view_get_adjustment (ic_log_page_get_view (page));
    const double places[] = { 0.5, 0.999, 0.25, 0.75, 0.01 };
    gint64 rows = 0;

    set_field ("Workstation", "");
    set_field ("Operator card", "");
    set_field ("Action", "");
    set_field ("Outcome", "");
    set_field ("Card number", "");
    set_field ("Card serial number", "");
    set_field ("Holder ID number", "");
    set_field ("From (date)", "");
    set_field ("To (date)", "");
    apply (&rows, NULL);
    g_print ("\n| scroll bar dragged to | rows on the screen ms |\n|---|---|\n");
    for (gsize i = 0; i < G_N_ELEMENTS (places); i++)
      {
        double start = now_ms ();

        gtk_adjustment_set_value (adj, places[i] * (double) rows);
        wait_for (window_loaded_cb, NULL);
        g_print ("| %.1f %% | %.1f |\n", places[i] * 100, wait_paint () - start);
      }
    g_print ("queries run by the list: %u; pages held: %u\n", wf_log_reader_get_queries (reader ()),
             wf_log_reader_get_cached_pages (reader ()));
  }

  g_print ("longest main-loop stall: %.1f ms\n", worst_stall);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);

  gtk_widget_destroy (GTK_WIDGET (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&session);
  wf_desk_set_session (desk, NULL);
  g_clear_object (&desk);
  tu_wf_teardown (&f, NULL);
  return 0;
}
