/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-page-util.h: what several pages do alike: run a task on behalf of a
 * page that may be gone when it ends, and save a card's hand-over receipt. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

/* Like ic_main_window_run_task(), with the page as done's user_data; done
 * is not called once the page has left the window.  When another task
 * runs, nothing is run and the message bar says to wait. */
gboolean ic_page_run_task (GtkWidget *page, IcMainWindow *window, const char *title,
                           IcTaskFunc func, gpointer data, GDestroyNotify data_free,
                           GDestroyNotify result_free, IcTaskDone done);

/* Called with the file the person chose to save to; parent is the
 * window the question was asked over. */
typedef void (*IcPageSaveFunc) (GtkWindow *parent, const char *path, gpointer data);

/* Asks where to save with the desktop's own dialog, modal to parent,
 * proposing name in folder (NULL: the Documents folder, else home) and,
 * unless pattern is NULL, offering the files that match it as
 * filter_name; an existing file is replaced only when the person says
 * so.  Then save (parent, path, data); data_free (data) either way.
 * Shown, not run: a click's handler that ran the dialog's own loop would
 * leave an assistive technology that pressed the button (AT-SPI) without
 * an answer, and so without the dialog, until it closed. */
void ic_page_ask_save_path (GtkWindow *parent, const char *title, const char *folder,
                            const char *name, const char *filter_name, const char *pattern,
                            IcPageSaveFunc save, gpointer data, GDestroyNotify data_free);

/* A page's outcome line: what its last task did, with "Save receipt as
 * PDF…" when a card was issued (its template's revealer, label and
 * button, bound with IC_OUTCOME_BIND). */
typedef struct {
  GtkRevealer *revealer;
  GtkLabel *label;
  GtkWidget *receipt_button;
  char *receipt_card_number;
} IcOutcome;

#define IC_OUTCOME_BIND(widget_class, Type, member)                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gtk_widget_class_bind_template_child_full (widget_class, "outcome_revealer", FALSE,            \
                                               G_STRUCT_OFFSET (Type, member.revealer));           \
    gtk_widget_class_bind_template_child_full (widget_class, "outcome_label", FALSE,               \
                                               G_STRUCT_OFFSET (Type, member.label));              \
    gtk_widget_class_bind_template_child_full (widget_class, "receipt_button", FALSE,              \
                                               G_STRUCT_OFFSET (Type, member.receipt_button));     \
  }                                                                                                \
  G_STMT_END

/* Shows text, with the receipt button when receipt_card_number is set. */
void ic_outcome_show (IcOutcome *outcome, const char *text, const char *receipt_card_number);
void ic_outcome_hide (IcOutcome *outcome);
/* The receipt button's action: ic_page_save_receipt() of the card shown. */
void ic_outcome_save_receipt (IcOutcome *outcome, IcMainWindow *window);
/* Frees what the outcome holds (the page's finalize). */
void ic_outcome_clear (IcOutcome *outcome);

/* "Save receipt as PDF…": asks where (a native file chooser), then writes
 * the receipt of the card with this number (wf_icard_write_receipt()) in a
 * task; the message bar says where it went. */
void ic_page_save_receipt (IcMainWindow *window, const char *card_number);

/* Every scrolled part of page (a GtkViewport in a GtkScrolledWindow)
 * scrolls to the widget that gets the keyboard focus, so that a person
 * moving with Tab sees where they are. */
void ic_page_follow_focus (GtkWidget *page);

/* The message bar's word for a save refused because the person was
 * logged out while choosing where to save. */
void ic_page_say_not_saved (IcMainWindow *window);

/* A form's problem line: shown with text, hidden (taking no room) when
 * text is NULL or "". */
void ic_page_set_problem (GtkLabel *label, const char *text);

/* "2024-01-05 14:03:22" in local time, from the database's UTC
 * "2024-01-05T06:03:22Z"; the text itself if it is not such a time. */
char *ic_page_format_time (const char *iso8601);

G_END_DECLS
