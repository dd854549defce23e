/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-holder-form.c: the holder form checks as the clerk types, with
 * the workflow's rules: a wrong GB 11643 check character is shown at the
 * ID number and the Issue button stays insensitive; a good number fills
 * birth date and sex; a name of 31 bytes is refused; sex against the ID
 * number; a holder loaded and given back. */
#include "config.h"

#include "ic-holder-form.h"
#include "ic-issue-page.h"
#include "ui-test-util.h"

#define ID_MALE "510402198503172316"
#define ID_MALE_BAD_CHECK "510402198503172317"
#define ID_FEMALE "510402199007221021"

typedef struct {
  IcMainWindow *window;
  GtkWidget *page; /* IcIssuePage */
  IcHolderForm *form;
  GtkWidget *issue;
} FormFixture;

static void
form_setup (FormFixture *f, gconstpointer data)
{
  f->window = ic_main_window_new (ui_app, FALSE);
  f->page = ic_issue_page_new (f->window);
  ic_main_window_add_page (f->window, f->page, "issue", "Issue card", IC_PAGE_LOGGED_OUT);
  gtk_widget_show (GTK_WIDGET (f->window));
  ui_iterate ();
  f->form = ic_issue_page_get_form (IC_ISSUE_PAGE (f->page));
  f->issue = ui_button (f->page, "_Issue card");
}

static void
form_teardown (FormFixture *f, gconstpointer data)
{
  gtk_widget_destroy (GTK_WIDGET (f->window));
  ui_iterate ();
}

/* Types into a field as the clerk would (the entry's "changed"). */
static void
type (FormFixture *f, WfIcardField field, const char *text)
{
  GtkWidget *w = ic_holder_form_get_field_widget (f->form, field);

  if (GTK_IS_COMBO_BOX (w))
    g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), text));
  else
    gtk_entry_set_text (GTK_ENTRY (w), text);
  ui_iterate ();
}

static const char *
shown (FormFixture *f, WfIcardField field)
{
  GtkWidget *w = ic_holder_form_get_field_widget (f->form, field);

  if (GTK_IS_COMBO_BOX (w))
    return gtk_combo_box_get_active_id (GTK_COMBO_BOX (w));
  return gtk_entry_get_text (GTK_ENTRY (w));
}

static void
test_empty (FormFixture *f, gconstpointer data)
{
  /* Nothing typed: nothing scolded, nothing to issue. */
  for (guint i = 0; i < WF_ICARD_N_FIELDS; i++)
    g_assert_null (ic_holder_form_get_message (f->form, i));
  g_assert_false (ic_holder_form_get_valid (f->form));
  g_assert_false (gtk_widget_get_sensitive (f->issue));

  /* A required field typed in and emptied again says so. */
  type (f, WF_ICARD_FIELD_NAME, "张伟");
  type (f, WF_ICARD_FIELD_NAME, "");
  g_assert_nonnull (
      strstr (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_NAME), "must be filled in"));
}

static void
test_bad_check_digit (FormFixture *f, gconstpointer data)
{
  const char *message;

  type (f, WF_ICARD_FIELD_NAME, "张伟");
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE_BAD_CHECK);
  message = ic_holder_form_get_message (f->form, WF_ICARD_FIELD_ID_NUMBER);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "check character"));
  /* The message is on the screen, next to the field. */
  g_assert_nonnull (ui_find_label (f->page, message));
  g_assert_false (ic_holder_form_get_valid (f->form));
  g_assert_false (gtk_widget_get_sensitive (f->issue));
  /* Nothing filled from a number that is wrong. */
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "");

  /* Corrected: the message goes, the button wakes. */
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE);
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_ID_NUMBER));
  g_assert_true (ic_holder_form_get_valid (f->form));
  g_assert_true (gtk_widget_get_sensitive (f->issue));
  /* Too short while typing: invalid again. */
  type (f, WF_ICARD_FIELD_ID_NUMBER, "51040219850317");
  g_assert_nonnull (strstr (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_ID_NUMBER), "18"));
  g_assert_false (gtk_widget_get_sensitive (f->issue));
}

