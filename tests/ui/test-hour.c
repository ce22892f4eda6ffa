/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A whole consultation hour in the real window, in Dutch, on a fresh
 * vault: the first run makes a coordinator, who adds a counsellor and a
 * partner organisation abroad; a client's file is made, and the same
 * person typed in Arabic is offered that file; consent with its scope; a
 * conversation with a psychosocial signal, a referral to the counsellor
 * and a next step typed as 10-12-2026, ticked on Today; a return plan
 * with the partner and support, the departure, a check-in with both
 * indicators; the plan printed, read back with pdftotext. After each save
 * the page shows what was saved. The store's clock stands on 10 December
 * 2026 so that the step is due today whenever the test runs. */
#include "config.h"

#define G_LOG_DOMAIN "test-hour"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "koers-checkin-dialog.h"
#include "koers-client-page.h"
#include "koers-conversation-editor.h"
#include "koers-country-row.h"
#include "koers-date-row.h"
#include "koers-labels.h"
#include "koers-orgs-page.h"
#include "koers-plan-page.h"
#include "koers-preferences-window.h"
#include "koers-print.h"
#include "koers-recovery-page.h"
#include "koers-settings.h"
#include "koers-setup-page.h"
#include "koers-sync-status.h"
#include "koers-test-util.h"
#include "koers-today-page.h"
#include "koers-window.h"

#define PASSPHRASE  "rustig water heeft diepe gronden"
#define COUNSELLOR  "Sara de Vries"
#define PARTNER     "Association Tawasoul"
#define LATIN_NAME  "Mohammed Alahmad"
#define ARABIC_NAME "مُحَمَّد الأحمد"

typedef KoersWindowFixture Fixture;

/* 10 December 2026, noon local time, moving on as real time does. */
static gint64 clock_start_ms;

static gint64
hour_clock (gpointer user_data)
{
  g_autoptr(GDateTime) noon = g_date_time_new_local (2026, 12, 10, 12, 0, 0);

  return g_date_time_to_unix (noon) * 1000 + (g_get_real_time () / 1000 - clock_start_ms);
}

static gpointer
set_reader_clock (KoersStore    *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  koers_store_set_clock (store, hour_clock, NULL);
  return NULL;
}

static void
on_clock_set (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Both connections (the main store and the reader's) on the hour's day. */
static void
stop_the_clock (KoersMainView *view)
{
  gboolean done = FALSE;

  clock_start_ms = g_get_real_time () / 1000;
  koers_store_set_clock (koers_main_view_get_store (view), hour_clock, NULL);
  koers_store_reader_run_async (koers_main_view_get_reader (view), set_reader_clock, NULL, NULL, NULL, NULL,
                                on_clock_set, &done);
  koers_test_wait_until (is_true, &done, 20);
}

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  return koers_test_child (widget, type, name);
}

static void
type_into (GtkWidget  *field,
           const char *text)
{
  koers_test_set_text (field, text);
}

static const char *
subtitle (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The rows of a list box, "title | subtitle" one per line. */
static char *
rows_text (GtkWidget *list)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) && gtk_widget_get_visible (row))
      g_string_append_printf (out, "%s | %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              ADW_IS_ACTION_ROW (row) ? (subtitle (row) ?: "") : "");
  return g_string_free (out, FALSE);
}

/* The first shown row of @list whose title or subtitle holds @text. */
static GtkWidget *
row_with (GtkWidget  *list,
          const char *text)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row) &&
        (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), text) != NULL ||
         strstr (subtitle (row) ?: "", text) != NULL))
      return row;
  return NULL;
}

