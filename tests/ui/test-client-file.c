/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client's file in the real main view inside a toast overlay: the row
 * that opens the return plan (or makes one), the summary and the plan
 * printed to PDF and recorded in the audit, a failed print shown as a
 * toast; closing the file with an outcome and removing a plan step, each
 * put back with Undo from the toast; the duplicate check at intake,
 * consent per scope, the timeline, the file's delivery to the office and
 * its read on the reader's thread; where the keyboard lands and what a
 * screen reader is told. */
#include "config.h"

#define G_LOG_DOMAIN "test-client-file"

#include <adwaita.h>
#include <string.h>

#include "koers-client-page.h"
#include "koers-conversation-editor.h"
#include "koers-labels.h"
#include "koers-main-view.h"
#include "koers-country-row.h"
#include "koers-date-row.h"
#include "koers-plan-page.h"
#include "koers-test-util.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

#define CLIENT_NAME "Selam Tesfamariam ሰላም"

typedef struct
{
  KoersStoreFixture  base;
  KoersStore        *store;   /* base.store */
  char          *client_id;
  GtkWidget     *window;
  GtkWidget     *overlay;
  KoersMainView *view;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  koers_store_fixture_set_up (&f->base, data);
  f->store = f->base.store;
  f->client_id = koers_test_add_client (f->store, CLIENT_NAME, KOERS_PHASE_ORIENTATION);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 800);
  f->overlay = adw_toast_overlay_new ();
  f->view = koers_main_view_new (f->store, f->base.reader);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (f->overlay), GTK_WIDGET (f->view));
  gtk_window_set_child (GTK_WINDOW (f->window), f->overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  koers_test_settle ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_main_view_close (f->view);
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_settle ();
  koers_store_fixture_tear_down (&f->base, data);
  g_free (f->client_id);
}

static gboolean
page_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

/* Runs the main loop until the page's read (or duplicate check) is in. */
static void
wait_for_page (KoersClientPage *page)
{
  koers_test_wait_until (page_read, page, 20);
  koers_test_settle ();
}

static void
reload (KoersClientPage *page)
{
  koers_client_page_reload (page);
  wait_for_page (page);
}

static KoersClientPage *
open_client (Fixture    *f,
             const char *client_id)
{
  GtkWidget *page;

  koers_main_view_show_client (f->view, client_id);
  page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  wait_for_page (KOERS_CLIENT_PAGE (page));
  return KOERS_CLIENT_PAGE (page);
}

static KoersClientPage *
open_file (Fixture *f)
{
  return open_client (f, f->client_id);
}

static GtkWidget *
child (KoersClientPage *page,
       const char      *name)
{
  return koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, name);
}

/* The first widget under @root that is a label showing @text, or a button
 * labelled @text. */