static void
test_id_fills (FormFixture *f, gconstpointer data)
{
  WfIcardHolder h;

  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "1985-03-17");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_SEX), ==, "1");
  /* Another number: what the form filled follows it. */
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_FEMALE);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "1990-07-22");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_SEX), ==, "2");
  /* A lower-case x is taken as X. */
  type (f, WF_ICARD_FIELD_ID_NUMBER, "11010519491231002x");
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_ID_NUMBER));
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "1949-12-31");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_SEX), ==, "2");
  /* A number no longer valid takes what it gave away. */
  type (f, WF_ICARD_FIELD_ID_NUMBER, "1101051949");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_SEX), ==, "");

  /* What the clerk typed is never overwritten: a birth date that differs
   * is shown as the problem, at the birth date. */
  type (f, WF_ICARD_FIELD_NAME, "王芳");
  type (f, WF_ICARD_FIELD_BIRTH_DATE, "1990-07-23");
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_FEMALE);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_BIRTH_DATE), ==, "1990-07-23");
  g_assert_nonnull (strstr (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_BIRTH_DATE),
                            "differs from the one in the ID number"));
  g_assert_false (gtk_widget_get_sensitive (f->issue));
  type (f, WF_ICARD_FIELD_BIRTH_DATE, "1990/7/22");
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_BIRTH_DATE));
  g_assert_true (gtk_widget_get_sensitive (f->issue));
  g_assert_true (ic_holder_form_get_holder (f->form, &h));
  g_assert_cmpstr (h.birth_date, ==, "19900722");
  g_assert_cmpstr (h.sex, ==, "2");
  g_assert_cmpstr (h.insurance_category, ==, "390"); /* no employer code */
  wf_icard_holder_clear (&h);
}

static void
test_sex_against_id (FormFixture *f, gconstpointer data)
{
  type (f, WF_ICARD_FIELD_NAME, "张伟");
  type (f, WF_ICARD_FIELD_SEX, "2");
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_SEX), ==, "2"); /* the clerk's choice stays */
  g_assert_nonnull (strstr (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_SEX), "sex"));
  g_assert_false (gtk_widget_get_sensitive (f->issue));
  type (f, WF_ICARD_FIELD_SEX, "");
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_SEX));
  g_assert_true (gtk_widget_get_sensitive (f->issue));
}

static void
test_name_bytes (FormFixture *f, gconstpointer data)
{
  const char *thirty = "张伟张伟张伟张伟张伟"; /* 10 characters, 30 bytes */
  g_autofree char *thirty_one = g_strconcat (thirty, "A", NULL);
  const char *message;

  g_assert_cmpuint (strlen (thirty_one), ==, 31);
  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE);
  type (f, WF_ICARD_FIELD_NAME, thirty_one);
  message = ic_holder_form_get_message (f->form, WF_ICARD_FIELD_NAME);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "31 bytes"));
  g_assert_nonnull (strstr (message, "at most 30"));
  g_assert_false (gtk_widget_get_sensitive (f->issue));
  type (f, WF_ICARD_FIELD_NAME, thirty);
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_NAME));
  g_assert_true (gtk_widget_get_sensitive (f->issue));
}