/* The button under @root labelled @label; NULL if there is none. */
static GtkWidget *
button_labelled (GtkWidget  *root,
                 const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = button_labelled (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row of a string list @model that reads @text. */
static guint
index_of (GListModel *model,
          const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_error ("“%s” is not in the list", text);
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
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static gboolean
page_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

static void
wait_for_file (GtkWidget *page)
{
  koers_test_settle ();
  koers_test_wait_until (page_read, page, 20);
  koers_test_settle ();
}

/* The first run: the form, the recovery key kept, then the main view.
 * The first person is the coordinator. */
static KoersMainView *
first_run (Fixture *f)
{
  GtkWidget *setup = child (f->window, KOERS_TYPE_WINDOW, "setup_page");
  GtkWidget *recovery = child (f->window, KOERS_TYPE_WINDOW, "recovery_page");

  type_into (child (setup, KOERS_TYPE_SETUP_PAGE, "steunpunt_row"), "Steunpunt Zuid");
  type_into (child (setup, KOERS_TYPE_SETUP_PAGE, "name_row"), "Amina");
  type_into (child (setup, KOERS_TYPE_SETUP_PAGE, "passphrase_row"), PASSPHRASE);
  type_into (child (setup, KOERS_TYPE_SETUP_PAGE, "repeat_row"), PASSPHRASE);
  g_signal_emit_by_name (child (setup, KOERS_TYPE_SETUP_PAGE, "create_button"), "clicked");
  koers_test_wait_for_page (f->window, "recovery");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (recovery, KOERS_TYPE_RECOVERY_PAGE, "stored_check")), TRUE);
  g_signal_emit_by_name (child (recovery, KOERS_TYPE_RECOVERY_PAGE, "continue_button"), "clicked");
  koers_test_wait_for_page (f->window, "main");
  g_assert_true (koers_session_is_coordinator (koers_window_get_session (f->window)));
  return koers_window_get_main_view (f->window);
}

/* Preferences as app.preferences opens them: People and Organisations. */
static void
add_colleagues (Fixture *f)
{
  KoersSession *session = koers_window_get_session (f->window);
  KoersPreferencesWindow *prefs = koers_preferences_window_new (GTK_WINDOW (f->window), session,
                                                                koers_session_is_coordinator (session));
  GtkWidget *orgs, *kind, *country;
  g_autofree char *people = NULL;

  gtk_window_present (GTK_WINDOW (prefs));
  koers_test_settle ();
  g_assert_true (koers_test_add_person (prefs, COUNSELLOR, KOERS_ROLE_COUNSELLOR, "een andere lange wachtzin"));
  people = rows_text (child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "people_list"));
  g_test_message ("people: %s", people);
  g_assert_nonnull (strstr (people, COUNSELLOR));

  /* A partner abroad, its country chosen by its Dutch name. */
  orgs = koers_test_find_descendant (GTK_WIDGET (prefs), KOERS_TYPE_ORGS_PAGE);
  kind = koers_test_nth_descendant (orgs, ADW_TYPE_COMBO_ROW, 0);
  country = koers_test_nth_descendant (orgs, ADW_TYPE_COMBO_ROW, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), KOERS_ORG_KIND_OTHER + 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (country),
                              index_of (adw_combo_row_get_model (ADW_COMBO_ROW (country)), "Marokko"));
  type_into (koers_test_nth_descendant (orgs, ADW_TYPE_ENTRY_ROW, 0), PARTNER);
  g_signal_emit_by_name (button_labelled (orgs, _("_Add Organisation")), "clicked");
  koers_test_settle ();
  {
    g_autofree char *abroad = NULL;
    GtkWidget *list = NULL;

    for (guint i = 0; (list = koers_test_nth_descendant (orgs, GTK_TYPE_LIST_BOX, i)) != NULL; i++)
      if (g_strcmp0 (gtk_widget_get_name (list), "partner-orgs") == 0)
        break;
    g_assert_nonnull (list);
    abroad = rows_text (list);
    g_assert_nonnull (strstr (abroad, PARTNER " | Marokko"));
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
  koers_test_settle ();
}

static GtkWidget *
new_client_form (KoersMainView *view)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.new-client", NULL));
  koers_test_settle ();
  page = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  return page;
}

static void
type_identity (GtkWidget  *page,
               const char *name,
               const char *year)
{
  type_into (child (page, KOERS_TYPE_CLIENT_PAGE, "name_row"), name);
  type_into (child (page, KOERS_TYPE_CLIENT_PAGE, "birth_year_row"), year);
  wait_for_file (page);
}