static GtkWidget *
find_text (GtkWidget  *root,
           const char *text)
{
  if ((GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0) ||
      (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_text (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Audit rows of the client with @entity. */
static guint
count_audit (Fixture    *f,
             const char *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = koers_store_list_audit (f->store, f->client_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      KoersAuditEntry *entry = g_ptr_array_index (rows, i);

      if (g_str_equal (entry->action, "export") && g_strcmp0 (entry->entity, entity) == 0)
        n++;
    }
  return n;
}

static void
add_plan (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(KoersReturnStep) step = koers_return_step_new ();

  plan->client_id = g_strdup (f->client_id);
  plan->country = g_strdup ("ER");
  plan->status = KOERS_PLAN_AGREED;
  g_assert_true (koers_store_add_return_plan (f->store, plan, &error));
  step->plan_id = g_strdup (plan->id);
  step->description = g_strdup ("Reisdocument ophalen");
  step->owner = KOERS_OWNER_CLIENT;
  g_assert_true (koers_store_add_return_step (f->store, step, &error));
  g_assert_no_error (error);
}

static void
test_plan_row (Fixture       *f,
               gconstpointer  data)
{
  KoersClientPage *page = open_file (f);
  AdwActionRow *row = ADW_ACTION_ROW (child (page, "plan_row"));
  g_autofree char *expected = NULL;

  /* No plan yet: the row offers to make one, and opens the plan page. */
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Make a Return Plan");
  gtk_widget_activate (GTK_WIDGET (row));
  koers_test_settle ();
  g_assert_true (KOERS_IS_PLAN_PAGE (koers_main_view_get_visible_page (f->view)));
  g_assert_null (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (koers_main_view_get_visible_page (f->view))));
  g_assert_true (koers_main_view_pop_page (f->view));
  koers_test_settle ();

  /* With a plan: its status and country. */
  add_plan (f);
  reload (page);
  expected = g_strdup_printf ("%s · Eritrea", koers_label_plan_status (KOERS_PLAN_AGREED));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Return Plan");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);
  gtk_widget_activate_action (GTK_WIDGET (page), "client.show-plan", NULL);
  koers_test_settle ();
  g_assert_nonnull (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (koers_main_view_get_visible_page (f->view))));
  g_assert_true (koers_main_view_pop_page (f->view));
  koers_test_settle ();
  koers_test_settle ();
}

typedef struct
{
  Fixture    *fixture;
  const char *entity;
} AuditWait;

static gboolean
audited (gpointer data)
{
  AuditWait *wait = data;

  return count_audit (wait->fixture, wait->entity) > 0;
}

static char *
pdf_text (const char *pdf)
{
  g_autofree char *out = NULL;
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  int status = 0;
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };

  if (program == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_print (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *summary_pdf = g_build_filename (f->base.tmp, "summary.pdf", NULL);
  g_autofree char *plan_pdf = g_build_filename (f->base.tmp, "plan.pdf", NULL);
  g_autofree char *summary = NULL;
  g_autofree char *plan = NULL;
  KoersClientPage *page;
  GtkWidget *plan_page;
  AuditWait summary_wait = { f, "file_client" };
  AuditWait plan_wait = { f, "file_return_plan" };

  add_plan (f);
  page = open_file (f);
  g_assert_cmpuint (count_audit (f, "file_client"), ==, 0);
  koers_client_page_print (page, summary_pdf);
  koers_test_wait_until (audited, &summary_wait, 30);
  g_assert_cmpuint (count_audit (f, "file_client"), ==, 1);
  g_assert_cmpuint (count_audit (f, "file_return_plan"), ==, 0);
  g_assert_true (g_file_test (summary_pdf, G_FILE_TEST_IS_REGULAR));

  gtk_widget_activate_action (GTK_WIDGET (page), "client.show-plan", NULL);
  koers_test_settle ();
  plan_page = koers_main_view_get_visible_page (f->view);
  koers_plan_page_print (KOERS_PLAN_PAGE (plan_page), plan_pdf);
  koers_test_wait_until (audited, &plan_wait, 30);
  g_assert_cmpuint (count_audit (f, "file_client"), ==, 1);
  /* No toast: nothing went wrong. */
  g_assert_null (find_text (f->overlay, "Printing did not work. Check the printer and try again."));

  summary = pdf_text (summary_pdf);
  plan = pdf_text (plan_pdf);
  if (summary == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (summary, "Client Summary"));
  g_assert_nonnull (strstr (summary, "Selam Tesfamariam"));
  g_assert_nonnull (strstr (plan, "Return Plan"));
  g_assert_nonnull (strstr (plan, "Reisdocument ophalen"));
}

static gboolean
print_dialog_shown (gpointer data)
{
  GtkWidget **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && *dialog == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      /* By name: its header is in gtk4-unix-print, which the app needs not. */
      if (g_str_equal (G_OBJECT_TYPE_NAME (window), "GtkPrintUnixDialog") &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        *dialog = GTK_WIDGET (window);
    }
  return *dialog != NULL;
}

/* Ctrl+P's action opens the print dialog beside the window (the main loop
 * runs on); cancelling it prints and records nothing. */
static void
test_print_dialog (Fixture       *f,
                   gconstpointer  data)
{
  KoersClientPage *page = open_file (f);
  GtkWidget *dialog = NULL;

  gtk_widget_activate_action (GTK_WIDGET (page), "client.print", NULL);
  koers_test_wait_until (print_dialog_shown, &dialog, 30);
  /* The dialog says that a file is an export in clear (issue 14). */
  g_assert_nonnull (find_text (dialog, "“Print to File” writes this client’s data to the disk unencrypted, "
                                       "like koers-cli export: Koers records it in the audit as an export "
                                       "to a file. Print on paper when you can; otherwise delete the file "
                                       "when it has served its purpose."));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  koers_test_settle ();
  g_assert_cmpuint (count_audit (f, "printed_client"), ==, 0);
  g_assert_null (find_text (f->overlay, "Printing did not work. Check the printer and try again."));
}

static gboolean
toast_shown (gpointer data)
{
  Fixture *f = data;

  return find_text (f->overlay, "Printing did not work. Check the printer and try again.") != NULL;
}

/* A PDF that cannot be written: a toast, no crash, nothing audited. */
static void
test_print_fails (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->base.tmp, "no-such-folder", "summary.pdf", NULL);
  KoersClientPage *page = open_file (f);

  koers_client_page_print (page, pdf);
  koers_test_wait_until (toast_shown, f, 30);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_audit (f, "printed_client"), ==, 0);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* The newest change to the client's own record. */
static KoersChange *
last_client_change (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = koers_store_list_changes (f->store, 0, 0, &error);

  g_assert_no_error (error);
  for (guint i = changes->len; i > 0; i--)
    {
      KoersChange *change = g_ptr_array_index (changes, i - 1);

      if (g_str_equal (change->entity, "client") && g_str_equal (change->entity_id, f->client_id))
        return g_ptr_array_steal_index (changes, i - 1);
    }
  g_assert_not_reached ();
}

static void
test_close_undo (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) closed = NULL;
  g_autoptr(KoersClient) reopened = NULL;
  g_autoptr(KoersChange) close_change = NULL;
  g_autoptr(KoersChange) undo_change = NULL;
  KoersClientPage *page = open_file (f);
  AdwMessageDialog *dialog;
  GtkWidget *undo;

  g_assert_true (gtk_widget_is_visible (child (page, "close_row")));
  gtk_widget_activate (child (page, "close_row"));
  koers_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* Cancel changes nothing. */
  gtk_widget_activate (find_text (GTK_WIDGET (dialog), "_Cancel"));
  koers_test_settle ();
  g_assert_null (find_dialog ());
  closed = koers_store_get_client (f->store, f->client_id, &error);
  g_assert_cmpint (closed->phase, ==, KOERS_PHASE_ORIENTATION);
  g_clear_pointer (&closed, koers_client_free);

  /* Typed but not saved: closing keeps it in the form. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, "languages_row")), "Tigrinya");
  gtk_widget_activate_action (GTK_WIDGET (page), "client.close-file", NULL);
  koers_test_settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog)), KOERS_OUTCOME_RETURNED);
  gtk_widget_activate (find_text (GTK_WIDGET (dialog), "_Close File"));
  koers_test_settle ();

  closed = koers_store_get_client (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (closed->phase, ==, KOERS_PHASE_CLOSED);
  g_assert_cmpint (closed->outcome, ==, KOERS_OUTCOME_RETURNED);
  g_assert_nonnull (closed->closed_on);
  g_assert_false (gtk_widget_is_visible (child (page, "close_row")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (page, "phase_row"))), ==, KOERS_PHASE_CLOSED);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "languages_row"))), ==, "Tigrinya");
  close_change = last_client_change (f);
  g_test_message ("close: %s", close_change->fields);
  g_assert_nonnull (strstr (close_change->fields, "\"phase\":\"closed\""));
  g_assert_nonnull (strstr (close_change->fields, "\"outcome\":\"returned\""));

  /* The toast says what happened, to no one in particular. */
  g_assert_nonnull (find_text (f->overlay, "File closed"));
  undo = find_text (f->overlay, "_Undo");
  g_assert_nonnull (undo);
  gtk_widget_activate (undo);
  koers_test_settle ();

  reopened = koers_store_get_client (f->store, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reopened->phase, ==, KOERS_PHASE_ORIENTATION);
  g_assert_cmpint (reopened->outcome, ==, KOERS_OUTCOME_UNKNOWN);
  g_assert_null (reopened->closed_on);
  g_assert_true (gtk_widget_is_visible (child (page, "close_row")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (page, "phase_row"))), ==,
                    KOERS_PHASE_ORIENTATION);
  /* The undo is a change of its own, after the close, that syncs like any. */
  undo_change = last_client_change (f);
  g_test_message ("undo: %s", undo_change->fields);
  g_assert_cmpint (undo_change->seq, >, close_change->seq);
  g_assert_cmpstr (undo_change->op, ==, "update");
  g_assert_nonnull (strstr (undo_change->fields, "\"phase\":\"orientation\""));
  g_assert_nonnull (strstr (undo_change->fields, "\"outcome\":null"));
  g_assert_nonnull (strstr (undo_change->fields, "\"closed_on\":null"));
}

