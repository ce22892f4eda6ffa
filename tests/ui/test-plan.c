/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The return plan page as a volunteer finishes a plan: the country typed
 * by its Dutch name, the partner there, support items, steps typed with
 * Dutch dates (Enter adds, sorted by date, ticked off), the status moved
 * to departed with its date (the check-ins planned), back a step with a
 * reason, a check-in recorded in its dialog with both indicators; the page
 * follows saves made elsewhere. The plan and the client summary printed
 * to PDF hold names, never codes (pdftotext), and a page is rasterised
 * (pdftoppm) for a person to look at. */
#include "config.h"

#define G_LOG_DOMAIN "test-plan"

#include <adwaita.h>
#include <string.h>

#include "koers-checkin-dialog.h"
#include "koers-country-row.h"
#include "koers-date-row.h"
#include "koers-plan-page.h"
#include "koers-print.h"
#include "koers-test-util.h"
#include "store/koers-date.h"
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

/* The rows of @list before its form rows, by title. */
static char *
row_titles (GtkWidget *list)
{
  GString *titles = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && !KOERS_IS_DATE_ROW (row) && !ADW_IS_COMBO_ROW (row))
      g_string_append_printf (titles, "%s|", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_string_free (titles, FALSE);
}

static GtkWidget *
row_titled (GtkWidget  *list,
            const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return row;
  return NULL;
}

/* The button in @root whose tooltip is @tip (NULL: none). */
static GtkWidget *
button_with_tooltip (GtkWidget  *root,
                     const char *tip)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_widget_get_tooltip_text (w), tip) == 0)
        return w;
      if ((found = button_with_tooltip (w, tip)) != NULL)
        return found;
    }
  return NULL;
}

static GtkEditable *
date_field (GtkWidget  *page,
            const char *name)
{
  return koers_date_row_get_editable (KOERS_DATE_ROW (child (page, name)));
}

static const char *
subtitle (GtkWidget  *page,
          const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, name)));
}

static GtkWidget *
present (GtkWidget *page)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  return window;
}

/* A client from Georgia who agreed to sharing with the partner abroad. */
static char *
add_georgian_client (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  char *id = koers_test_add_client (f->store, "Nino Beridze ნინო", KOERS_PHASE_ORIENTATION);
  g_autoptr(KoersClient) client = koers_store_get_client (f->store, id, &error);

  client->country_of_origin = g_strdup ("GE");
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
  consent->client_id = g_strdup (id);
  consent->kind = KOERS_CONSENT_SHARE_PARTNER;
  consent->granted = TRUE;
  consent->recorded_on = koers_store_today (f->store);
  g_assert_true (koers_store_add_consent (f->store, consent, &error));
  g_assert_no_error (error);
  return id;
}

static KoersReturnPlan *
get_plan (Fixture    *f,
          GtkWidget  *page)
{
  g_autoptr(GError) error = NULL;
  KoersReturnPlan *plan = koers_store_get_return_plan (f->store, koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)),
                                                       &error);

  g_assert_no_error (error);
  return plan;
}

static GPtrArray *
list_of_plan (Fixture     *f,
              GtkWidget   *page,
              KoersEntity  kind)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = koers_store_list (f->store, kind, koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)), &error);

  g_assert_no_error (error);
  return records;
}