static GtkWidget *
header_title (GtkWidget *page)
{
  return koers_test_find_descendant (gtk_widget_get_parent (page), ADW_TYPE_WINDOW_TITLE);
}

/* The file typed in Latin letters, saved: its title follows. */
static char *
make_latin_file (KoersMainView *view)
{
  GtkWidget *page = new_client_form (view);
  AdwComboRow *country = ADW_COMBO_ROW (child (page, KOERS_TYPE_CLIENT_PAGE, "country_row"));
  char *id;

  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (header_title (page))), ==, "Nieuwe cliënt");
  gtk_switch_set_active (GTK_SWITCH (child (page, KOERS_TYPE_CLIENT_PAGE, "consent_switch")), TRUE);
  type_identity (page, LATIN_NAME, "1988");
  adw_combo_row_set_selected (country, index_of (adw_combo_row_get_model (country), "Marokko"));
  koers_test_save (page, "client.save", koers_main_view_get_reader (view));
  wait_for_file (page);
  g_assert_nonnull (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (page)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (page, KOERS_TYPE_CLIENT_PAGE, "header_name"))), ==,
                   LATIN_NAME);
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (header_title (page))), ==, "Cliëntdossier");
  id = g_strdup (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (page)));
  g_assert_true (koers_main_view_pop_page (view));
  return id;
}

/* The same man typed in Arabic: his file is offered and opened. */
static GtkWidget *
intake_finds_file (KoersMainView *view,
                   const char    *client_id)
{
  GtkWidget *page = new_client_form (view);
  GtkWidget *list = child (page, KOERS_TYPE_CLIENT_PAGE, "duplicates_list");
  GtkWidget *opened;
  g_autofree char *offered = NULL;

  type_identity (page, ARABIC_NAME, "1988");
  g_assert_true (gtk_widget_get_visible (child (page, KOERS_TYPE_CLIENT_PAGE, "duplicates_group")));
  offered = rows_text (list);
  g_assert_cmpstr (offered, ==, LATIN_NAME " | geboren 1988 · Marokko · Intake\n");
  g_signal_emit_by_name (list, "row-activated", gtk_widget_get_first_child (list));
  koers_test_settle ();
  opened = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (opened));
  g_assert_cmpstr (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (opened)), ==, client_id);
  wait_for_file (opened);
  return opened;
}

/* Consent to share with the partner abroad, spoken, today. */
static void
give_consent (KoersMainView *view,
              GtkWidget     *page,
              const char    *client_id)
{
  KoersStore *store = koers_main_view_get_store (view);
  GtkWidget *share_row = child (page, KOERS_TYPE_CLIENT_PAGE, "share_row");
  g_autofree char *today = koers_store_today (store);
  g_autofree char *shown = koers_label_date (today);
  g_autofree char *given = g_strdup_printf (_("Given on %s, spoken."), shown);

  g_assert_cmpstr (today, ==, "2026-12-10");
  g_assert_false (koers_store_has_consent (store, client_id, KOERS_CONSENT_SHARE_PARTNER));
  gtk_switch_set_active (GTK_SWITCH (child (page, KOERS_TYPE_CLIENT_PAGE, "share_switch")), TRUE);
  type_into (child (page, KOERS_TYPE_CLIENT_PAGE, "consent_date_row"), "10-12-2026");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, KOERS_TYPE_CLIENT_PAGE, "consent_how_row")),
                              KOERS_CONSENT_SPOKEN);
  koers_test_save (page, "client.save", koers_main_view_get_reader (view));
  wait_for_file (page);
  g_assert_true (koers_store_has_consent (store, client_id, KOERS_CONSENT_SHARE_PARTNER));
  g_assert_false (gtk_widget_get_visible (child (page, KOERS_TYPE_CLIENT_PAGE, "consent_error")));
  g_assert_cmpstr (subtitle (share_row), ==, given);
}

/* A conversation: the signal, the referral to the counsellor, a next step
 * typed the Dutch way; saved, and on the file's timeline. */