static GtkWidget *
find_step_button (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && g_object_get_data (G_OBJECT (root), "step-id") != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_step_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GPtrArray *
list_steps (Fixture    *f,
            const char *plan_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *steps = koers_store_list (f->store, KOERS_ENTITY_RETURN_STEP, plan_id, &error);

  g_assert_no_error (error);
  return steps;
}

/* A plan step removed with one click comes back with Undo: the store has
 * a tombstone for the old one and a new record with the same content. */
static void
test_remove_step_undo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *removed_id = NULL;
  g_autofree char *plan_id = NULL;
  GtkWidget *plan_page;
  GtkWidget *remove;
  KoersReturnStep *restored;

  add_plan (f);
  gtk_widget_activate_action (GTK_WIDGET (open_file (f)), "client.show-plan", NULL);
  koers_test_settle ();
  plan_page = koers_main_view_get_visible_page (f->view);
  plan_id = g_strdup (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (plan_page)));
  before = list_steps (f, plan_id);
  g_assert_cmpuint (before->len, ==, 1);
  removed_id = g_strdup (((KoersReturnStep *) g_ptr_array_index (before, 0))->id);

  remove = find_step_button (plan_page);
  g_assert_nonnull (remove);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (remove), ==, "Remove Step");
  gtk_widget_activate (remove);
  koers_test_settle ();
  gone = list_steps (f, plan_id);
  g_assert_cmpuint (gone->len, ==, 0);
  g_assert_null (find_step_button (plan_page));
  g_assert_nonnull (find_text (f->overlay, "Step removed"));

  gtk_widget_activate (find_text (f->overlay, "_Undo"));
  koers_test_settle ();
  back = list_steps (f, plan_id);
  g_assert_false (gtk_widget_get_visible (koers_test_child (plan_page, KOERS_TYPE_PLAN_PAGE, "error_label")));
  g_assert_cmpuint (back->len, ==, 1);
  restored = g_ptr_array_index (back, 0);
  g_assert_cmpstr (restored->description, ==, "Reisdocument ophalen");
  g_assert_cmpint (restored->owner, ==, KOERS_OWNER_CLIENT);
  g_assert_cmpstr (restored->id, !=, removed_id);
  g_assert_nonnull (find_step_button (plan_page));
  g_assert_null (find_text (f->overlay, "Step removed"));
}

/* Audit rows of the client with @action. */
static guint
count_action (Fixture    *f,
              const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = koers_store_list_audit (f->store, f->client_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    n += g_str_equal (((KoersAuditEntry *) g_ptr_array_index (rows, i))->action, action);
  return n;
}

/* Saving the file records the change, not another opening; the aliases
 * typed are saved with it. */
static void
test_save_is_not_open (Fixture       *f,
                       gconstpointer  data)
{
  KoersClientPage *page = open_file (f);
  g_autoptr(GPtrArray) aliases = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = count_action (f, "change");

  g_assert_cmpuint (count_action (f, "open"), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "aliases_row")), "Selam, ሰላም");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "birth_year_row")), "1994");
  koers_test_save (GTK_WIDGET (page), "client.save", f->base.reader);
  koers_test_settle ();
  g_assert_false (gtk_widget_get_visible (child (page, "form_error")));
  g_assert_cmpuint (count_action (f, "open"), ==, 1);
  g_assert_cmpuint (count_action (f, "change"), >, changes);
  aliases = koers_store_list (f->store, KOERS_ENTITY_ALIAS, f->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aliases->len, ==, 2);

  /* Reading it again after a save elsewhere is no opening either. */
  reload (page);
  g_assert_cmpuint (count_action (f, "open"), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "aliases_row"))), ==, "Selam, ሰላም");
}