static void
start_plan_in_morocco (Fixture   *f,
                       GtkWidget *page)
{
  KoersCountryRow *create = KOERS_COUNTRY_ROW (child (page, "create_country_row"));
  g_autoptr(KoersReturnPlan) plan = NULL;

  g_assert_true (gtk_widget_get_visible (child (page, "create_group")));
  g_assert_false (gtk_widget_get_visible (child (page, "steps_group")));
  /* Suggested from the country of origin. */
  g_assert_cmpstr (koers_country_row_get_country (create), ==, "GE");
  g_assert_cmpstr (koers_plan_page_get_title (KOERS_PLAN_PAGE (page)), ==, "Return Plan");
  /* Typed by its Dutch name: the list narrows, Enter takes the first. */
  g_assert_cmpuint (koers_country_row_search (create, "Narnia"), ==, 0);
  g_assert_cmpuint (koers_country_row_search (create, "marokko"), ==, 1);
  koers_country_row_choose_first (create);
  g_assert_cmpstr (koers_country_row_get_country (create), ==, "MA");
  g_assert_true (gtk_widget_activate_action (page, "plan.create", NULL));
  koers_test_settle ();
  g_assert_nonnull (koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (page)));
  plan = get_plan (f, page);
  g_assert_cmpstr (plan->country, ==, "MA");
  g_assert_cmpint (plan->status, ==, KOERS_PLAN_DRAFT);
  g_assert_cmpstr (koers_plan_page_get_title (KOERS_PLAN_PAGE (page)), ==, "Return Plan to Morocco");
  g_assert_true (gtk_widget_get_visible (child (page, "steps_group")));
}

static void
choose_partner (Fixture   *f,
                GtkWidget *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersPartnerOrg) partner = koers_partner_org_new ();
  g_autoptr(KoersReturnPlan) plan = NULL;

  /* None yet: the page says who adds them, and where. */
  g_assert_false (gtk_widget_get_visible (child (page, "partner_row")));
  g_assert_true (gtk_widget_get_visible (child (page, "no_partner_row")));
  g_assert_nonnull (strstr (subtitle (page, "no_partner_row"), "Morocco"));
  g_assert_nonnull (strstr (subtitle (page, "no_partner_row"), "Organisations"));

  /* A coordinator adds one (elsewhere): the page follows. */
  partner->name = g_strdup ("Association Tawasoul");
  partner->country = g_strdup ("MA");
  g_assert_true (koers_store_add_partner_org (f->store, partner, &error));
  g_assert_no_error (error);
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (child (page, "partner_row")));
  g_assert_false (gtk_widget_get_visible (child (page, "no_partner_row")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "partner_row")), 1);
  koers_test_settle ();
  plan = get_plan (f, page);
  g_assert_cmpstr (plan->partner_id, ==, partner->id);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (page, "partner_row"))), ==, 1);
}

static void
add_support (Fixture   *f,
             GtkWidget *page)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) left = NULL;
  GtkWidget *list = child (page, "support_list");
  GtkWidget *row;

  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "support_kind_row")), KOERS_SUPPORT_DOCUMENTS);
  gtk_editable_set_text (GTK_EDITABLE (child (page, "support_details_row")), "Paspoort bij de ambassade");
  g_signal_emit_by_name (child (page, "support_details_row"), "entry-activated");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "support_kind_row")), KOERS_SUPPORT_BUSINESS);
  g_assert_true (gtk_widget_activate_action (page, "plan.add-support", NULL));
  koers_test_settle ();
  items = list_of_plan (f, page, KOERS_ENTITY_SUPPORT_ITEM);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (((KoersSupportItem *) items->pdata[0])->description, ==, "Paspoort bij de ambassade");
  g_assert_cmpint (((KoersSupportItem *) items->pdata[1])->kind, ==, KOERS_SUPPORT_BUSINESS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "support_details_row"))), ==, "");

  /* Its status changes on the spot; one is removed. */
  row = row_titled (list, "Documents");
  g_assert_nonnull (row);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN)),
                              KOERS_SUPPORT_APPROVED);
  koers_test_settle ();
  row = row_titled (list, "Starting a business");
  g_assert_nonnull (row);
  gtk_widget_activate (button_with_tooltip (row, "Remove Support"));
  koers_test_settle ();
  left = list_of_plan (f, page, KOERS_ENTITY_SUPPORT_ITEM);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpint (((KoersSupportItem *) left->pdata[0])->status, ==, KOERS_SUPPORT_APPROVED);
  g_assert_null (row_titled (list, "Starting a business"));
}