static void
hold_conversation (KoersMainView *view,
                   KoersStore    *store,
                   GtkWidget     *page,
                   const char    *client_id)
{
  GtkWidget *editor, *referral_row, *step_due;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) referrals = NULL;
  g_autofree char *timeline = NULL;
  g_autofree char *expected = g_strdup_printf ("Doorverwezen naar %s (%s)", COUNSELLOR,
                                               koers_label_role (KOERS_ROLE_COUNSELLOR));
  GListModel *targets;

  g_assert_true (gtk_widget_activate_action (page, "client.new-conversation", NULL));
  koers_test_settle ();
  editor = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (editor));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "notes_view"))),
                            "Slaapt slecht sinds het besluit; wil terug naar Marokko.", -1);
  gtk_switch_set_active (GTK_SWITCH (child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "signal_switch")), TRUE);
  referral_row = child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "referral_row");
  g_assert_true (gtk_widget_get_visible (referral_row));
  targets = adw_combo_row_get_model (ADW_COMBO_ROW (referral_row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (referral_row),
                              index_of (targets, expected + strlen ("Doorverwezen naar ")));
  type_into (child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "reason_row"), "Slaapproblemen, veel zorgen");
  g_assert_true (gtk_widget_activate_action (editor, "editor.refer", NULL));
  g_assert_cmpstr (subtitle (referral_row), ==, expected);

  type_into (child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "step_row"), "Paspoort aanvragen");
  step_due = GTK_WIDGET (koers_date_row_get_editable (KOERS_DATE_ROW (
                           child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "step_date_row"))));
  type_into (step_due, "10-12-2026");
  g_signal_emit_by_name (step_due, "activate");
  koers_test_settle ();
  koers_test_save (editor, "editor.save", koers_main_view_get_reader (view));
  koers_test_settle ();
  if (koers_main_view_get_visible_page (view) == editor)
    g_assert_true (koers_main_view_pop_page (view));
  wait_for_file (page);

  referrals = koers_store_list (store, KOERS_ENTITY_REFERRAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (referrals->len, ==, 1);
  g_assert_nonnull (((KoersReferral *) referrals->pdata[0])->counsellor_id);
  g_assert_cmpstr (((KoersReferral *) referrals->pdata[0])->client_id, ==, client_id);
  timeline = rows_text (child (page, KOERS_TYPE_CLIENT_PAGE, "timeline_list"));
  g_test_message ("timeline:\n%s", timeline);
  g_assert_nonnull (strstr (timeline, COUNSELLOR));
  g_assert_nonnull (strstr (timeline, "Slaapt slecht sinds het besluit"));
  g_assert_null (strstr (timeline, _("Nothing recorded yet")));
  {
    g_autofree char *upcoming = rows_text (child (page, KOERS_TYPE_CLIENT_PAGE, "upcoming_list"));

    g_test_message ("upcoming:\n%s", upcoming);
    g_assert_nonnull (strstr (upcoming, "Paspoort aanvragen"));
  }
}

static gboolean
today_read (gpointer page)
{
  return !koers_today_page_is_loading (page);
}

/* Today: the step is due today; ticked, it is done and gone. */
static void
tick_step_on_today (KoersMainView *view,
                    KoersStore    *store,
                    const char    *client_id)
{
  GtkWidget *today = koers_test_find_descendant (GTK_WIDGET (view), KOERS_TYPE_TODAY_PAGE);
  GtkWidget *list = child (today, KOERS_TYPE_TODAY_PAGE, "today_list");
  GtkWidget *row;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClientFile) file = NULL;
  KoersFileConversation *conversation;

  while (koers_main_view_pop_page (view))
    ;
  koers_main_view_set_tab (view, "today");
  koers_test_settle ();
  koers_test_wait_until (today_read, today, 20);
  koers_test_settle ();
  row = row_with (list, "Paspoort aanvragen");
  g_assert_nonnull (row);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (koers_test_find_descendant (row, GTK_TYPE_CHECK_BUTTON)), TRUE);
  koers_test_wait_for_writes (koers_main_view_get_reader (view));
  koers_test_settle ();
  koers_test_wait_until (today_read, today, 20);
  koers_test_settle ();
  g_assert_null (row_with (list, "Paspoort aanvragen"));
  file = koers_store_read_file (store, client_id, FALSE, &error);
  g_assert_no_error (error);
  conversation = g_ptr_array_index (file->conversations, 0);
  g_assert_true (((KoersNextStep *) g_ptr_array_index (conversation->next_steps, 0))->done);
}

