/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The return plan page: steps and check-ins from the store, a step added
 * and ticked off, a yes/no indicator saved; the plan and the client
 * summary printed to PDF hold the steps' text (pdftotext), and a page is
 * rasterised (pdftoppm) for a person to look at. */
#include "config.h"

#define G_LOG_DOMAIN "test-plan"

#include <adwaita.h>
#include <string.h>

#include "koers-plan-page.h"
#include "koers-print.h"
#include "koers-test-util.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

#define STEP_TEXT "Reisdocument ophalen bij de ambassade"

typedef struct
{
  KoersStoreFixture  base;
  KoersStore        *store;   /* base.store */
  char              *client_id;
  char              *plan_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(KoersReturnStep) step = koers_return_step_new ();

  koers_store_fixture_set_up (&f->base, data);
  f->store = f->base.store;
  f->client_id = koers_test_add_client (f->store, "Selam Tesfamariam ሰላም", KOERS_PHASE_INTAKE);
  plan->client_id = g_strdup (f->client_id);
  plan->country = g_strdup ("ER");
  plan->planned_departure = g_strdup ("2026-12-15");
  plan->status = KOERS_PLAN_AGREED;
  g_assert_true (koers_store_add_return_plan (f->store, plan, &error));
  g_assert_no_error (error);
  f->plan_id = g_strdup (plan->id);
  step->plan_id = g_strdup (plan->id);
  step->description = g_strdup (STEP_TEXT);
  step->owner = KOERS_OWNER_CLIENT;
  step->due_on = g_strdup ("2026-12-01");
  g_assert_true (koers_store_add_return_step (f->store, step, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_store_fixture_tear_down (&f->base, data);
  g_free (f->client_id);
  g_free (f->plan_id);
}

static GtkWidget *
child (GtkWidget  *page,
       const char *name)
{
  return koers_test_child (page, KOERS_TYPE_PLAN_PAGE, name);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static void
test_page (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) checkins = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = koers_plan_page_new (f->store, f->client_id);
  GtkWidget *expander;
  KoersCheckin *first;
  g_autoptr(KoersCheckin) saved = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 800);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();

  g_assert_false (gtk_widget_get_visible (child (page, "create_group")));
  g_assert_cmpstr (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)), ==, f->plan_id);
  /* The existing step and the new-step row. */
  g_assert_cmpuint (count_rows (child (page, "steps_list")), ==, 2);

  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_row")), "Huisvesting regelen");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_due_entry")), "niet-een-datum");
  gtk_widget_activate_action (page, "plan.add-step", NULL);
  /* A date that cannot be read is said in words, not only in red. */
  g_assert_true (gtk_widget_get_visible (child (page, "error_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "error_label"))), ==,
                   "This date cannot be read. Type it as 10-12-2026.");
  /* A Dutch date, and Enter in the date field adds the step. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_due_entry")), "10-12-2026");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (page, "owner_dropdown")), KOERS_OWNER_PARTNER);
  g_signal_emit_by_name (child (page, "step_due_entry"), "activate");
  g_assert_false (gtk_widget_get_visible (child (page, "error_label")));
  steps = koers_store_list (f->store, KOERS_ENTITY_RETURN_STEP, f->plan_id, &error);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (((KoersReturnStep *) g_ptr_array_index (steps, 1))->owner, ==, KOERS_OWNER_PARTNER);
  g_assert_cmpstr (((KoersReturnStep *) g_ptr_array_index (steps, 1))->due_on, ==, "2026-12-10");
  g_assert_cmpuint (count_rows (child (page, "steps_list")), ==, 3);

  /* Check-ins: planned from the departure, answered with a switch. */
  gtk_widget_activate_action (page, "plan.schedule", NULL);
  koers_test_settle ();
  checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, f->plan_id, &error);
  g_assert_cmpuint (checkins->len, ==, 4);
  g_assert_cmpuint (count_rows (child (page, "checkins_list")), ==, 4);
  first = g_ptr_array_index (checkins, 0);

  expander = gtk_widget_get_first_child (child (page, "checkins_list"));
  g_assert_true (ADW_IS_EXPANDER_ROW (expander));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  koers_test_settle ();
  {
    GtkWidget *w = expander;
    GtkWidget *toggle = NULL;

    /* The first switch inside the expander: social contacts. */
    while (w != NULL && toggle == NULL)
      {
        GtkWidget *c = gtk_widget_get_first_child (w);

        if (c != NULL)
          w = c;
        else
          {
            while (w != expander && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == expander ? NULL : gtk_widget_get_next_sibling (w);
          }
        if (w != NULL && GTK_IS_SWITCH (w) && g_object_get_data (G_OBJECT (w), "checkin-id") != NULL)
          toggle = w;
      }
    g_assert_nonnull (toggle);
    gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  }
  g_assert_false (gtk_widget_get_visible (child (page, "error_label")));
  saved = koers_store_get_checkin (f->store, first->id, &error);
  g_assert_cmpint (saved->social_contacts, ==, KOERS_ANSWER_YES);
  g_assert_cmpint (saved->economic_activity, ==, KOERS_ANSWER_UNKNOWN);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static void
test_no_plan (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *client_id = koers_test_add_client (f->store, "Zonder Plan", KOERS_PHASE_INTAKE);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;

  page = koers_plan_page_new (f->store, client_id);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (child (page, "create_group")));
  g_assert_false (gtk_widget_get_visible (child (page, "steps_group")));
  /* The country by its name, never a code to look up. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, "country_row")), "Narnia");
  gtk_widget_activate_action (page, "plan.create", NULL);
  g_assert_null (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "error_label"))), ==,
                   "Koers does not know this country. Type its name, for example Georgia or Eritrea.");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "country_row")), "Afghanistan");
  gtk_widget_activate_action (page, "plan.create", NULL);
  g_assert_nonnull (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KoersReturnPlan) plan = koers_store_get_return_plan (f->store,
                                                                   koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)),
                                                                   &error);
    g_assert_no_error (error);
    g_assert_cmpstr (plan->country, ==, "AF");
  }
  g_assert_true (gtk_widget_get_visible (child (page, "steps_group")));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static char *
pdf_text (const char *pdf)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  int status = 0;
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };

  if (program == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_print_pdf (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->base.tmp, "plan.pdf", NULL);
  g_autofree char *summary_pdf = g_build_filename (f->base.tmp, "summary.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  const char *keep = g_getenv ("KOERS_PRINT_PNG");
  GtkPrintOperationResult result;

  result = koers_print_plan (NULL, f->store, f->client_id, pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(GPtrArray) audit = koers_store_list_audit (f->store, f->client_id, &error);
    KoersAuditEntry *last = g_ptr_array_index (audit, audit->len - 1);

    g_assert_cmpstr (last->action, ==, "export");
    g_assert_cmpstr (last->entity, ==, "file_return_plan");
  }

  text = pdf_text (pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (text, STEP_TEXT));
  g_assert_nonnull (strstr (text, "Return Plan"));
  g_assert_nonnull (strstr (text, "Selam Tesfamariam"));
  /* The country by its name, never its code. */
  g_assert_nonnull (strstr (text, "Eritrea"));
  g_assert_null (strstr (text, " ER\n"));

  result = koers_print_client_summary (NULL, f->store, f->client_id, summary_pdf, &error);
  g_assert_no_error (error);
  summary = pdf_text (summary_pdf);
  g_assert_nonnull (strstr (summary, "Client Summary"));

  /* For a person to look at: KOERS_PRINT_PNG=/some/prefix keeps page 1. */
  if (keep != NULL)
    {
      const char *argv[] = { "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, keep, NULL };
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   NULL, NULL, &status, NULL));
    }
}