static void
add_steps (Fixture   *f,
           GtkWidget *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(KoersReturnStep) step = NULL;
  g_autofree char *titles = NULL;
  GtkWidget *done;

  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_row")), "Huisvesting regelen");
  gtk_editable_set_text (date_field (page, "step_date_row"), "31-02-2026");
  gtk_widget_activate_action (page, "plan.add-step", NULL);
  /* A date that cannot be read is said in words under the field. */
  g_assert_cmpstr (subtitle (page, "step_date_row"), ==, "That month does not have this day. Check the day and the month.");
  g_assert_true (gtk_widget_has_css_class (child (page, "step_date_row"), "error"));
  steps = list_of_plan (f, page, KOERS_ENTITY_RETURN_STEP);
  g_assert_cmpuint (steps->len, ==, 0);
  g_clear_pointer (&steps, g_ptr_array_unref);
  /* Typing on shows how the date reads (10-12 is December). */
  gtk_editable_set_text (date_field (page, "step_date_row"), "10-12-2026");
  g_assert_cmpstr (subtitle (page, "step_date_row"), ==, "10 December 2026");
  g_assert_false (gtk_widget_has_css_class (child (page, "step_date_row"), "error"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, "owner_row")), KOERS_OWNER_PARTNER);
  /* Enter in the date field adds the step. */
  g_signal_emit_by_name (date_field (page, "step_date_row"), "activate");
  koers_test_settle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, "step_row"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (date_field (page, "step_date_row")), ==, "");
  /* Enter in the step's own field too; no date, and an earlier one. */
  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_row")), "Afscheid nemen");
  g_signal_emit_by_name (child (page, "step_row"), "entry-activated");
  gtk_editable_set_text (GTK_EDITABLE (child (page, "step_row")), "Paspoort ophalen");
  gtk_editable_set_text (date_field (page, "step_date_row"), "5 nov 2026");
  g_signal_emit_by_name (child (page, "step_row"), "entry-activated");
  koers_test_settle ();

  steps = list_of_plan (f, page, KOERS_ENTITY_RETURN_STEP);
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpstr (((KoersReturnStep *) steps->pdata[0])->due_on, ==, "2026-12-10");
  g_assert_cmpint (((KoersReturnStep *) steps->pdata[0])->owner, ==, KOERS_OWNER_PARTNER);
  g_assert_cmpstr (((KoersReturnStep *) steps->pdata[2])->due_on, ==, "2026-11-05");
  /* By date on the page, undated last. */
  titles = row_titles (child (page, "steps_list"));
  g_assert_cmpstr (titles, ==, "Paspoort ophalen|Huisvesting regelen|Afscheid nemen|");

  /* Marked done: stored, and still ticked after the page re-reads. */
  done = koers_test_find_descendant (row_titled (child (page, "steps_list"), "Huisvesting regelen"),
                                     GTK_TYPE_CHECK_BUTTON);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (done), TRUE);
  koers_test_settle ();
  step = koers_store_get_return_step (f->store, ((KoersReturnStep *) steps->pdata[0])->id, &error);
  g_assert_no_error (error);
  g_assert_true (step->done);
  done = koers_test_find_descendant (row_titled (child (page, "steps_list"), "Huisvesting regelen"),
                                     GTK_TYPE_CHECK_BUTTON);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (done)));
}

/* Clicks the button labelled @label in @root (a dialog's response);
 * FALSE if there is none. */
static gboolean
click (GtkWidget  *root,
       const char *label)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
        return gtk_widget_activate (w);
      if (click (w, label))
        return TRUE;
    }
  return FALSE;
}