static KoersReturnPlan *
stored_plan (KoersStore *store,
             GtkWidget  *plan_page)
{
  g_autoptr(GError) error = NULL;
  KoersReturnPlan *plan = koers_store_get_return_plan (store, koers_plan_page_get_plan_id (KOERS_PLAN_PAGE (plan_page)),
                                                       &error);

  g_assert_no_error (error);
  return plan;
}

static GtkWidget *
plan_child (GtkWidget  *plan_page,
            const char *name)
{
  return child (plan_page, KOERS_TYPE_PLAN_PAGE, name);
}

/* The plan to Morocco (suggested from the country of origin), with the
 * partner and two support items. */
static GtkWidget *
make_plan (KoersMainView *view,
           KoersStore    *store,
           GtkWidget     *page)
{
  GtkWidget *plan_page;
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autoptr(GPtrArray) support = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *items = NULL;

  g_assert_true (gtk_widget_activate_action (page, "client.show-plan", NULL));
  koers_test_settle ();
  plan_page = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_PLAN_PAGE (plan_page));
  g_assert_cmpstr (koers_country_row_get_country (KOERS_COUNTRY_ROW (plan_child (plan_page, "create_country_row"))),
                   ==, "MA");
  g_assert_true (gtk_widget_activate_action (plan_page, "plan.create", NULL));
  koers_test_settle ();
  g_assert_cmpstr (koers_plan_page_get_title (KOERS_PLAN_PAGE (plan_page)), ==, "Terugkeerplan naar Marokko");

  g_assert_true (gtk_widget_get_visible (plan_child (plan_page, "partner_row")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (plan_child (plan_page, "partner_row")),
                              index_of (adw_combo_row_get_model (ADW_COMBO_ROW (plan_child (plan_page, "partner_row"))),
                                        PARTNER));
  koers_test_settle ();
  plan = stored_plan (store, plan_page);
  g_assert_nonnull (plan->partner_id);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (
                     plan_child (plan_page, "partner_row")))),
                     adw_combo_row_get_selected (ADW_COMBO_ROW (plan_child (plan_page, "partner_row")))), ==, PARTNER);

  adw_combo_row_set_selected (ADW_COMBO_ROW (plan_child (plan_page, "support_kind_row")), KOERS_SUPPORT_DOCUMENTS);
  type_into (plan_child (plan_page, "support_details_row"), "Paspoort bij de ambassade");
  g_signal_emit_by_name (plan_child (plan_page, "support_details_row"), "entry-activated");
  adw_combo_row_set_selected (ADW_COMBO_ROW (plan_child (plan_page, "support_kind_row")), KOERS_SUPPORT_BUSINESS);
  type_into (plan_child (plan_page, "support_details_row"), "Kleine bakkerij in Oujda");
  g_assert_true (gtk_widget_activate_action (plan_page, "plan.add-support", NULL));
  koers_test_settle ();
  support = koers_store_list (store, KOERS_ENTITY_SUPPORT_ITEM, plan->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (support->len, ==, 2);
  items = rows_text (plan_child (plan_page, "support_list"));
  g_test_message ("support:\n%s", items);
  g_assert_nonnull (strstr (items, koers_label_support_kind (KOERS_SUPPORT_DOCUMENTS)));
  g_assert_nonnull (strstr (items, "Kleine bakkerij in Oujda"));
  return plan_page;
}

