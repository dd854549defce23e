/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-log-reader.c: pages of the audit log on demand (wf-log-reader.h).
 *
 * Why this file is long: the worker, the job queue and the cache share
 * one lock and one Shared struct; keeping them together keeps every use
 * of that lock in view.
 *
 * The reader (GUI thread) keeps the cache and decides what to ask; the
 * worker thread owns the only connection and answers one job at a time,
 * the newest page first.  They share the Shared struct: its lock guards
 * the job queue and the current query.  Answers go back to the reader's
 * main context, where answers to an older query are dropped. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "wf-error.h"
#include "wf-log-reader.h"
#include "wf-session.h"

/* A query: a filter in an order, and the snapshot it reads.  Shared by the
 * reader and the jobs; through_seq is written by the worker alone, under
 * the shared lock. */
typedef struct {
  gatomicrefcount ref;
  guint id; /* new for every query */
  DbAuditFilter filter; /* own strings and times */
  DbOrder order;
} Query;

typedef enum {
  JOB_PAGE,
  JOB_COUNT,
  JOB_LOCATE,
} JobKind;

typedef struct {
  JobKind kind;
  Query *query;
  gint64 page; /* JOB_PAGE */
  gint64 n_rows; /* the query's rows, when known (-1) */
  gint64 seq; /* JOB_LOCATE */
} Job;

typedef struct {
  gint64 first_seq;
  gint64 last_seq;
} Bounds;

typedef struct {
  gatomicrefcount ref;
  GMutex lock;
  GCond cond;
  GQueue jobs; /* Job; pages are taken newest first */
  gboolean closing;
  Query *current; /* jobs of another query are dropped */
  char *db_path;
  DbMode mode;
  GMainContext *context;
  GWeakRef reader;
  gint queries; /* atomic */
  /* The worker's own: the first and last row of every page it read for
   * bounds_of, so that a page next to one read follows by keyset. */
  GHashTable *bounds; /* page index -> Bounds */
  guint bounds_of; /* the query's id */
} Shared;

typedef struct {
  JobKind kind;
  Query *query;
  gint64 page;
  GPtrArray *rows; /* DbAuditRow */
  gint64 number; /* the count; the position */
  gint64 seq;
  gboolean matches;
  gint64 through_seq; /* the snapshot, taken for this answer (0: earlier) */
  GError *error;
  Shared *shared;
} Answer;

typedef struct {
  gint64 index;
  GPtrArray *rows; /* DbAuditRow */
} Page;

struct _WfLogReader {
  GObject parent_instance;

  Shared *shared;
  Query *query;
  DbAuditFilter filter; /* query's, with the snapshot once known: the
                         * worker writes query's through_seq, we read this */
  gint64 n_rows; /* -1: not counted */
  GHashTable *pages; /* page index -> Page */
  GQueue lru; /* page indexes, most recent first */
  GHashTable *pending; /* page indexes asked for and not answered */
  guint outstanding; /* jobs of this query not answered */
  gint64 visible_first;
  gint64 visible_count;
};

G_DEFINE_TYPE (WfLogReader, wf_log_reader, G_TYPE_OBJECT)