static void
test_other_fields (FormFixture *f, gconstpointer data)
{
  static const struct {
    WfIcardField field;
    const char *bad, *good;
  } cases[] = {
    { WF_ICARD_FIELD_ETHNICITY, "60", "01" },
    { WF_ICARD_FIELD_EMPLOYER_CODE, "51040A", "5104001234" },
    { WF_ICARD_FIELD_VALID_UNTIL, "2035-02-30", "2035-02-28" },
    { WF_ICARD_FIELD_PERSONAL_NUMBER, "12-34", "1234" },
    { WF_ICARD_FIELD_BIRTH_DATE, "1985-13-01", "1985-03-17" },
  };
  WfIcardHolder h;

  type (f, WF_ICARD_FIELD_ID_NUMBER, ID_MALE);
  type (f, WF_ICARD_FIELD_NAME, "张伟");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      type (f, cases[i].field, cases[i].bad);
      g_assert_nonnull (ic_holder_form_get_message (f->form, cases[i].field));
      g_assert_false (gtk_widget_get_sensitive (f->issue));
      type (f, cases[i].field, cases[i].good);
      g_assert_null (ic_holder_form_get_message (f->form, cases[i].field));
      g_assert_true (gtk_widget_get_sensitive (f->issue));
    }
  type (f, WF_ICARD_FIELD_INSURANCE_CATEGORY, "320");
  g_assert_true (ic_holder_form_get_holder (f->form, &h));
  g_assert_cmpstr (h.ethnicity, ==, "01");
  g_assert_cmpstr (h.employer_code, ==, "5104001234");
  g_assert_cmpstr (h.valid_until, ==, "20350228");
  g_assert_cmpstr (h.personal_number, ==, "1234");
  g_assert_cmpstr (h.insurance_category, ==, "320");
  wf_icard_holder_clear (&h);
}

static void
test_load (FormFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  WfIcardHolder in = { 0 }, out;
  GtkWidget *id = ic_holder_form_get_field_widget (f->form, WF_ICARD_FIELD_ID_NUMBER);

  ui_holder (&in, ID_FEMALE, "李娜");
  g_assert_true (wf_icard_holder_set (&in, WF_ICARD_FIELD_EMPLOYER_CODE, "5104001234", &error));
  g_assert_true (wf_icard_holder_set (&in, WF_ICARD_FIELD_VALID_UNTIL, "20340105", &error));
  g_assert_true (wf_icard_holder_complete (&in, &error));
  g_assert_no_error (error);

  ic_holder_form_set_holder (f->form, &in);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_NAME), ==, "李娜");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_VALID_UNTIL), ==, "2034-01-05");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_INSURANCE_CATEGORY), ==, "310");
  g_assert_true (ic_holder_form_get_valid (f->form));
  g_assert_true (ic_holder_form_get_holder (f->form, &out));
  g_assert_cmpmem (&in, sizeof in, &out, sizeof out);

  /* A rewrite shows the number but does not let it change. */
  ic_holder_form_set_id_editable (f->form, FALSE);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (id)));

  ic_holder_form_clear (f->form);
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_NAME), ==, "");
  g_assert_cmpstr (shown (f, WF_ICARD_FIELD_ID_NUMBER), ==, "");
  g_assert_false (ic_holder_form_get_valid (f->form));
  g_assert_false (ic_holder_form_get_holder (f->form, &out));
  g_assert_null (ic_holder_form_get_message (f->form, WF_ICARD_FIELD_NAME));
  wf_icard_holder_clear (&in);
  wf_icard_holder_clear (&out);
}

/* Every field has a label with a mnemonic that focuses it. */
static void
test_mnemonics (FormFixture *f, gconstpointer data)
{
  for (guint i = 0; i < WF_ICARD_N_FIELDS; i++)
    {
      GtkWidget *w = ic_holder_form_get_field_widget (f->form, i);
      g_autoptr (GList) labels = gtk_widget_list_mnemonic_labels (w);

      g_assert_cmpuint (g_list_length (labels), ==, 1);
      g_assert_true (gtk_label_get_use_underline (labels->data));
      g_assert_cmpuint (gtk_label_get_mnemonic_keyval (labels->data), !=, GDK_KEY_VoidSymbol);
    }
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
#define ADD(path, fn) g_test_add (path, FormFixture, NULL, form_setup, fn, form_teardown)
  ADD ("/ui/holder-form/empty", test_empty);
  ADD ("/ui/holder-form/bad-check-digit", test_bad_check_digit);
  ADD ("/ui/holder-form/id-fills-birth-date-and-sex", test_id_fills);
  ADD ("/ui/holder-form/sex-against-id", test_sex_against_id);
  ADD ("/ui/holder-form/name-bytes", test_name_bytes);
  ADD ("/ui/holder-form/other-fields", test_other_fields);
  ADD ("/ui/holder-form/load", test_load);
  ADD ("/ui/holder-form/mnemonics", test_mnemonics);
#undef ADD
  return ui_run ();
}
