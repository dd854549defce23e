/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-main-window.h: the desk's window: the readers bar, the pages the
 * logged-in role may use (a sidebar and a stack), the task bar that shows
 * a running task with its Cancel button, and the message bar.
 *
 * Pages never run a task themselves: they hand a blocking function to
 * ic_main_window_run_task(), which runs it in a worker thread with the
 * desk's interaction, shows progress, and shows any error (except a
 * cancellation) in the message bar. */
#pragma once

#include <gtk/gtk.h>

#include "wf-desk.h"
#include "wf-session.h"

G_BEGIN_DECLS

#define IC_TYPE_MAIN_WINDOW (ic_main_window_get_type ())
G_DECLARE_FINAL_TYPE (IcMainWindow, ic_main_window, IC, MAIN_WINDOW, GtkApplicationWindow)

IcMainWindow *ic_main_window_new (GtkApplication *app, gboolean training);
gboolean ic_main_window_get_training (IcMainWindow *self);

/* The desk the window works on: the window starts its context's reader
 * watch, whose events the readers bar, card waits and the logout when the
 * operator card leaves R1 follow. */
void ic_main_window_set_desk (IcMainWindow *self, WfDesk *desk);
WfDesk *ic_main_window_get_desk (IcMainWindow *self);
/* The logged-in operator, or NULL (transfer none). */
WfSession *ic_main_window_get_session (IcMainWindow *self);

/* A page in the sidebar, shown while the operator may do `permission`
 * (IC_PAGE_LOGGED_OUT: only while nobody is logged in; IC_PAGE_CEREMONY:
 * while nobody is logged in or a system administrator is, as the key
 * ceremonies are authorised by the master control card, not a login). */
#define IC_PAGE_LOGGED_OUT (-1)
#define IC_PAGE_CEREMONY (-2)
void ic_main_window_add_page (IcMainWindow *self, GtkWidget *page, const char *name,
                              const char *title, int permission);
void ic_main_window_show_page (IcMainWindow *self, const char *name);
/* A side panel at the right (training's card drawer). */
void ic_main_window_set_drawer (IcMainWindow *self, GtkWidget *drawer);
/* The training banner's text (training mode says what it is, and the
 * demo PINs). */
void ic_main_window_set_banner (IcMainWindow *self, const char *text);

/* The body of a task: runs in a worker thread; returns a result or NULL
 * with *error. */
typedef gpointer (*IcTaskFunc) (WfDesk *desk, WfInteraction *interaction, gpointer data,
                                GCancellable *cancellable, GError **error);
/* In the main thread when the task ended: result (NULL on error; freed with
 * result_free after this returns) and the error (already shown). */
typedef void (*IcTaskDone) (IcMainWindow *self, gpointer result, const GError *error,
                            gpointer user_data);

/* FALSE (and nothing run) while another task runs: the message bar says
 * to wait. */
gboolean ic_main_window_run_task (IcMainWindow *self, const char *title, IcTaskFunc func,
                                  gpointer data, GDestroyNotify data_free,
                                  GDestroyNotify result_free, IcTaskDone done, gpointer user_data);
gboolean ic_main_window_is_busy (IcMainWindow *self);

/* The message bar: an error says what happened and what to do. */
void ic_main_window_show_message (IcMainWindow *self, GtkMessageType type, const char *text);
void ic_main_window_show_error (IcMainWindow *self, const GError *error);
void ic_main_window_hide_message (IcMainWindow *self);
/* The text shown in the message bar, or NULL when it is hidden. */
const char *ic_main_window_get_message (IcMainWindow *self);

/* Shows the pages of the desk's session now (tests log in directly with
 * wf_login() and a scripted interaction, then call this). */
void ic_main_window_refresh_session (IcMainWindow *self);

/* Idle logout: while an operator is logged in and no task runs, the
 * window logs out (win.logout) after timeout_ms without keyboard or mouse
 * input in it or its dialogs, and says so.  0: never (the default; the
 * application sets it from its preferences). */
void ic_main_window_set_idle_logout (IcMainWindow *self, guint timeout_ms);

/* Writes the support report (wf_report_support()) to path in a worker
 * thread and says where it went; FALSE (nothing written) while a task
 * runs, since the report probes the readers.  win.support-report asks
 * for the path first. */
gboolean ic_main_window_save_support_report (IcMainWindow *self, const char *path);

/* Actions (win.): login, logout, support-report, show-menu (opens the
 * header bar's menu), focus-next-pane and focus-previous-pane (F6 and
 * Shift+F6: header bar, message bar, sidebar, page, drawer, task bar).
 * Closing the window while a task runs is refused; while an operator is
 * logged in it logs out first (the log is sealed with the card). */

/* Signals:
 *   session-changed (): logged in or out; pages refresh */

G_END_DECLS