enum { SIGNAL_RESET, SIGNAL_COUNTED, SIGNAL_ROWS_LOADED, SIGNAL_LOCATED, SIGNAL_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define PAGE_ROWS WF_LOG_READER_PAGE_ROWS

/* -- queries and jobs ---------------------------------------------------------------------- */

void
wf_audit_filter_copy (DbAuditFilter *dest, const DbAuditFilter *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  *dest = *src;
  dest->since = src->since != NULL ? g_date_time_ref (src->since) : NULL;
  dest->until = src->until != NULL ? g_date_time_ref (src->until) : NULL;
  dest->operator_serial = g_strdup (src->operator_serial);
  dest->workstation = g_strdup (src->workstation);
  dest->card_number = g_strdup (src->card_number);
  dest->card_sn = g_strdup (src->card_sn);
  dest->holder_id = g_strdup (src->holder_id);
}

void
wf_audit_filter_clear (DbAuditFilter *f)
{
  g_return_if_fail (f != NULL);

  g_clear_pointer (&f->since, g_date_time_unref);
  g_clear_pointer (&f->until, g_date_time_unref);
  g_free ((char *) f->operator_serial);
  g_free ((char *) f->workstation);
  g_free ((char *) f->card_number);
  g_free ((char *) f->card_sn);
  g_free ((char *) f->holder_id);
  memset (f, 0, sizeof *f);
}

static Query *
query_new (const DbAuditFilter *f, DbOrder order)
{
  static gint ids = 0;
  Query *q = g_new0 (Query, 1);

  g_atomic_ref_count_init (&q->ref);
  q->id = (guint) g_atomic_int_add (&ids, 1) + 1;
  if (f != NULL)
    wf_audit_filter_copy (&q->filter, f);
  q->order = order;
  return q;
}

static Query *
query_ref (Query *q)
{
  g_atomic_ref_count_inc (&q->ref);
  return q;
}

static void
query_unref (Query *q)
{
  if (q == NULL || !g_atomic_ref_count_dec (&q->ref))
    return;
  wf_audit_filter_clear (&q->filter);
  g_free (q);
}

static void
job_free (Job *job)
{
  query_unref (job->query);
  g_free (job);
}

static Shared *
shared_ref (Shared *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

static void
shared_unref (Shared *s)
{
  if (!g_atomic_ref_count_dec (&s->ref))
    return;
  g_queue_clear_full (&s->jobs, (GDestroyNotify) job_free);
  query_unref (s->current);
  g_hash_table_unref (s->bounds);
  g_free (s->db_path);
  g_main_context_unref (s->context);
  g_weak_ref_clear (&s->reader);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static void
answer_free (Answer *a)
{
  query_unref (a->query);
  g_clear_pointer (&a->rows, g_ptr_array_unref);
  g_clear_error (&a->error);
  shared_unref (a->shared);
  g_free (a);
}

/* -- the worker thread --------------------------------------------------------------------- */

static gboolean deliver (gpointer data);

/* The next job of the current query: pages newest first, then counts and
 * locates in order.  Jobs of older queries are dropped.  NULL: closing. */
static Job *
take_job (Shared *s)
{
  Job *job = NULL;

  g_mutex_lock (&s->lock);
  for (;;)
    {
      GList *l;

      if (s->closing)
        break;
      for (l = s->jobs.head; l != NULL;)
        {
          GList *next = l->next;
          Job *j = l->data;

          if (j->query != s->current)
            {
              job_free (j);
              g_queue_delete_link (&s->jobs, l);
            }
          l = next;
        }
      for (l = s->jobs.tail; l != NULL && job == NULL; l = l->prev)
        if (((Job *) l->data)->kind == JOB_PAGE)
          job = l->data;
      if (job == NULL && s->jobs.head != NULL)
        job = s->jobs.head->data;
      if (job != NULL)
        {
          g_queue_remove (&s->jobs, job);
          break;
        }
      g_cond_wait (&s->cond, &s->lock);
    }
  g_mutex_unlock (&s->lock);
  return job;
}

static void
count_query (Shared *s)
{
  g_atomic_int_inc (&s->queries);
}

/* The snapshot of the job's query, taken on its first job: the newest
 * row now.  *taken: this job took it. */
static gboolean
snapshot (Shared *s, DbDatabase *db, Query *q, gint64 *taken, GError **error)
{
  guint8 head[DB_AUDIT_HASH_LEN];
  gint64 through = 0, seq = 0;

  g_mutex_lock (&s->lock);
  through = q->filter.through_seq;
  g_mutex_unlock (&s->lock);
  if (through != 0)
    return TRUE;
  count_query (s);
  if (!db_audit_get_head (db, &seq, head, error))
    return FALSE;
  /* An empty log: a snapshot of nothing (no row is numbered 0 or less). */
  g_mutex_lock (&s->lock);
  q->filter.through_seq = seq > 0 ? seq : -1;
  *taken = q->filter.through_seq;
  g_mutex_unlock (&s->lock);
  return TRUE;
}

static DbOrder
reverse (DbOrder order)
{
  return order == DB_ORDER_NEWEST_FIRST ? DB_ORDER_OLDEST_FIRST : DB_ORDER_NEWEST_FIRST;
}

static void
reverse_rows (GPtrArray *rows)
{
  for (guint a = 0, b = rows->len; a + 1 < b; a++, b--)
    {
      gpointer t = rows->pdata[a];

      rows->pdata[a] = rows->pdata[b - 1];
      rows->pdata[b - 1] = t;
    }
}

/* The bounds of page's neighbours read for this query (0 when not read). */
static void
neighbours (Shared *s, const Job *job, gint64 *after, gint64 *before)
{
  Bounds *prev, *next;

  g_mutex_lock (&s->lock);
  if (s->bounds_of != job->query->id)
    {
      g_hash_table_remove_all (s->bounds);
      s->bounds_of = job->query->id;
    }
  prev = g_hash_table_lookup (s->bounds, &(gint64){ job->page - 1 });
  next = g_hash_table_lookup (s->bounds, &(gint64){ job->page + 1 });
  *after = prev != NULL ? prev->last_seq : 0;
  *before = next != NULL ? next->first_seq : 0;
  g_mutex_unlock (&s->lock);
}

static void
remember (Shared *s, const Job *job, GPtrArray *rows)
{
  Bounds *b;

  if (rows == NULL || rows->len == 0)
    return;
  b = g_new0 (Bounds, 1);
  b->first_seq = ((DbAuditRow *) rows->pdata[0])->seq;
  b->last_seq = ((DbAuditRow *) rows->pdata[rows->len - 1])->seq;
  g_mutex_lock (&s->lock);
  if (s->bounds_of == job->query->id)
    g_hash_table_insert (s->bounds, g_memdup2 (&job->page, sizeof job->page), b);
  else
    g_free (b);
  g_mutex_unlock (&s->lock);
}

/* A page: by keyset from a neighbour read before, else by seeking to the
 * row before it from the nearer end. */
static GPtrArray *
run_page (Shared *s, DbDatabase *db, const Job *job, const DbAuditFilter *f, GError **error)
{
  DbOrder order = job->query->order;
  gint64 after = 0, before = 0, target = job->page * PAGE_ROWS - 1;
  GPtrArray *rows;

  neighbours (s, job, &after, &before);
  if (job->page > 0 && after == 0 && before > 0)
    {
      /* The rows before the next page are the rows after it the other way. */
      count_query (s);
      rows = db_audit_query (db, f, reverse (order), before, PAGE_ROWS, error);
      if (rows != NULL)
        reverse_rows (rows);
      remember (s, job, rows);
      return rows;
    }
  if (job->page > 0 && after == 0)
    {
      count_query (s);
      if (job->n_rows >= 0 && target >= job->n_rows / 2)
        {
          if (!db_audit_seek (db, f, reverse (order), job->n_rows - 1 - target, &after, error))
            return NULL;
        }
      else if (!db_audit_seek (db, f, order, target, &after, error))
        return NULL;
      /* Past the end: an empty page. */
      if (after == 0)
        return g_ptr_array_new_with_free_func ((GDestroyNotify) db_audit_row_free);
    }
  count_query (s);
  rows = db_audit_query (db, f, order, after, PAGE_ROWS, error);
  remember (s, job, rows);
  return rows;
}

static void
run_job (Shared *s, DbDatabase *db, Job *job, Answer *a)
{
  DbAuditFilter f;

  if (!snapshot (s, db, job->query, &a->through_seq, &a->error))
    return;
  g_mutex_lock (&s->lock);
  f = job->query->filter;
  g_mutex_unlock (&s->lock);
  switch (job->kind)
    {
    case JOB_PAGE:
      a->rows = run_page (s, db, job, &f, &a->error);
      break;
    case JOB_COUNT:
      count_query (s);
      db_audit_count (db, &f, 0, &a->number, &a->error);
      break;
    case JOB_LOCATE:
      count_query (s);
      if (!db_audit_position (db, &f, job->query->order, job->seq, &a->number, &a->matches,
                              &a->error)
          && g_error_matches (a->error, DB_ERROR, DB_ERROR_NOT_FOUND))
        {
          /* A row the log does not have (any more) is simply not there. */
          g_clear_error (&a->error);
          a->matches = FALSE;
        }
      break;
    }
}

/* To the reader's context, always as a source there: g_main_context_invoke()
 * would run it here when that context is the global default and idle. */
static void
post (Shared *s, Answer *a)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver, a, (GDestroyNotify) answer_free);
  g_source_attach (source, s->context);
  g_source_unref (source);
}

static gpointer
worker (gpointer data)
{
  Shared *s = data;
  DbDatabase *db = NULL;
  GError *open_error = NULL;
  Job *job;

  while ((job = take_job (s)) != NULL)
    {
      Answer *a = g_new0 (Answer, 1);

      a->kind = job->kind;
      a->query = query_ref (job->query);
      a->page = job->page;
      a->seq = job->seq;
      a->shared = shared_ref (s);
      if (db == NULL && open_error == NULL)
        db = db_database_open (s->db_path, s->mode, DB_OPEN_READ_ONLY, &open_error);
      if (db == NULL)
        a->error = g_error_copy (open_error);
      else
        run_job (s, db, job, a);
      job_free (job);
      post (s, a);
    }
  g_clear_pointer (&db, db_database_close);
  g_clear_error (&open_error);
  shared_unref (s);
  return NULL;
}

/* -- the cache (reader's thread) ----------------------------------------------------------- */

static void
page_free (Page *p)
{
  g_ptr_array_unref (p->rows);
  g_free (p);
}

static gint64
n_pages (WfLogReader *self)
{
  return self->n_rows < 0 ? G_MAXINT64 : (self->n_rows + PAGE_ROWS - 1) / PAGE_ROWS;
}

static gboolean
page_visible (WfLogReader *self, gint64 page)
{
  return self->visible_count > 0 && page >= self->visible_first / PAGE_ROWS
         && page <= (self->visible_first + self->visible_count - 1) / PAGE_ROWS;
}

static void
push_job (WfLogReader *self, Job *job)
{
  Shared *s = self->shared;

  job->query = query_ref (self->query);
  self->outstanding++;
  g_mutex_lock (&s->lock);
  g_queue_push_tail (&s->jobs, job);
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
request_page (WfLogReader *self, gint64 page)
{
  Job *job;

  if (page < 0 || page >= n_pages (self) || g_hash_table_contains (self->pages, &page)
      || g_hash_table_contains (self->pending, &page))
    return;
  job = g_new0 (Job, 1);
  job->kind = JOB_PAGE;
  job->page = page;
  job->n_rows = self->n_rows;
  g_hash_table_add (self->pending, g_memdup2 (&page, sizeof page));
  push_job (self, job);
}

static void
touch (WfLogReader *self, gint64 page)
{
  GList *l;

  for (l = self->lru.head; l != NULL; l = l->next)
    if (*(gint64 *) l->data == page)
      break;
  if (l == NULL)
    g_queue_push_head (&self->lru, g_memdup2 (&page, sizeof page));
  else if (l != self->lru.head)
    {
      g_queue_unlink (&self->lru, l);
      g_queue_push_head_link (&self->lru, l);
    }
}

/* The least recently used pages go, never a visible one. */
static void
evict (WfLogReader *self)
{
  GList *l = self->lru.tail;

  while (g_queue_get_length (&self->lru) > WF_LOG_READER_CACHE_PAGES && l != NULL)
    {
      GList *prev = l->prev;
      gint64 *page = l->data;

      if (!page_visible (self, *page))
        {
          g_hash_table_remove (self->pages, page);
          g_free (page);
          g_queue_delete_link (&self->lru, l);
        }
      l = prev;
    }
}

static void
clear_cache (WfLogReader *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear_full (&self->lru, g_free);
  g_hash_table_remove_all (self->pending);
}

static void
set_count (WfLogReader *self, gint64 n)
{
  if (self->n_rows == n)
    return;
  self->n_rows = n;
  g_signal_emit (self, signals[SIGNAL_COUNTED], 0, n);
}

static void
got_page (WfLogReader *self, Answer *a)
{
  Page *p;
  guint n = a->rows->len;

  g_hash_table_remove (self->pending, &a->page);
  /* A short page is the last: the count is known then (an empty one
   * tells it only at the start). */
  if (n < PAGE_ROWS && (n > 0 || a->page == 0) && self->n_rows < 0)
    set_count (self, a->page * PAGE_ROWS + n);
  if (n == 0)
    return;
  p = g_new0 (Page, 1);
  p->index = a->page;
  p->rows = g_steal_pointer (&a->rows);
  g_hash_table_insert (self->pages, g_memdup2 (&p->index, sizeof p->index), p);
  touch (self, p->index);
  evict (self);
  g_signal_emit (self, signals[SIGNAL_ROWS_LOADED], 0, p->index * PAGE_ROWS, (gint64) n);
}

static gboolean
deliver (gpointer data)
{
  Answer *a = data;
  g_autoptr (WfLogReader) self = g_weak_ref_get (&a->shared->reader);

  if (self == NULL || a->query != self->query)
    return G_SOURCE_REMOVE;
  self->outstanding--;
  if (a->through_seq != 0)
    self->filter.through_seq = a->through_seq;
  if (a->error != NULL)
    {
      if (a->kind == JOB_PAGE)
        g_hash_table_remove (self->pending, &a->page);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, a->error);
      return G_SOURCE_REMOVE;
    }
  switch (a->kind)
    {
    case JOB_PAGE:
      got_page (self, a);
      break;
    case JOB_COUNT:
      set_count (self, a->number);
      break;
    case JOB_LOCATE:
      g_signal_emit (self, signals[SIGNAL_LOCATED], 0, a->seq, a->matches ? a->number : -1);
      break;
    }
  return G_SOURCE_REMOVE;
}

/* -- API ----------------------------------------------------------------------------------- */

static gboolean
may_audit (WfDesk *desk, GError **error)
{
  g_autoptr (WfSession) session = wf_desk_dup_session (desk);

  if (session == NULL || !wf_session_is_active (session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (session, WF_PERM_AUDIT, error);
}

WfLogReader *
wf_log_reader_new (WfDesk *desk, GError **error)
{
  WfLogReader *self;
  Shared *s;

  g_return_val_if_fail (WF_IS_DESK (desk), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!may_audit (desk, error))
    return NULL;
  self = g_object_new (WF_TYPE_LOG_READER, NULL);
  s = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&s->ref);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->db_path = g_strdup (wf_desk_get_db_path (desk));
  s->mode = wf_desk_get_mode (desk);
  s->context = g_main_context_ref_thread_default ();
  s->bounds = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_weak_ref_init (&s->reader, self);
  self->shared = s;
  wf_log_reader_set_filter (self, NULL, DB_ORDER_NEWEST_FIRST);
  g_thread_unref (g_thread_new ("log-reader", worker, shared_ref (s)));
  return self;
}

static void
start_query (WfLogReader *self, Query *q)
{
  Shared *s = self->shared;
  Job *count = g_new0 (Job, 1);

  query_unref (self->query);
  self->query = q;
  /* The worker has not seen q yet: no lock needed for this copy. */
  self->filter = q->filter;
  self->n_rows = -1;
  self->outstanding = 0;
  clear_cache (self);
  g_mutex_lock (&s->lock);
  query_unref (s->current);
  s->current = query_ref (q);
  g_mutex_unlock (&s->lock);
  /* A new query shows from its first row: that page before the count, so
   * that it is on the screen at once. */
  self->visible_first = 0;
  self->visible_count = 0;
  request_page (self, 0);
  g_signal_emit (self, signals[SIGNAL_RESET], 0);
  count->kind = JOB_COUNT;
  push_job (self, count);
}

void
wf_log_reader_set_filter (WfLogReader *self, const DbAuditFilter *filter, DbOrder order)
{
  Query *q;

  g_return_if_fail (WF_IS_LOG_READER (self));

  /* The caller's own snapshot, if any, stands; else the worker takes one. */
  q = query_new (filter, order);
  start_query (self, q);
}

void
wf_log_reader_refresh (WfLogReader *self)
{
  Query *q;

  g_return_if_fail (WF_IS_LOG_READER (self));

  q = query_new (&self->filter, self->query->order);
  q->filter.through_seq = 0;
  start_query (self, q);
}

const DbAuditFilter *
wf_log_reader_get_filter (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), NULL);