/* Departed: the page asks the date; the check-ins are planned from it. */
static void
depart (Fixture   *f,
        GtkWidget *page)
{
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autoptr(KoersReturnPlan) back = NULL;
  g_autoptr(KoersReturnPlan) again = NULL;
  g_autofree char *left_on = koers_test_days_from_today (f->store, -40);
  g_autofree char *typed = g_strdup_printf ("%.2s-%.2s-%.4s", left_on + 8, left_on + 5, left_on);
  GtkWidget *dialog;
  GtkWidget *date_row;
  GtkWidget *reason;

  g_assert_true (gtk_widget_activate_action (page, "plan.move", "i", KOERS_PLAN_AGREED));
  koers_test_settle ();
  g_assert_cmpstr (subtitle (page, "status_row"), ==, "Agreed");
  g_assert_null (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_assert_true (gtk_widget_activate_action (page, "plan.move", "i", KOERS_PLAN_DEPARTED));
  koers_test_settle ();
  dialog = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  date_row = koers_test_find_descendant (dialog, KOERS_TYPE_DATE_ROW);
  /* Today by default; a departure still to come cannot be saved. */
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  gtk_editable_set_text (koers_date_row_get_editable (KOERS_DATE_ROW (date_row)), "1-1-2199");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  gtk_editable_set_text (koers_date_row_get_editable (KOERS_DATE_ROW (date_row)), typed);
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  g_assert_true (click (dialog, "_Save"));
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  plan = get_plan (f, page);
  g_assert_cmpint (plan->status, ==, KOERS_PLAN_DEPARTED);
  g_assert_cmpstr (plan->departed_on, ==, left_on);
  g_assert_true (gtk_widget_get_visible (child (page, "departed_row")));
  g_assert_cmpuint (count_rows (child (page, "checkins_list")), ==, 4);

  /* Back one step asks why (a postponed flight). */
  g_assert_true (gtk_widget_activate_action (page, "plan.move", "i", KOERS_PLAN_AGREED));
  koers_test_settle ();
  dialog = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  reason = koers_test_find_descendant (dialog, ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (reason), "Vlucht uitgesteld");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  g_assert_true (click (dialog, "_Go Back"));
  koers_test_settle ();
  back = get_plan (f, page);
  g_assert_cmpint (back->status, ==, KOERS_PLAN_AGREED);
  g_assert_cmpstr (back->status_reason, ==, "Vlucht uitgesteld");
  g_assert_cmpstr (subtitle (page, "status_row"), ==, "Agreed (Vlucht uitgesteld)");

  /* Forward again: the date is known, nothing to ask. */
  g_assert_true (gtk_widget_activate_action (page, "plan.move", "i", KOERS_PLAN_DEPARTED));
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  again = get_plan (f, page);
  g_assert_cmpint (again->status, ==, KOERS_PLAN_DEPARTED);
}

/* The first check-in, recorded in its dialog from the plan page. */
static void
record_checkin (Fixture   *f,
                GtkWidget *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checkins = list_of_plan (f, page, KOERS_ENTITY_CHECKIN);
  g_autoptr(KoersCheckin) saved = NULL;
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autofree char *today = koers_store_today (f->store);
  GtkWidget *first = gtk_widget_get_first_child (child (page, "checkins_list"));
  KoersCheckinDialog *dialog;

  g_assert_cmpstr (subtitle (page, "latest_row"), ==, "No check-in held yet");
  gtk_widget_activate (koers_test_find_descendant (first, GTK_TYPE_BUTTON));
  koers_test_settle ();
  dialog = KOERS_CHECKIN_DIALOG (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  g_assert_nonnull (dialog);
  /* Both indicators must be answered; "not known" is an answer. */
  koers_checkin_dialog_choose (dialog, TRUE, KOERS_ANSWER_YES);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "checkin.save", NULL);
  koers_test_settle ();
  g_assert_true (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG) == GTK_WIDGET (dialog));
  koers_checkin_dialog_choose (dialog, FALSE, KOERS_ANSWER_NOT_KNOWN);
  /* A date it cannot read keeps the dialog open, saying why. */
  gtk_editable_set_text (koers_checkin_dialog_get_date_editable (dialog), "2026-13-01");
  g_assert_false (koers_checkin_dialog_save (dialog, &error));
  g_assert_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (koers_test_find_descendant (
                      GTK_WIDGET (dialog), KOERS_TYPE_DATE_ROW))), "twelve months"));
  koers_date_row_set_date (KOERS_DATE_ROW (koers_test_find_descendant (GTK_WIDGET (dialog), KOERS_TYPE_DATE_ROW)),
                           today);
  g_assert_true (koers_checkin_dialog_save (dialog, &error));
  g_assert_no_error (error);
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));

  saved = koers_store_get_checkin (f->store, ((KoersCheckin *) checkins->pdata[0])->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->held_on, ==, today);
  g_assert_cmpint (saved->social_contacts, ==, KOERS_ANSWER_YES);
  g_assert_cmpint (saved->economic_activity, ==, KOERS_ANSWER_NOT_KNOWN);
  plan = get_plan (f, page);
  g_assert_cmpint (plan->status, ==, KOERS_PLAN_MONITORING);
  /* Shown as the latest; the 12-month one is not held yet. */
  g_assert_nonnull (strstr (subtitle (page, "latest_row"), "Social contacts: Yes · Economic activity: Not known"));
  g_assert_cmpstr (subtitle (page, "twelve_row"), ==, "Not held yet");
  g_assert_cmpstr (subtitle (page, "status_row"), ==, "Monitoring");
}