/* A long plan runs onto a second page. */
static void
test_print_pages (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->base.tmp, "long.pdf", NULL);
  g_autofree char *text = NULL;

  for (int i = 0; i < 60; i++)
    {
      g_autoptr(KoersReturnStep) step = koers_return_step_new ();

      step->plan_id = g_strdup (f->plan_id);
      step->description = g_strdup_printf ("Stap nummer %d", i + 1);
      step->owner = KOERS_OWNER_STEUNPUNT;
      g_assert_true (koers_store_add_return_step (f->store, step, &error));
    }
  g_assert_cmpint (koers_print_plan (NULL, f->store, f->client_id, pdf, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  text = pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Stap nummer 1\n") ?: strstr (text, "Stap nummer 1 "));
  g_assert_nonnull (strstr (text, "Stap nummer 60"));
  /* pdftotext separates pages with a form feed. */
  g_assert_nonnull (strchr (text, '\f'));
  g_assert_true (strchr (text, '\f') < strstr (text, "Stap nummer 60"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/plan/page", Fixture, NULL, fixture_set_up, test_page, fixture_tear_down);
  g_test_add ("/ui/plan/no-plan", Fixture, NULL, fixture_set_up, test_no_plan, fixture_tear_down);
  g_test_add ("/ui/plan/print-pdf", Fixture, NULL, fixture_set_up, test_print_pdf, fixture_tear_down);
  g_test_add ("/ui/plan/print-pages", Fixture, NULL, fixture_set_up, test_print_pages, fixture_tear_down);
  return g_test_run ();
}