  return &self->filter;
}

DbOrder
wf_log_reader_get_order (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), DB_ORDER_NEWEST_FIRST);
  return self->query->order;
}

gint64
wf_log_reader_get_n_rows (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), -1);
  return self->n_rows;
}

const DbAuditRow *
wf_log_reader_get_row (WfLogReader *self, gint64 index)
{
  gint64 page = index / PAGE_ROWS;
  Page *p;

  g_return_val_if_fail (WF_IS_LOG_READER (self), NULL);

  if (index < 0 || (self->n_rows >= 0 && index >= self->n_rows))
    return NULL;
  p = g_hash_table_lookup (self->pages, &page);
  if (p == NULL)
    {
      request_page (self, page);
      return NULL;
    }
  touch (self, page);
  return index % PAGE_ROWS < p->rows->len ? p->rows->pdata[index % PAGE_ROWS] : NULL;
}

void
wf_log_reader_set_visible (WfLogReader *self, gint64 first, gint64 count)
{
  Shared *s;
  gint64 lo, hi;

  g_return_if_fail (WF_IS_LOG_READER (self));

  s = self->shared;
  self->visible_first = MAX (first, 0);
  self->visible_count = MAX (count, 0);
  lo = self->visible_first / PAGE_ROWS;
  hi = (self->visible_first + MAX (self->visible_count, 1) - 1) / PAGE_ROWS;
  /* Pages asked for on the way here are no longer wanted. */
  g_mutex_lock (&s->lock);
  for (GList *l = s->jobs.head; l != NULL;)
    {
      GList *next = l->next;
      Job *j = l->data;

      if (j->kind == JOB_PAGE && j->query == self->query && (j->page < lo - 1 || j->page > hi + 1))
        {
          g_hash_table_remove (self->pending, &j->page);
          self->outstanding--;
          job_free (j);
          g_queue_delete_link (&s->jobs, l);
        }
      l = next;
    }
  g_mutex_unlock (&s->lock);
  for (gint64 page = lo; page <= hi && self->visible_count > 0; page++)
    request_page (self, page);
}