static void
test_hour (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *client_id = add_georgian_client (f);
  GtkWidget *page = koers_plan_page_new (f->store, client_id);
  GtkWidget *window = present (page);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autofree char *pdf = g_build_filename (f->base.tmp, "hour.pdf", NULL);
  g_autofree char *text = NULL;

  start_plan_in_morocco (f, page);
  choose_partner (f, page);
  add_support (f, page);
  add_steps (f, page);
  depart (f, page);
  record_checkin (f, page);

  /* The planned departure is saved on Enter, typed the Dutch way. */
  gtk_editable_set_text (date_field (page, "planned_row"), "1 okt 2026");
  g_signal_emit_by_name (date_field (page, "planned_row"), "activate");
  koers_test_settle ();
  g_clear_pointer (&plan, koers_return_plan_free);
  plan = get_plan (f, page);
  g_assert_cmpstr (plan->planned_departure, ==, "2026-10-01");
  g_clear_pointer (&plan, koers_return_plan_free);

  /* A save made elsewhere (the store directly) shows here. */
  plan = get_plan (f, page);
  g_free (plan->planned_departure);
  plan->planned_departure = g_strdup ("2026-10-20");
  g_assert_true (koers_store_update_return_plan (f->store, plan, &error));
  g_assert_no_error (error);
  koers_test_settle ();
  g_assert_cmpstr (gtk_editable_get_text (date_field (page, "planned_row")), ==, "20-10-2026");
  g_assert_cmpstr (subtitle (page, "planned_row"), ==, "20 October 2026");

  /* The printout: names, never codes; nothing the app cannot fill. */
  g_assert_cmpint (koers_print_plan (NULL, f->store, client_id, pdf, &error), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "Morocco"));
      g_assert_nonnull (strstr (text, "Association Tawasoul"));
      g_assert_nonnull (strstr (text, "Documents"));
      g_assert_nonnull (strstr (text, "Approved"));
      g_assert_nonnull (strstr (text, "Monitoring"));
      g_assert_nonnull (strstr (text, "Not known"));
      g_assert_null (strstr (text, " MA\n"));
      g_assert_null (strstr (text, " MA "));
      g_assert_null (strstr (text, "Region"));
      g_assert_null (strstr (text, ": —"));
      g_assert_nonnull (strstr (text, "due "));
      g_assert_true (strstr (text, "Paspoort ophalen") < strstr (text, "Huisvesting regelen"));
    }

  /* Another country: its partners (none yet), the partner cleared. */
  koers_country_row_search (KOERS_COUNTRY_ROW (child (page, "country_row")), "Georgië");
  koers_country_row_choose_first (KOERS_COUNTRY_ROW (child (page, "country_row")));
  koers_test_settle ();
  g_clear_pointer (&plan, koers_return_plan_free);
  plan = get_plan (f, page);
  g_assert_cmpstr (plan->country, ==, "GE");
  g_assert_null (plan->partner_id);
  g_assert_true (gtk_widget_get_visible (child (page, "no_partner_row")));
  g_assert_cmpstr (koers_plan_page_get_title (KOERS_PLAN_PAGE (page)), ==, "Return Plan to Georgia");

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* Locking drops the pages: a dialog a page opened goes with it, so
 * nothing holds the store after the lock. */
