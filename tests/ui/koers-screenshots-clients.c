/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo clients (fictional) in the scripts our clients write, then the
 * Clients tab, a search, a client's file and a new-client form. */
#include "config.h"

#define G_LOG_DOMAIN "koers-screenshots"

#include <adwaita.h>

#include "koers-client-item.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-screenshots-clients.h"
#include "koers-test-util.h"
#include "sync/koers-sync-round.h"

typedef struct
{
  const char  *name;
  const char  *alias;
  int          birth_year;
  const char  *country;
  const char  *language;
  KoersPhase   phase;
  KoersOutcome outcome;
} Demo;

static const Demo demo[] = {
  { "محمد عبد الله", "Mohammed Abdallah", 1987, "SY", "Arabisch", KOERS_PHASE_RETURN_SUPPORT, KOERS_OUTCOME_UNKNOWN },
  { "ተስፋይ ሃይለ", "Tesfay Haile", 1994, "ER", "Tigrinya", KOERS_PHASE_ORIENTATION, KOERS_OUTCOME_UNKNOWN },
  { "زهرا احمدی", "Zahra Ahmadi", 1979, "AF", "Dari", KOERS_PHASE_MONITORING, KOERS_OUTCOME_RETURNED },
  { "Amadou Diallo", NULL, 1990, "GN", "Frans", KOERS_PHASE_INTAKE, KOERS_OUTCOME_UNKNOWN },
  { "Олена Коваленко", "Olena Kovalenko", 1985, "UA", "Oekraïens", KOERS_PHASE_CLOSED, KOERS_OUTCOME_PERMIT },
  { "Senait Gebremedhin", NULL, 1998, "ET", "Amhaars", KOERS_PHASE_ORIENTATION, KOERS_OUTCOME_UNKNOWN },
  { "علی رضایی", "Ali Rezaei", 1982, "IR", "Farsi", KOERS_PHASE_RETURN_SUPPORT, KOERS_OUTCOME_UNKNOWN },
  { "Mariam Yusuf", NULL, 2001, "SO", "Somalisch", KOERS_PHASE_INTAKE, KOERS_OUTCOME_UNKNOWN },
  { "Giorgi Beridze", NULL, 1975, "GE", "Georgisch", KOERS_PHASE_CLOSED, KOERS_OUTCOME_RETURNED },
  { "Hassan Osman", NULL, 1969, "SD", "Arabisch", KOERS_PHASE_MONITORING, KOERS_OUTCOME_RETURNED },
};

static char *
date_in (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
check (gboolean      ok,
       const GError *error)
{
  if (!ok)
    g_error ("Demo data: %s", error != NULL ? error->message : "?");
}

/* The first client's file: two conversations, a next step, a referral, a
 * return plan with a step and check-ins. */
static void
add_history (KoersStore *store,
             const char *client_id)
{
  g_autoptr(KoersConversation) first = koers_conversation_new ();
  g_autoptr(KoersConversation) second = koers_conversation_new ();
  g_autoptr(KoersNextStep) step = koers_next_step_new ();
  g_autoptr(KoersReferralOrg) org = koers_referral_org_new ();
  g_autoptr(KoersReferral) referral = koers_referral_new ();
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(KoersReturnStep) plan_step = koers_return_step_new ();
  g_autoptr(GError) error = NULL;
  const int months[] = { 1, 3 };

  const char *topics[] = { "voluntary_return", NULL };
  const char *workers[] = { koers_store_get_current_worker (store), NULL };

  first->client_id = g_strdup (client_id);
  first->held_on = date_in (-42);
  first->topics = g_strdupv ((char **) topics);
  first->worker_ids = workers[0] != NULL ? g_strdupv ((char **) workers) : NULL;
  first->interpreter_present = TRUE;
  first->notes = g_strdup ("Kennismaking; wil weten wat terugkeer betekent.");
  check (koers_store_add_conversation (store, first, &error), error);

  second->client_id = g_strdup (client_id);
  second->held_on = date_in (-9);
  second->worker_ids = workers[0] != NULL ? g_strdupv ((char **) workers) : NULL;
  second->psychosocial_signal = TRUE;
  second->notes = g_strdup ("Slaapt slecht; zorgen om familie.");
  check (koers_store_add_conversation (store, second, &error), error);

  step->conversation_id = g_strdup (second->id);
  step->description = g_strdup ("Paspoortaanvraag bespreken");
  step->due_on = date_in (3);
  check (koers_store_add_next_step (store, step, &error), error);

  org->name = g_strdup ("GGZ Spreekuur Zuid");
  org->kind = KOERS_ORG_KIND_MENTAL_HEALTH;
  check (koers_store_add_referral_org (store, org, &error), error);
  referral->client_id = g_strdup (client_id);
  referral->organisation_id = g_strdup (org->id);
  referral->reason = g_strdup ("Slaapproblemen");
  referral->referred_on = date_in (-8);
  referral->status = KOERS_REFERRAL_MADE;
  check (koers_store_add_referral (store, referral, &error), error);

  plan->client_id = g_strdup (client_id);
  plan->country = g_strdup ("SY");
  plan->planned_departure = date_in (40);
  plan->status = KOERS_PLAN_AGREED;
  check (koers_store_add_return_plan (store, plan, &error), error);
  plan_step->plan_id = g_strdup (plan->id);
  plan_step->description = g_strdup ("Reisdocumenten aanvragen");
  plan_step->owner = KOERS_OWNER_STEUNPUNT;
  plan_step->due_on = date_in (14);
  check (koers_store_add_return_step (store, plan_step, &error), error);
  check (koers_store_schedule_checkins (store, plan->id, months, G_N_ELEMENTS (months), &error), error);
}

static char *
add_demo (KoersStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;

  check (koers_store_begin (store, &error), error);
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autoptr(KoersClient) client = koers_client_new ();
      g_autoptr(KoersConsent) consent = koers_consent_new ();
      const char *languages[] = { demo[i].language, NULL };

      client->name = g_strdup (demo[i].name);
      client->birth_year = demo[i].birth_year;
      client->country_of_origin = g_strdup (demo[i].country);
      client->languages = g_strdupv ((char **) languages);
      client->needs_interpreter = i % 3 == 0;
      client->phase = demo[i].phase;
      client->outcome = demo[i].outcome;
      check (koers_store_add_client (store, client, &error), error);

      consent->client_id = g_strdup (client->id);
      consent->kind = KOERS_CONSENT_STORE_FILE;
      consent->granted = TRUE;
      consent->recorded_on = date_in (-60);
      check (koers_store_add_consent (store, consent, &error), error);
      if (demo[i].alias != NULL)
        {
          g_autoptr(KoersAlias) alias = koers_alias_new ();

          alias->client_id = g_strdup (client->id);
          alias->name = g_strdup (demo[i].alias);
          check (koers_store_add_alias (store, alias, &error), error);
        }
      if (i == 0)
        first_id = g_strdup (client->id);
    }
  check (koers_store_commit (store, &error), error);
  add_history (store, first_id);
  return g_steal_pointer (&first_id);
}