void
wf_log_reader_locate (WfLogReader *self, gint64 seq)
{
  Job *job;

  g_return_if_fail (WF_IS_LOG_READER (self));

  job = g_new0 (Job, 1);
  job->kind = JOB_LOCATE;
  job->seq = seq;
  push_job (self, job);
}

gboolean
wf_log_reader_is_idle (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), TRUE);
  return self->outstanding == 0;
}

guint
wf_log_reader_get_queries (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), 0);
  return g_atomic_int_get (&self->shared->queries);
}

guint
wf_log_reader_get_cached_pages (WfLogReader *self)
{
  g_return_val_if_fail (WF_IS_LOG_READER (self), 0);
  return g_hash_table_size (self->pages);
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
wf_log_reader_finalize (GObject *object)
{
  WfLogReader *self = WF_LOG_READER (object);
  Shared *s = self->shared;

  if (s != NULL)
    {
      /* The worker finishes the query it runs, then closes its connection. */
      g_mutex_lock (&s->lock);
      s->closing = TRUE;
      g_queue_clear_full (&s->jobs, (GDestroyNotify) job_free);
      g_cond_signal (&s->cond);
      g_mutex_unlock (&s->lock);
      shared_unref (s);
    }
  query_unref (self->query);
  clear_cache (self);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->pending);
  G_OBJECT_CLASS (wf_log_reader_parent_class)->finalize (object);
}

static void
wf_log_reader_class_init (WfLogReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wf_log_reader_finalize;
  signals[SIGNAL_RESET] = g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_COUNTED] = g_signal_new ("counted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_ROWS_LOADED] =
      g_signal_new ("rows-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_LOCATED] =
      g_signal_new ("located", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
wf_log_reader_init (WfLogReader *self)
{
  self->pages =
      g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) page_free);
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->n_rows = -1;
}