/* The referral row of @page's timeline whose title is @title, or NULL. */
static GtkWidget *
timeline_row (KoersClientPage *page,
              const char      *title)
{
  GtkWidget *list = child (page, "timeline_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

/* A conversation refers the client to an organisation with a reason; the
 * file's timeline shows the referral and its status, which changes there. */
static void
test_referral (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) counsellor = koers_worker_new ();
  g_autoptr(KoersReferralOrg) org = koers_referral_org_new ();
  g_autoptr(GPtrArray) referrals = NULL;
  g_autoptr(KoersReferral) stored = NULL;
  KoersClientPage *page;
  GtkWidget *editor;
  GtkWidget *referral_row;
  GtkWidget *row;
  GListModel *targets;

  counsellor->name = g_strdup ("Sara Hulpverlener");
  counsellor->role = KOERS_ROLE_COUNSELLOR;
  counsellor->active = TRUE;
  g_assert_true (koers_store_add_worker (f->store, counsellor, &error));
  org->name = g_strdup ("Rechtshulp Utrecht");
  org->kind = KOERS_ORG_KIND_LEGAL_AID;
  g_assert_true (koers_store_add_referral_org (f->store, org, &error));
  g_assert_no_error (error);

  page = open_file (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.new-conversation", NULL));
  koers_test_settle ();
  editor = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (editor));
  referral_row = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "referral_row");
  gtk_switch_set_active (GTK_SWITCH (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "signal_switch")), TRUE);
  g_assert_true (gtk_widget_get_visible (referral_row));
  g_assert_true (gtk_widget_get_visible (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "reason_row")));

  /* The counsellor, then the organisation, each said for what it is. */
  targets = adw_combo_row_get_model (ADW_COMBO_ROW (referral_row));
  g_assert_cmpuint (g_list_model_get_n_items (targets), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (targets), 0), ==, "Sara Hulpverlener (Counsellor)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (targets), 1), ==, "Rechtshulp Utrecht (Legal aid)");
  adw_combo_row_set_selected (ADW_COMBO_ROW (referral_row), 1);
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "reason_row")),
                         "Asielprocedure: advocaat nodig");
  g_assert_true (gtk_widget_activate_action (editor, "editor.refer", NULL));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (referral_row)), ==,
                   "Referred to Rechtshulp Utrecht (Legal aid)");

  referrals = koers_store_list (f->store, KOERS_ENTITY_REFERRAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (referrals->len, ==, 1);
  stored = koers_referral_copy (referrals->pdata[0]);
  g_assert_cmpstr (stored->organisation_id, ==, org->id);
  g_assert_null (stored->counsellor_id);
  g_assert_cmpstr (stored->reason, ==, "Asielprocedure: advocaat nodig");
  g_assert_cmpint (stored->status, ==, KOERS_REFERRAL_MADE);

  /* Back on the file: the referral with its status, changed on the spot. */
  page = open_file (f);
  row = timeline_row (page, "Referral to Rechtshulp Utrecht");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Asielprocedure: advocaat nodig"));
  {
    GtkDropDown *status = GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN));

    g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, KOERS_REFERRAL_MADE);
    gtk_drop_down_set_selected (status, KOERS_REFERRAL_ACCEPTED);
  }
  koers_test_wait_for_writes (f->base.reader);
  wait_for_page (page);
  g_clear_pointer (&stored, koers_referral_free);
  stored = koers_store_get_referral (f->store, ((KoersReferral *) referrals->pdata[0])->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->status, ==, KOERS_REFERRAL_ACCEPTED);
  row = timeline_row (page, "Referral to Rechtshulp Utrecht");
  /* The file, its referral row included, fits a window 360 pixels wide. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_test_message ("narrowest file page: %d px", minimum);
    g_assert_cmpint (minimum, <=, 360);
  }
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN))),
                    ==, KOERS_REFERRAL_ACCEPTED);
}

/* After a conversation is saved or a return plan started on their own
 * pages, going back to the file shows them: the file re-reads on the
 * store's "changed". A new client, once saved, has a "Client File". */
static void
test_stays_true (Fixture       *f,
                 gconstpointer  data)
{
  KoersClientPage *page = open_file (f);
  AdwActionRow *plan_row = ADW_ACTION_ROW (child (page, "plan_row"));
  GtkWidget *editor, *plan_page, *new_page;
  GtkTextBuffer *notes;

  g_assert_nonnull (timeline_row (page, "Nothing recorded yet"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.new-conversation", NULL));
  koers_test_settle ();
  editor = koers_main_view_get_visible_page (f->view);
  notes = gtk_text_view_get_buffer (GTK_TEXT_VIEW (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                                     "notes_view")));
  gtk_text_buffer_set_text (notes, "Eerste gesprek over terugkeer.", -1);
  koers_test_save (editor, "editor.save", f->base.reader);
  koers_test_settle ();
  if (koers_main_view_get_visible_page (f->view) == editor)
    g_assert_true (koers_main_view_pop_page (f->view));
  wait_for_page (page);
  g_assert_true (koers_main_view_get_visible_page (f->view) == GTK_WIDGET (page));
  g_assert_null (timeline_row (page, "Nothing recorded yet"));
  g_assert_nonnull (timeline_row (page, "Conversation"));

  g_assert_cmpstr (adw_action_row_get_subtitle (plan_row), ==, "No plan yet");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.show-plan", NULL));
  koers_test_settle ();
  plan_page = koers_main_view_get_visible_page (f->view);
  koers_country_row_search (KOERS_COUNTRY_ROW (koers_test_child (plan_page, KOERS_TYPE_PLAN_PAGE, "create_country_row")),
                            "Georgia");
  koers_country_row_choose_first (KOERS_COUNTRY_ROW (koers_test_child (plan_page, KOERS_TYPE_PLAN_PAGE,
                                                                       "create_country_row")));
  g_assert_true (gtk_widget_activate_action (plan_page, "plan.create", NULL));
  g_assert_nonnull (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (plan_page)));
  /* The plan page's title follows the plan. */
  koers_test_settle ();
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (koers_test_find_descendant (
                     gtk_widget_get_parent (plan_page), ADW_TYPE_WINDOW_TITLE))), ==, "Return Plan to Georgia");
  g_assert_true (koers_main_view_pop_page (f->view));
  wait_for_page (page);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (plan_row)), ==, "Return Plan");

  /* A new client: "New Client" until saved, then its file. */
  koers_main_view_new_client (f->view);
  koers_test_settle ();
  new_page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (new_page));
  g_assert_nonnull (koers_test_find_descendant (gtk_widget_get_parent (new_page), ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (koers_test_find_descendant (
                     gtk_widget_get_parent (new_page), ADW_TYPE_WINDOW_TITLE))), ==, "New Client");
  gtk_switch_set_active (GTK_SWITCH (koers_test_child (new_page, KOERS_TYPE_CLIENT_PAGE, "consent_switch")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (new_page, KOERS_TYPE_CLIENT_PAGE, "name_row")), "Nino Beridze");
  koers_test_save (new_page, "client.save", f->base.reader);
  koers_test_settle ();
  g_assert_nonnull (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (new_page)));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (koers_test_find_descendant (
                     gtk_widget_get_parent (new_page), ADW_TYPE_WINDOW_TITLE))), ==, "Client File");
}