/* The Clients tab of an enrolled laptop: one client's changes wait to be
 * sent, one's are sent and not yet confirmed, the rest arrived. The
 * enrollment is taken away again (it is a stand-in, not a real file). */
static void
shoot_delivery (KoersMainView    *view,
                KoersClientsPage *clients,
                const char       *first_id,
                KoersShotFunc     save)
{
  KoersStore *store = koers_main_view_get_store (view);
  KoersClientList *list = koers_clients_page_get_list (clients);
  g_autoptr(GBytes) enrollment = g_bytes_new_static ("screenshot", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) first = NULL;
  g_autoptr(KoersClientItem) second = NULL;
  g_autoptr(KoersClient) other = NULL;

  check (koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, enrollment, &error), error);
  koers_test_sync_cut_all (store);
  koers_test_sync_upload_all (store);
  koers_test_sync_acknowledge_all (store);
  first = koers_store_get_client (store, first_id, &error);
  check (first != NULL, error);
  first->needs_interpreter = !first->needs_interpreter;
  check (koers_store_update_client (store, first, &error), error);
  koers_test_sync_cut_all (store);
  koers_test_sync_upload_all (store);
  second = g_list_model_get_item (G_LIST_MODEL (list), 1);
  other = koers_store_get_client (store, koers_client_item_get_id (second), &error);
  check (other != NULL, error);
  other->needs_interpreter = !other->needs_interpreter;
  check (koers_store_update_client (store, other, &error), error);
  koers_test_settle ();
  koers_test_settle ();
  save (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view))), "clients-delivery");
  check (koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, NULL, &error), error);
  koers_test_settle ();
  koers_test_settle ();
}

/* The Clients tab at 360 px (a phone, or a laptop's half screen), with
 * more steunpunten than one: the filters wrap under the search field. */