/* The response button of a message dialog labelled @label. */
static void
respond (GtkWidget  *dialog,
         const char *label)
{
  GtkWidget *button = button_labelled (dialog, label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
  koers_test_settle ();
}

/* Agreed, then departed on 1 November 2026: the check-ins are planned. */
static void
depart (KoersStore *store,
        GtkWidget  *plan_page)
{
  GtkWidget *dialog, *date_row;
  g_autoptr(KoersReturnPlan) plan = NULL;

  g_assert_true (gtk_widget_activate_action (plan_page, "plan.move", "i", KOERS_PLAN_AGREED));
  koers_test_settle ();
  g_assert_cmpstr (subtitle (plan_child (plan_page, "status_row")), ==, koers_label_plan_status (KOERS_PLAN_AGREED));
  g_assert_true (gtk_widget_activate_action (plan_page, "plan.move", "i", KOERS_PLAN_DEPARTED));
  koers_test_settle ();
  dialog = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  date_row = koers_test_find_descendant (dialog, KOERS_TYPE_DATE_ROW);
  type_into (GTK_WIDGET (koers_date_row_get_editable (KOERS_DATE_ROW (date_row))), "1-11-2026");
  respond (dialog, _("_Save"));
  g_assert_null (koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  plan = stored_plan (store, plan_page);
  g_assert_cmpint (plan->status, ==, KOERS_PLAN_DEPARTED);
  g_assert_cmpstr (plan->departed_on, ==, "2026-11-01");
  g_assert_cmpstr (subtitle (plan_child (plan_page, "status_row")), ==, koers_label_plan_status (KOERS_PLAN_DEPARTED));
  g_assert_true (gtk_widget_get_visible (plan_child (plan_page, "departed_row")));
  g_assert_nonnull (gtk_widget_get_first_child (plan_child (plan_page, "checkins_list")));
}

/* The first check-in, held today, with both indicators. */
static void
record_checkin (KoersStore *store,
                GtkWidget  *plan_page)
{
  GtkWidget *first = gtk_widget_get_first_child (plan_child (plan_page, "checkins_list"));
  KoersCheckinDialog *dialog;
  g_autoptr(KoersReturnPlan) plan = NULL;

  gtk_widget_activate (koers_test_find_descendant (first, GTK_TYPE_BUTTON));
  koers_test_settle ();
  dialog = KOERS_CHECKIN_DIALOG (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  g_assert_nonnull (dialog);
  koers_checkin_dialog_choose (dialog, TRUE, KOERS_ANSWER_YES);
  koers_checkin_dialog_choose (dialog, FALSE, KOERS_ANSWER_NO);
  type_into (GTK_WIDGET (koers_checkin_dialog_get_date_editable (dialog)), "10-12-2026");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "checkin.save", NULL));
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (KOERS_TYPE_CHECKIN_DIALOG));
  plan = stored_plan (store, plan_page);
  g_assert_cmpint (plan->status, ==, KOERS_PLAN_MONITORING);
  g_test_message ("latest: %s", subtitle (plan_child (plan_page, "latest_row")));
  g_assert_nonnull (strstr (subtitle (plan_child (plan_page, "latest_row")), "Sociale contacten: Ja"));
  g_assert_nonnull (strstr (subtitle (plan_child (plan_page, "latest_row")), "Economische activiteit: Nee"));
}