/* The rows of a list box of the page, as "title\nsubtitle" strings. */
static GPtrArray *
list_rows (KoersClientPage *page,
           const char      *list_name)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (child (page, list_name)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_ptr_array_add (rows, g_strdup_printf ("%s\n%s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: ""));
  return rows;
}

static void
set_birth_year (Fixture    *f,
                const char *client_id,
                int         year)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_store_get_client (f->store, client_id, &error);

  client->birth_year = year;
  client->country_of_origin = g_strdup ("SY");
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
}

static guint
count_clients (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = koers_store_list (f->store, KOERS_ENTITY_CLIENT, NULL, &error);

  g_assert_no_error (error);
  return clients->len;
}

static KoersClientPage *
new_client (Fixture *f)
{
  GtkWidget *page;

  koers_main_view_new_client (f->view);
  koers_test_settle ();
  page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  return KOERS_CLIENT_PAGE (page);
}

static void
type_identity (KoersClientPage *page,
               const char      *name,
               const char      *year)
{
  gtk_editable_set_text (GTK_EDITABLE (child (page, "name_row")), name);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "birth_year_row")), year);
  wait_for_page (page);
}

/* A new client typed in Latin letters as a volunteer hears the name: the
 * file of the same person, written in Arabic with vowel marks, is offered;
 * choosing it opens that file and adds nobody. Someone else with the same
 * first name, or the same name born long before, is not offered. */
static void
test_duplicate_offer (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *existing = koers_test_add_client (f->store, "مُحَمَّد الأحمد", KOERS_PHASE_ORIENTATION);
  g_autofree char *other = koers_test_add_client (f->store, "Mohammed Karimi", KOERS_PHASE_INTAKE);
  g_autoptr(GPtrArray) offered = NULL;
  KoersClientPage *page;
  GtkWidget *group, *row, *opened;
  guint before;

  set_birth_year (f, existing, 1988);
  set_birth_year (f, other, 1988);
  before = count_clients (f);
  page = new_client (f);
  group = child (page, "duplicates_group");
  g_assert_false (gtk_widget_get_visible (group));

  /* The same name, born long before: someone else. */
  type_identity (page, "Mohammed Alahmad", "1950");
  g_assert_false (gtk_widget_get_visible (group));

  type_identity (page, "Mohammed Alahmad", "1988");
  g_assert_true (gtk_widget_get_visible (group));
  offered = list_rows (page, "duplicates_list");
  g_assert_cmpuint (offered->len, ==, 1);   /* not Mohammed Karimi: one word in common */
  g_assert_cmpstr (offered->pdata[0], ==, "مُحَمَّد الأحمد\nborn 1988 · Syria · Orientation");

  /* Choosing it opens that file instead; the new client's form is gone. */
  row = gtk_widget_get_first_child (child (page, "duplicates_list"));
  g_signal_emit_by_name (child (page, "duplicates_list"), "row-activated", row);
  koers_test_settle ();
  opened = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (opened));
  g_assert_cmpstr (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (opened)), ==, existing);
  wait_for_page (KOERS_CLIENT_PAGE (opened));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (koers_test_child (opened, KOERS_TYPE_CLIENT_PAGE, "header_name"))),
                   ==, "مُحَمَّد الأحمد");
  g_assert_true (koers_main_view_pop_page (f->view));
  g_assert_false (koers_main_view_pop_page (f->view));
  g_assert_cmpuint (count_clients (f), ==, before);
}

/* Typed, then saved at once: the check never offers the client's own
 * file, and the page's title follows the record. */
static void
test_title_after_save (Fixture       *f,
                       gconstpointer  data)
{
  KoersClientPage *page = new_client (f);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), ==, "New Client");
  gtk_switch_set_active (GTK_SWITCH (child (page, "consent_switch")), TRUE);
  type_identity (page, "Selam Tesfamariam", "1994");
  /* The fixture's client (no year of birth): the same name, offered. */
  g_assert_true (gtk_widget_get_visible (child (page, "duplicates_group")));
  koers_test_save (GTK_WIDGET (page), "client.save", f->base.reader);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), ==, "Selam Tesfamariam");
  g_assert_false (gtk_widget_get_visible (child (page, "duplicates_group")));
  wait_for_page (page);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), ==, "Selam Tesfamariam");
  g_assert_false (gtk_widget_get_visible (child (page, "duplicates_group")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (page, "save_button"))), ==, "_Save Changes");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (koers_test_find_descendant (
                     gtk_widget_get_parent (GTK_WIDGET (page)), ADW_TYPE_WINDOW_TITLE))), ==, "Client File");

  /* Renamed elsewhere (another page, a merge): the header follows the
   * record, and the name being typed in the form is left alone. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KoersClient) stored = koers_store_get_client (f->store, koers_client_page_get_client_id (page), &error);

    gtk_editable_set_text (GTK_EDITABLE (child (page, "languages_row")), "Tigrinya");
    g_free (stored->name);
    stored->name = g_strdup ("ሰላም ተስፋማርያም");
    g_assert_true (koers_store_update_client (f->store, stored, &error));
    g_assert_no_error (error);
    koers_test_settle ();
    wait_for_page (page);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), ==, "ሰላም ተስፋማርያም");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "languages_row"))), ==, "Tigrinya");
  }
}

/* The records of @kind of the client, oldest first. */
static GPtrArray *
consents_of (Fixture          *f,
             KoersConsentKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = koers_store_list (f->store, KOERS_ENTITY_CONSENT, f->client_id, &error);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (((KoersConsent *) all->pdata[i])->kind == kind)
      g_ptr_array_add (found, koers_consent_copy (all->pdata[i]));
  return found;
}

/* A plan with a partner organisation abroad; FALSE with @error without
 * the consent to share. */