static void
shoot_narrow (KoersWindow      *window,
              KoersMainView    *view,
              KoersClientsPage *clients,
              KoersShotFunc     save)
{
  static const char *const steunpunten[] = { "Steunpunt Zuid-Holland Rotterdam", "Steunpunt Gelderland", NULL };
  KoersStore *store = koers_main_view_get_store (view);
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *layout = NULL;
  gboolean animations;
  g_autoptr(GError) error = NULL;
  int width, height;

  for (guint i = 0; steunpunten[i] != NULL; i++)
    {
      g_autoptr(KoersSteunpunt) steunpunt = koers_steunpunt_new ();

      steunpunt->name = g_strdup (steunpunten[i]);
      check (koers_store_add_steunpunt (store, steunpunt, &error), error);
    }
  /* The filters read the steunpunten when the page gets the store. */
  koers_clients_page_set_store (clients, store, koers_main_view_get_reader (view));
  koers_test_wait_for_list (koers_clients_page_get_list (clients));
  /* GNOME's title-bar buttons (close only), and animations on: with
   * them off GTK 4.8 warns as the view switcher bar appears. */
  g_object_get (settings, "gtk-decoration-layout", &layout, "gtk-enable-animations", &animations, NULL);
  g_object_set (settings, "gtk-decoration-layout", ":close", "gtk-enable-animations", TRUE, NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, height);
  koers_test_settle ();
  koers_test_settle ();
  save (GTK_WIDGET (window), "clients-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  koers_test_settle ();
  koers_test_settle ();
  g_object_set (settings, "gtk-decoration-layout", layout, "gtk-enable-animations", animations, NULL);
}

static gboolean
file_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

static void
wait_for_file (GtkWidget *page)
{
  koers_test_wait_until (file_read, page, 20);
  koers_test_settle ();
}

/* Scrolls the page so that its template child @name (and the title of
 * its group) is at the top; NULL: the top of the page. */
static void
scroll_to (GtkWidget  *page,
           const char *name)
{
  GtkWidget *scroller = koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "scroller");
  GtkWidget *target = name != NULL ? koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, name) : NULL;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t top = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t at;

  koers_test_settle ();
  gtk_adjustment_set_value (adj, 0);
  koers_test_settle ();
  if (target != NULL && gtk_widget_compute_point (target, scroller, &top, &at))
    gtk_adjustment_set_value (adj, at.y - 60);  /* with the group's title */
  koers_test_settle ();
}

/* The page at @group in a window @width pixels wide: 1280 (a laptop) or
 * 360 (a phone, or half a small screen). */
static void
at_width (KoersWindow   *window,
          GtkWidget     *page,
          KoersShotFunc  save,
          int            new_width,
          const char    *group,
          const char    *shot)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), new_width, height);
  koers_test_settle ();
  scroll_to (page, group);
  save (GTK_WIDGET (window), shot);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  koers_test_settle ();
}

/* A file's consent, what is coming up and its history. */
static void
shoot_file (KoersWindow   *window,
            GtkWidget     *page,
            KoersShotFunc  save)
{
  at_width (window, page, save, 1280, NULL, "client-file-consent");
  at_width (window, page, save, 1280, "file_group", "client-file-timeline");
  at_width (window, page, save, 360, "header_summary", "client-file-consent-narrow");
  at_width (window, page, save, 360, "upcoming_group", "client-file-timeline-narrow");
}

void
koers_screenshots_clients (KoersWindow   *window,
                           KoersShotFunc  save)
{
  KoersMainView *view = koers_window_get_main_view (window);
  KoersClientsPage *clients;
  g_autofree char *first_id = NULL;
  GtkWidget *page;
  GtkWidget *search;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *next_year = g_strdup_printf ("%d", g_date_time_get_year (now) + 1);

  g_assert (view != NULL);
  clients = KOERS_CLIENTS_PAGE (koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "clients_page"));
  first_id = add_demo (koers_main_view_get_store (view));
  koers_clients_page_refresh (clients);
  koers_test_wait_for_list (koers_clients_page_get_list (clients));
  koers_main_view_set_tab (view, "clients");  /* the Today page, once attached, is the start tab */
  gtk_widget_grab_focus (koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "clients_page"));
  koers_test_settle ();
  save (GTK_WIDGET (window), "clients");

  search = koers_test_child (clients, KOERS_TYPE_CLIENTS_PAGE, "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (search), "mohamed");
  koers_clients_page_focus_search (clients);
  gtk_editable_set_position (GTK_EDITABLE (search), -1);
  koers_test_settle ();  /* past the search field's delay */
  koers_test_wait_for_list (koers_clients_page_get_list (clients));
  save (GTK_WIDGET (window), "clients-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "");

  koers_main_view_show_client (view, first_id);
  page = koers_main_view_get_visible_page (view);
  wait_for_file (page);
  save (GTK_WIDGET (window), "client-file");
  shoot_file (window, page, save);
  koers_main_view_pop_page (view);

  shoot_delivery (view, clients, first_id, save);
  shoot_narrow (window, view, clients, save);

  koers_main_view_new_client (view);
  page = koers_main_view_get_visible_page (view);
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "name_row")),
                         "Yonas Tekle");
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "birth_year_row")),
                         next_year);
  gtk_widget_grab_focus (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "birth_year_row"));
  wait_for_file (page);
  save (GTK_WIDGET (window), "client-new");
  koers_main_view_pop_page (view);

  /* The duplicate check: typed as heard, the file in Arabic is offered. */
  koers_main_view_new_client (view);
  page = koers_main_view_get_visible_page (view);
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "name_row")),
                         "Mohammed Abdallah");
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "birth_year_row")), "1987");
  wait_for_file (page);
  at_width (window, page, save, 1280, "duplicates_group", "client-new-duplicate");
  at_width (window, page, save, 360, "duplicates_group", "client-new-duplicate-narrow");
  koers_main_view_pop_page (view);
}