/* The plan on paper: names, never codes. */
static void
print_plan (Fixture    *f,
            KoersStore *store,
            const char *client_id)
{
  g_autofree char *pdf = g_build_filename (f->tmp, "plan.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (koers_print_plan (NULL, store, client_id, pdf, &error), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_test_message ("printout:\n%s", text);
  g_assert_nonnull (strstr (text, "Marokko"));
  g_assert_nonnull (strstr (text, PARTNER));
  g_assert_nonnull (strstr (text, "Paspoort bij de ambassade"));
  g_assert_nonnull (strstr (text, LATIN_NAME));
  g_assert_null (strstr (text, " MA\n"));
  g_assert_null (strstr (text, " MA "));
  g_assert_null (strstr (text, "(MA)"));
}

static void
test_hour (Fixture       *f,
           gconstpointer  data)
{
  KoersMainView *view = first_run (f);
  KoersStore *store = koers_main_view_get_store (view);
  g_autofree char *client_id = NULL;
  GtkWidget *page, *plan_page;

  stop_the_clock (view);
  add_colleagues (f);
  client_id = make_latin_file (view);
  page = intake_finds_file (view, client_id);
  give_consent (view, page, client_id);
  hold_conversation (view, store, page, client_id);
  tick_step_on_today (view, store, client_id);

  koers_main_view_show_client (view, client_id);
  page = koers_main_view_get_visible_page (view);
  wait_for_file (page);
  {
    /* The file follows Today: the ticked step is no longer coming up. */
    g_autofree char *upcoming = rows_text (child (page, KOERS_TYPE_CLIENT_PAGE, "upcoming_list"));

    g_assert_null (strstr (upcoming, "Paspoort aanvragen"));
  }
  plan_page = make_plan (view, store, page);
  depart (store, plan_page);
  record_checkin (store, plan_page);
  g_assert_true (koers_main_view_pop_page (view));
  wait_for_file (page);
  g_assert_nonnull (strstr (subtitle (child (page, KOERS_TYPE_CLIENT_PAGE, "plan_row")),
                            koers_label_plan_status (KOERS_PLAN_MONITORING)));
  print_plan (f, store, client_id);
}

static int
min_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The widest of @root's descendants (for the message when too wide). */
static void
report_widths (GtkWidget *root,
               int        depth)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && min_width (c) > 330)
      {
        g_test_message ("%*s%s %s: %d px", depth, "", G_OBJECT_TYPE_NAME (c), gtk_widget_get_name (c), min_width (c));
        report_widths (c, depth + 1);
      }
}

/* The whole window, a client's file open and then its conversation
 * editor, fits 360 px (a phone-sized window, GNOME's adaptive apps). */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  KoersMainView *view = first_run (f);
  g_autofree char *client_id = make_latin_file (view);
  GtkWidget *page;

  /* Narrow, the sync status can be its icon alone, named by its tooltip
   * and accessible label; given room, its words (not an ellipsis). */
  {
    GtkWidget *status = GTK_WIDGET (koers_main_view_get_sync_status (view));
    GtkWidget *words = child (status, KOERS_TYPE_SYNC_STATUS, "label");
    GtkWidget *button = child (status, KOERS_TYPE_SYNC_STATUS, "button");
    int natural = 0;

    gtk_widget_measure (status, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_test_message ("sync status: %d px at least, %d px with its words", min_width (status), natural);
    g_assert_cmpint (min_width (status), <, min_width (words));
    g_assert_cmpint (natural, >, min_width (words));
    g_assert_true (gtk_widget_get_mapped (words));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (words)), ==, "Op deze laptop");
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "laptop"));
  }

  koers_main_view_show_client (view, client_id);
  page = koers_main_view_get_visible_page (view);
  wait_for_file (page);
  g_test_message ("window with the file: %d px", min_width (GTK_WIDGET (f->window)));
  if (min_width (GTK_WIDGET (f->window)) > 360)
    report_widths (GTK_WIDGET (f->window), 0);
  g_assert_cmpint (min_width (GTK_WIDGET (f->window)), <=, 360);

  g_assert_true (gtk_widget_activate_action (page, "client.new-conversation", NULL));
  koers_test_settle ();
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (koers_main_view_get_visible_page (view)));
  g_test_message ("window with the conversation editor: %d px", min_width (GTK_WIDGET (f->window)));
  if (min_width (GTK_WIDGET (f->window)) > 360)
    report_widths (GTK_WIDGET (f->window), 0);
  g_assert_cmpint (min_width (GTK_WIDGET (f->window)), <=, 360);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;

  /* Dutch, as test-language starts it: the setting wins over LANGUAGE. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);
  settings = koers_settings_new ();
  g_assert_true (g_settings_set_string (settings, "language", "nl"));
  koers_settings_setup_language (g_getenv ("KOERS_LOCALEDIR"));
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/hour/whole-hour", Fixture, NULL,
              koers_window_fixture_set_up, test_hour, koers_window_fixture_tear_down);
  g_test_add ("/ui/hour/narrow", Fixture, NULL,
              koers_window_fixture_set_up, test_narrow, koers_window_fixture_tear_down);
  return g_test_run ();
}