static gboolean
plan_with_partner (Fixture  *f,
                   GError  **error)
{
  g_autoptr(KoersPartnerOrg) partner = koers_partner_org_new ();
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();

  partner->name = g_strdup ("Partner Tbilisi");
  partner->country = g_strdup ("GE");
  g_assert_true (koers_store_add_partner_org (f->store, partner, NULL));
  plan->client_id = g_strdup (f->client_id);
  plan->country = g_strdup ("GE");
  plan->partner_id = g_strdup (partner->id);
  return koers_store_add_return_plan (f->store, plan, error);
}

static const char *
subtitle_of (KoersClientPage *page,
             const char      *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, row)));
}

/* Consent per scope, with its date and how it was given: shown again
 * after reading the file anew; without the share scope no partner can be
 * on the plan, and the page says so; switching a scope off is a new
 * record (a withdrawal); a date that cannot be read saves nothing. */
static void
test_consent_scopes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shared = NULL;
  g_autoptr(GPtrArray) withdrawn = NULL;
  g_autofree char *date = koers_test_days_from_today (f->store, -3);
  g_autofree char *typed = g_strdup_printf ("%.2s-%.2s-%.4s", date + 8, date + 5, date);
  g_autofree char *shown = koers_label_date (date);
  g_autofree char *given = g_strdup_printf ("Given on %s, spoken.", shown);
  KoersClientPage *page = open_file (f);

  g_assert_true (gtk_switch_get_active (GTK_SWITCH (child (page, "consent_switch"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (page, "share_switch"))));
  g_assert_cmpstr (subtitle_of (page, "share_row"), ==,
                   "Not asked yet. Without it, no partner organisation abroad can be chosen on the return plan.");
  g_assert_false (plan_with_partner (f, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);
  g_clear_error (&error);

  /* A date that is no date: said in the consent's own message line. */
  gtk_switch_set_active (GTK_SWITCH (child (page, "share_switch")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "consent_date_row")), "31-02-2026");
  koers_test_save (GTK_WIDGET (page), "client.save", f->base.reader);
  g_assert_true (gtk_widget_get_visible (child (page, "consent_error")));
  g_assert_false (koers_store_has_consent (f->store, f->client_id, KOERS_CONSENT_SHARE_PARTNER));

  gtk_editable_set_text (GTK_EDITABLE (child (page, "consent_date_row")), typed);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "consent_how_row")), KOERS_CONSENT_SPOKEN);
  koers_test_save (GTK_WIDGET (page), "client.save", f->base.reader);
  g_assert_false (gtk_widget_get_visible (child (page, "consent_error")));
  shared = consents_of (f, KOERS_CONSENT_SHARE_PARTNER);
  g_assert_cmpuint (shared->len, ==, 1);
  g_assert_true (((KoersConsent *) shared->pdata[0])->granted);
  g_assert_cmpstr (((KoersConsent *) shared->pdata[0])->recorded_on, ==, date);
  g_assert_cmpint (((KoersConsent *) shared->pdata[0])->given_how, ==, KOERS_CONSENT_SPOKEN);
  g_assert_true (plan_with_partner (f, &error));
  g_assert_no_error (error);
  /* Reporting was not asked: still not given. */
  g_assert_false (koers_store_has_consent (f->store, f->client_id, KOERS_CONSENT_PSEUDONYMOUS_REPORTING));

  /* The file read anew, in a page of its own. */
  g_assert_true (koers_main_view_pop_page (f->view));
  page = open_file (f);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (child (page, "share_switch"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (page, "reporting_switch"))));
  g_assert_cmpstr (subtitle_of (page, "share_row"), ==, given);

  /* Withdrawn: a record of its own; the first stays. */
  gtk_switch_set_active (GTK_SWITCH (child (page, "share_switch")), FALSE);
  koers_test_save (GTK_WIDGET (page), "client.save", f->base.reader);
  wait_for_page (page);
  withdrawn = consents_of (f, KOERS_CONSENT_SHARE_PARTNER);
  g_assert_cmpuint (withdrawn->len, ==, 2);
  g_assert_false (koers_store_has_consent (f->store, f->client_id, KOERS_CONSENT_SHARE_PARTNER));
  g_assert_true (g_str_has_prefix (subtitle_of (page, "share_row"), "Not given or withdrawn on "));
  g_assert_nonnull (strstr (subtitle_of (page, "share_row"), "no partner organisation abroad"));
}

static void
add_worker (Fixture    *f,
            const char *name,
            char      **id)
{
  g_autoptr(KoersWorker) worker = koers_worker_new ();

  worker->name = g_strdup (name);
  worker->role = KOERS_ROLE_VOLUNTEER;
  worker->active = TRUE;
  g_assert_true (koers_store_add_worker (f->store, worker, NULL));
  *id = g_strdup (worker->id);
}

static char *
add_conversation (Fixture    *f,
                  int         days,
                  const char *worker_id,
                  const char *notes)
{
  g_autoptr(KoersConversation) c = koers_conversation_new ();
  const char *topics[] = { "voluntary_return", NULL };
  const char *workers[] = { worker_id, NULL };
  g_autoptr(GError) error = NULL;

  c->client_id = g_strdup (f->client_id);
  c->held_on = koers_test_days_from_today (f->store, days);
  c->topics = g_strdupv ((char **) topics);
  c->worker_ids = g_strdupv ((char **) workers);
  c->notes = g_strdup (notes);
  g_assert_true (koers_store_add_conversation (f->store, c, &error));
  g_assert_no_error (error);
  return g_strdup (c->id);
}

static void
add_next_step (Fixture    *f,
               const char *conversation_id,
               const char *description,
               int         days,
               gboolean    done)
{
  g_autoptr(KoersNextStep) step = koers_next_step_new ();

  step->conversation_id = g_strdup (conversation_id);
  step->description = g_strdup (description);
  step->due_on = koers_test_days_from_today (f->store, days);
  step->done = done;
  g_assert_true (koers_store_add_next_step (f->store, step, NULL));
}