static void
test_dialogs_go_with_page (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checkins = NULL;
  GtkWidget *page = koers_plan_page_new (f->store, f->client_id);
  GtkWidget *window = present (page);

  g_assert_true (koers_store_record_departure (f->store, f->plan_id, "2026-11-01", &error));
  g_assert_no_error (error);
  checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, f->plan_id, &error);
  g_assert_nonnull (koers_checkin_dialog_open (page, f->store, ((KoersCheckin *) checkins->pdata[0])->id));
  g_assert_true (gtk_widget_activate_action (page, "plan.move", "i", KOERS_PLAN_AGREED));
  koers_test_settle ();
  g_assert_nonnull (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  g_assert_nonnull (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  g_assert_null (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* A check-in that is gone opens nothing. */
  page = koers_plan_page_new (f->store, f->client_id);
  gtk_window_set_child (GTK_WINDOW (window), page);
  g_assert_true (koers_store_delete_checkin (f->store, ((KoersCheckin *) checkins->pdata[1])->id, &error));
  g_assert_null (koers_checkin_dialog_open (page, f->store, ((KoersCheckin *) checkins->pdata[1])->id));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* The calendar beside a date field writes the day chosen. */
static void
test_date_row (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  KoersDateRow *row = KOERS_DATE_ROW (koers_date_row_new ("Datum"));
  GtkMenuButton *button = GTK_MENU_BUTTON (koers_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON));
  GtkCalendar *calendar;
  g_autoptr(GDateTime) day = g_date_time_new_local (2027, 1, 15, 12, 0, 0);
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  koers_date_row_set_date (row, "2027-01-03");
  g_assert_cmpstr (gtk_editable_get_text (koers_date_row_get_editable (row)), ==, "03-01-2027");
  koers_test_settle ();
  gtk_menu_button_popup (button);
  koers_test_settle ();
  calendar = GTK_CALENDAR (koers_test_find_descendant (GTK_WIDGET (gtk_menu_button_get_popover (button)),
                                                       GTK_TYPE_CALENDAR));
  /* It opens on the date typed. */
  {
    g_autoptr(GDateTime) shown = gtk_calendar_get_date (calendar);

    g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 3);
  }
  gtk_calendar_select_day (calendar, day);
  g_signal_emit_by_name (calendar, "day-selected");
  koers_test_settle ();
  g_assert_cmpstr (gtk_editable_get_text (koers_date_row_get_editable (row)), ==, "15-01-2027");
  g_assert_true (koers_date_row_read (row, &iso, &error));
  g_assert_cmpstr (iso, ==, "2027-01-15");
  g_clear_pointer (&iso, g_free);
  /* Empty is no date, and no error. */
  gtk_editable_set_text (koers_date_row_get_editable (row), "");
  g_assert_true (koers_date_row_read (row, &iso, &error));
  g_assert_no_error (error);
  g_assert_null (iso);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
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

  g_test_add ("/ui/plan/hour", Fixture, NULL, fixture_set_up, test_hour, fixture_tear_down);
  g_test_add ("/ui/plan/date-row", Fixture, NULL, fixture_set_up, test_date_row, fixture_tear_down);
  g_test_add ("/ui/plan/dialogs-go-with-page", Fixture, NULL, fixture_set_up, test_dialogs_go_with_page,
              fixture_tear_down);
  g_test_add ("/ui/plan/print-pdf", Fixture, NULL, fixture_set_up, test_print_pdf, fixture_tear_down);
  g_test_add ("/ui/plan/print-pages", Fixture, NULL, fixture_set_up, test_print_pages, fixture_tear_down);
  return g_test_run ();
}