/* What is coming up apart from what happened: check-ins due in 2028 are
 * coming up, not the top of the history; the history is newest first; a
 * conversation says who held it, its topics and its notes' first line. */
static void
test_timeline (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *sara = NULL;
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  const int months[] = { 1, 3 };
  KoersClientPage *page;

  add_worker (f, "Sara de Vries", &sara);
  older = add_conversation (f, -10, sara, "Wil terug naar Georgië.\nTweede regel met meer.");
  newer = add_conversation (f, -2, sara, "\n  Zoekt werk in Tbilisi.");
  add_next_step (f, older, "Paspoort ophalen", -20, TRUE);
  add_next_step (f, newer, "IOM bellen", 5, FALSE);
  add_next_step (f, newer, "Huisarts vragen", -1, FALSE);
  plan->client_id = g_strdup (f->client_id);
  plan->country = g_strdup ("GE");
  plan->planned_departure = g_strdup ("2027-12-01");
  g_assert_true (koers_store_add_return_plan (f->store, plan, &error));
  g_assert_true (koers_store_schedule_checkins (f->store, plan->id, months, G_N_ELEMENTS (months), &error));
  g_assert_no_error (error);

  page = open_file (f);
  upcoming = list_rows (page, "upcoming_list");
  history = list_rows (page, "timeline_list");
  for (guint i = 0; i < upcoming->len; i++)
    g_test_message ("upcoming: %s", (char *) upcoming->pdata[i]);
  for (guint i = 0; i < history->len; i++)
    g_test_message ("history: %s", (char *) history->pdata[i]);

  /* Soonest first, the overdue one on top and marked. */
  g_assert_cmpuint (upcoming->len, ==, 4);
  g_assert_true (g_str_has_prefix (upcoming->pdata[0], "Next step\n"));
  g_assert_nonnull (strstr (upcoming->pdata[0], "Huisarts vragen"));
  g_assert_nonnull (find_text (gtk_widget_get_first_child (child (page, "upcoming_list")), "Overdue"));
  g_assert_nonnull (strstr (upcoming->pdata[1], "IOM bellen"));
  g_assert_true (g_str_has_prefix (upcoming->pdata[2], "Check-in after 1 month\n"));
  g_assert_nonnull (strstr (upcoming->pdata[2], "2028"));
  g_assert_true (g_str_has_prefix (upcoming->pdata[3], "Check-in after 3 months\n"));

  /* Newest first; no check-in in the history. */
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_true (g_str_has_prefix (history->pdata[0], "Conversation with Sara de Vries\n"));
  g_assert_true (g_str_has_suffix (history->pdata[0], " · Voluntary return · Zoekt werk in Tbilisi."));
  g_assert_true (g_str_has_suffix (history->pdata[1], " · Voluntary return · Wil terug naar Georgië."));
  g_assert_null (strstr (history->pdata[1], "Tweede regel"));
  g_assert_true (g_str_has_prefix (history->pdata[2], "Next step (done)\n"));
  for (guint i = 0; i < history->len; i++)
    g_assert_null (strstr (history->pdata[i], "Check-in"));
  /* The header's next date is the overdue step's. */
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (page, "header_summary"))), "next date due"));

  /* A step marked done elsewhere (Today) moves from coming up to history
   * by the store's "changed", without a reload. */
  {
    g_autoptr(GPtrArray) steps = koers_store_list (f->store, KOERS_ENTITY_NEXT_STEP, NULL, &error);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < steps->len; i++)
      if (g_str_equal (((KoersNextStep *) steps->pdata[i])->description, "IOM bellen"))
        g_assert_true (koers_store_set_step_done (f->store, KOERS_ENTITY_NEXT_STEP,
                                                  ((KoersNextStep *) steps->pdata[i])->id, TRUE, &error));
    g_assert_no_error (error);
    koers_test_settle ();
    wait_for_page (page);
    g_clear_pointer (&upcoming, g_ptr_array_unref);
    upcoming = list_rows (page, "upcoming_list");
    after = list_rows (page, "timeline_list");
    g_assert_cmpuint (upcoming->len, ==, 3);
    g_assert_cmpuint (after->len, ==, 4);
  }

  /* The plan given up: its check-ins will not happen, so they are not
   * coming up any more. */
  g_assert_true (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_CLOSED, NULL, &error));
  g_assert_no_error (error);
  koers_test_settle ();
  wait_for_page (page);
  g_clear_pointer (&upcoming, g_ptr_array_unref);
  upcoming = list_rows (page, "upcoming_list");
  g_assert_cmpuint (upcoming->len, ==, 1);
  g_assert_nonnull (strstr (upcoming->pdata[0], "Huisarts vragen"));
}

static const char *
delivery (KoersClientPage *page)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (page, "delivery_row")));
}

/* Cuts every change into batches, as a sync round does before it uploads. */
static void
cut_batches (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(GBytes) prev = NULL;
      g_autoptr(GBytes) lines = NULL;
      g_autoptr(GBytes) hash = NULL;
      gint64 epoch, first, last;
      guint n;

      g_assert_true (koers_store_sync_next_cut (f->store, &epoch, &first, &prev, &error));
      lines = koers_store_sync_read_changes (f->store, first - 1, 256 * 1024, &last, &n, &error);
      g_assert_no_error (error);
      if (n == 0)
        return;
      hash = g_bytes_new_take (g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, lines), 64);
      g_assert_true (koers_store_sync_store_batch (f->store, epoch, first, last, lines, hash, &error));
      g_assert_no_error (error);
    }
}

/* Whether the client's changes reached the office: only on this laptop
 * before it is enrolled; then waiting, sent (on the drop, not yet
 * confirmed) and arrived (acknowledged by the office). */
static void
test_delivery (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) enrollment = g_bytes_new_static ("enrolled", 8);
  g_autoptr(GPtrArray) sealed = NULL;
  KoersOutboxBatch *last;
  KoersClientPage *page = open_file (f);

  g_assert_true (gtk_widget_get_visible (child (page, "delivery_row")));
  g_assert_cmpstr (delivery (page), ==, "Only on this laptop");

  /* Enrolled (the engine reads the setting; its content is not read here). */
  g_assert_true (koers_store_sync_set_setting (f->store, "enrollment", enrollment, &error));
  reload (page);
  g_assert_cmpstr (delivery (page), ==, "Waiting to be sent");

  cut_batches (f);
  sealed = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sealed->len, >, 0);
  reload (page);
  g_assert_cmpstr (delivery (page), ==, "Waiting to be sent");   /* sealed is not sent */
  for (guint i = 0; i < sealed->len; i++)
    {
      KoersOutboxBatch *b = sealed->pdata[i];

      g_assert_true (koers_store_sync_mark_uploaded (f->store, b->epoch, b->first_seq, &error));
      g_assert_no_error (error);
    }
  reload (page);
  g_assert_cmpstr (delivery (page), ==, "Sent, not yet confirmed");

  last = sealed->pdata[sealed->len - 1];
  g_assert_true (koers_store_sync_apply_ack (f->store, last->epoch, last->last_seq, last->hash, NULL, &error));
  g_assert_no_error (error);
  reload (page);
  g_assert_cmpstr (delivery (page), ==, "Arrived at the office");
}

/* The file is read on the reader's thread: the page comes back at once,
 * showing that it reads; the file follows from the main loop. */
static void
test_read_off_main_thread (Fixture       *f,
                           gconstpointer  data)
{
  KoersClientPage *page = koers_client_page_new (f->store, f->base.reader, f->client_id);

  g_object_ref_sink (page);
  g_assert_true (koers_client_page_is_loading (page));
  g_assert_true (gtk_widget_get_visible (child (page, "loading_spinner")));
  g_assert_false (gtk_widget_get_visible (child (page, "scroller")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), !=, CLIENT_NAME);
  wait_for_page (page);
  g_assert_false (gtk_widget_get_visible (child (page, "loading_spinner")));
  g_assert_true (gtk_widget_get_visible (child (page, "scroller")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, "header_name"))), ==, CLIENT_NAME);
  g_object_unref (page);
}

static gboolean
focus_is_within (GtkWidget *window,
                 GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* The keyboard lands where a person starts: a file on its name (a
 * heading, so a screen reader says whose file it is), a new conversation
 * in its notes, the plan on its country. "Saved" and a wrong year of birth
 * are told through the control that has the focus, which says its own
 * description again when the focus leaves it. */
static void
test_first_focus (Fixture       *f,
                  gconstpointer  data)
{
  KoersClientPage *page = open_file (f);
  GtkWidget *heading = child (page, "header_name");
  GtkWidget *editor, *notes, *plan, *year;
  g_autofree char *said = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *invalid = NULL;

  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->window)) == heading);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (heading)), ==, GTK_ACCESSIBLE_ROLE_HEADING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.new-conversation", NULL));
  koers_test_settle ();
  editor = koers_main_view_get_visible_page (f->view);
  notes = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "notes_view");
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->window)) == notes);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Wil terug naar Asmara.", -1);
  koers_test_save (editor, "editor.save", f->base.reader);
  /* Saved from the notes: the keyboard goes on to "Add Addendum", which
   * says it. */
  notes = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_true (notes == koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "add_addendum_button"));
  gtk_test_accessible_assert_property (notes, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Saved");
  gtk_widget_grab_focus (GTK_WIDGET (koers_date_row_get_editable (KOERS_DATE_ROW (koers_test_child (
                           editor, KOERS_TYPE_CONVERSATION_EDITOR, "date_row")))));
  said = gtk_test_accessible_check_property (GTK_ACCESSIBLE (notes), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Saved");
  g_assert_nonnull (said);  /* no longer "Saved" */
  g_assert_true (koers_main_view_pop_page (f->view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.show-plan", NULL));
  koers_test_settle ();
  plan = koers_main_view_get_visible_page (f->view);
  g_assert_true (focus_is_within (f->window, koers_test_child (plan, KOERS_TYPE_PLAN_PAGE, "create_country_row")));
  g_assert_true (koers_main_view_pop_page (f->view));

  /* The year's error belongs to its field: said with it, marked invalid. */
  year = child (page, "birth_year_row");
  gtk_widget_grab_focus (year);
  gtk_editable_set_text (GTK_EDITABLE (year), "86");
  gtk_test_accessible_assert_property (year, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Type the year as four digits, for example 1990.");
  gtk_test_accessible_assert_state (year, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_editable_set_text (GTK_EDITABLE (year), "1986");
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (year), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "Type the year as four digits, for example 1990.");
  g_assert_nonnull (wrong);
  invalid = gtk_test_accessible_check_state (GTK_ACCESSIBLE (year), GTK_ACCESSIBLE_STATE_INVALID,
                                             GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_nonnull (invalid);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/client-file/plan-row", test_plan_row);
  ADD ("/ui/client-file/save-is-not-open", test_save_is_not_open);
  ADD ("/ui/client-file/print", test_print);
  ADD ("/ui/client-file/print-fails", test_print_fails);
  ADD ("/ui/client-file/print-dialog", test_print_dialog);
  ADD ("/ui/client-file/close-undo", test_close_undo);
  ADD ("/ui/client-file/remove-step-undo", test_remove_step_undo);
  ADD ("/ui/client-file/referral", test_referral);
  ADD ("/ui/client-file/stays-true", test_stays_true);
  ADD ("/ui/client-file/duplicate-offer", test_duplicate_offer);
  ADD ("/ui/client-file/title-after-save", test_title_after_save);
  ADD ("/ui/client-file/consent-scopes", test_consent_scopes);
  ADD ("/ui/client-file/timeline", test_timeline);
  ADD ("/ui/client-file/delivery", test_delivery);
  ADD ("/ui/client-file/read-off-main-thread", test_read_off_main_thread);
  ADD ("/ui/client-file/first-focus", test_first_focus);
  return g_test_run ();
}
