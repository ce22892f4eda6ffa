/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Today page, the conversation editor (writing, a draft offered back,
 * saved with an addendum), the return plan and the preferences, each in a
 * window of its own over a demo vault with names in several scripts. */
#include "config.h"

#define G_LOG_DOMAIN "koers-screenshots"

#include <adwaita.h>

#include "koers-checkin-dialog.h"
#include "koers-conversation-editor.h"
#include "koers-country-row.h"
#include "koers-plan-page.h"
#include "koers-orgs-page.h"
#include "koers-preferences-window.h"
#include "koers-screenshots-pages.h"
#include "koers-test-util.h"
#include "koers-today-page.h"

#define PASSPHRASE "rustig water heeft diepe gronden"

static KoersShotFunc save_widget;

static char *
demo_date (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static char *
demo_client (KoersStore *store,
             const char *name,
             const char *step,
             int         due_in_days,
             gboolean    signal)
{
  g_autoptr(KoersClient) client = koers_client_new ();
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  g_autoptr(KoersNextStep) next = koers_next_step_new ();
  const char *topics[] = { "voluntary_return", NULL };

  client->name = g_strdup (name);
  g_assert_true (koers_store_add_client (store, client, NULL));
  consent->client_id = g_strdup (client->id);
  consent->kind = KOERS_CONSENT_STORE_FILE;
  consent->granted = TRUE;
  consent->recorded_on = demo_date (-30);
  g_assert_true (koers_store_add_consent (store, consent, NULL));
  conversation->client_id = g_strdup (client->id);
  conversation->held_on = demo_date (-7);
  conversation->topics = g_strdupv ((char **) topics);
  conversation->psychosocial_signal = signal;
  conversation->notes = g_strdup ("Eerste gesprek.");
  g_assert_true (koers_store_add_conversation (store, conversation, NULL));
  next->conversation_id = g_strdup (conversation->id);
  next->description = g_strdup (step);
  next->due_on = demo_date (due_in_days);
  g_assert_true (koers_store_add_next_step (store, next, NULL));
  return g_strdup (client->id);
}

static GtkWidget *
page_window_sized (const char *title,
                   GtkWidget  *content,
                   int         width,
                   int         height)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static GtkWidget *
page_window (const char *title,
             GtkWidget  *content)
{
  return page_window_sized (title, content, 960, 760);
}

static void
type_notes (GtkWidget  *editor,
            const char *view,
            const char *text)
{
  GtkWidget *w = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (w));

  gtk_text_buffer_set_text (buffer, text, -1);
}

static void
toggle_named (GtkWidget  *editor,
              const char *box,
              const char *name)
{
  GtkWidget *flow = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, box);

  for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *toggle = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (g_object_get_data (G_OBJECT (toggle), "name"), name) == 0)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
    }
}

static void
scroll_widget_to (GtkWidget *scroller,
                  double     fraction)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  koers_test_settle ();
  gtk_adjustment_set_value (adj, (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)) * fraction);
}

/* The plan at 1280 and 360 px wide, a check-in being recorded, and a
 * plan just started for a country without partners yet. */
static void
shoot_plan (KoersStore         *store,
            const char         *client_id,
            const KoersCheckin *checkin)
{
  GtkWidget *page = koers_plan_page_new (store, client_id);
  GtkWidget *window = page_window_sized ("Mariam Haile ማርያም", page, 1280, 800);
  GtkWidget *scroller = koers_test_child (page, KOERS_TYPE_PLAN_PAGE, "scroller");
  KoersCheckinDialog *dialog;

  save_widget (window, "plan-wide");
  dialog = koers_checkin_dialog_open (page, store, checkin->id);
  koers_checkin_dialog_choose (dialog, TRUE, KOERS_ANSWER_NOT_KNOWN);
  koers_checkin_dialog_choose (dialog, FALSE, KOERS_ANSWER_YES);
  save_widget (GTK_WIDGET (dialog), "plan-checkin");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));

  page = koers_plan_page_new (store, client_id);
  window = page_window_sized ("Mariam Haile ማርያም", page, 360, 760);
  scroller = koers_test_child (page, KOERS_TYPE_PLAN_PAGE, "scroller");
  save_widget (window, "plan-narrow");
  scroll_widget_to (scroller, 0.5);
  save_widget (window, "plan-narrow-steps");
  scroll_widget_to (scroller, 1.0);
  save_widget (window, "plan-narrow-checkins");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
prefs_not_busy (gpointer prefs)
{
  return !koers_preferences_window_is_busy (KOERS_PREFERENCES_WINDOW (prefs));
}

/* The confirmation, then the new key shown once (this replaces the demo
 * vault's recovery key, so it comes last). */
static void
save_new_recovery_key (KoersPreferencesWindow *prefs)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.new-recovery-key", NULL);
  koers_test_settle ();
  dialog = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  save_widget (dialog, "preferences-new-recovery-key");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "new-key");
  koers_test_wait_until (prefs_not_busy, prefs, 60);
  save_widget (GTK_WIDGET (prefs), "preferences-recovery-key");
}

/* A referral made nine days ago (due two days ago), a client due today,
 * and a plan departed 35 days ago (its first check-in five days ago). */
static void
add_today_demo (KoersStore *store,
                const char *client_id,
                const char *counsellor_id)
{
  g_autoptr(KoersReferral) referral = koers_referral_new ();
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autofree char *departed = demo_date (-35);
  g_autofree char *samira = demo_client (store, "Samira Haddad سميرة حداد", "Huisarts bellen over medicatie", 0, FALSE);

  referral->client_id = g_strdup (client_id);
  referral->counsellor_id = g_strdup (counsellor_id);
  referral->reason = g_strdup ("Slaapt slecht sinds de afwijzing");
  referral->referred_on = demo_date (-9);
  referral->status = KOERS_REFERRAL_MADE;
  g_assert_true (koers_store_add_referral (store, referral, NULL));
  plan->client_id = g_strdup (samira);
  plan->country = g_strdup ("GE");
  g_assert_true (koers_store_add_return_plan (store, plan, NULL));
  g_assert_true (koers_store_record_departure (store, plan->id, departed, NULL));
}

static void
shoot_today (KoersStore       *store,
             KoersStoreReader *reader,
             const char       *client_id,
             const char       *counsellor_id)
{
  const struct { const char *name; int width, height; } shots[] = {
    { "today", 1280, 800 }, { "today-narrow", 360, 760 },
  };

  add_today_demo (store, client_id, counsellor_id);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      GtkWidget *page = koers_today_page_new (store, reader);
      GtkWidget *window = page_window ("Koers", page);

      gtk_window_set_default_size (GTK_WINDOW (window), shots[i].width, shots[i].height);
      koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
      save_widget (window, shots[i].name);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

void
koers_screenshots_pages (KoersShotFunc shot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("koers-shots-pages-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autoptr(KoersSession) session = NULL;
  KoersVault *vault;
  KoersStore *store;
  g_autoptr(KoersWorker) me = koers_worker_new ();
  g_autoptr(KoersWorker) counsellor = koers_worker_new ();
  g_autoptr(KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(KoersPartnerOrg) partner = koers_partner_org_new ();
  g_autoptr(KoersConsent) share = koers_consent_new ();
  const struct { KoersSupportKind kind; const char *description; KoersSupportStatus status; } support[] = {
    { KOERS_SUPPORT_DOCUMENTS, "Paspoort en geboorteakte", KOERS_SUPPORT_DELIVERED },
    { KOERS_SUPPORT_BUSINESS, "Naaiatelier in Asmara", KOERS_SUPPORT_APPROVED },
    { KOERS_SUPPORT_FAMILY_TRACING, NULL, KOERS_SUPPORT_PLANNED },
  };
  g_autoptr(GPtrArray) checkins = NULL;
  g_autofree char *mariam = NULL;
  g_autofree char *ahmad = NULL;
  g_autofree char *dawit = NULL;
  g_autofree char *leyla = NULL;
  const char *steps[] = { "Paspoort aanvragen bij de ambassade", "Reisdocument ophalen",
                          "Contact met partnerorganisatie in Asmara", NULL };
  const KoersOwner owners[] = { KOERS_OWNER_CLIENT, KOERS_OWNER_STEUNPUNT, KOERS_OWNER_PARTNER };
  GtkWidget *window, *page, *editor;

  save_widget = shot;

  session = koers_test_new_session (dir, "Fatima", PASSPHRASE, TRUE, NULL);
  vault = koers_session_get_vault (session);
  store = koers_session_get_store (session);

  steunpunt->name = g_strdup ("Steunpunt Utrecht");
  g_assert_true (koers_store_add_steunpunt (store, steunpunt, NULL));
  me->name = g_strdup ("Fatima");
  me->role = KOERS_ROLE_COORDINATOR;
  g_assert_true (koers_store_add_worker (store, me, NULL));
  counsellor->name = g_strdup ("Joost de Vries");
  counsellor->role = KOERS_ROLE_COUNSELLOR;
  g_assert_true (koers_store_add_worker (store, counsellor, NULL));
  koers_store_set_current_worker (store, me->id);
  g_assert_true (koers_vault_add_slot (vault, "Joost de Vries", PASSPHRASE, &params, NULL));

  mariam = demo_client (store, "Mariam Haile ማርያም", "Pasfoto laten maken", 1, TRUE);
  ahmad = demo_client (store, "Ahmad Rahimi احمد رحیمی", "Brief van de IND bespreken", -2, FALSE);
  dawit = demo_client (store, "Dawit Bekele", "Terugbellen over huisvesting", 4, FALSE);
  leyla = demo_client (store, "Leyla Yılmaz", "Volgende maand: evaluatie", 40, TRUE);
  {
    g_autoptr(KoersClient) a = koers_store_open_file (store, dawit, NULL);
    g_autoptr(KoersClient) b = koers_store_open_file (store, ahmad, NULL);
  }

  partner->name = g_strdup ("Reintegratiebureau Asmara");
  partner->country = g_strdup ("ER");
  g_assert_true (koers_store_add_partner_org (store, partner, NULL));
  share->client_id = g_strdup (mariam);
  share->kind = KOERS_CONSENT_SHARE_PARTNER;
  share->granted = TRUE;
  share->recorded_on = demo_date (-30);
  g_assert_true (koers_store_add_consent (store, share, NULL));
  plan->client_id = g_strdup (mariam);
  plan->country = g_strdup ("ER");
  plan->region = g_strdup ("Asmara");
  plan->partner_id = g_strdup (partner->id);
  plan->planned_departure = demo_date (-70);
  plan->departed_on = demo_date (-70);
  plan->status = KOERS_PLAN_DEPARTED;
  g_assert_true (koers_store_add_return_plan (store, plan, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (support); i++)
    {
      g_autoptr(KoersSupportItem) item = koers_support_item_new ();

      item->plan_id = g_strdup (plan->id);
      item->kind = support[i].kind;
      item->description = g_strdup (support[i].description);
      item->status = support[i].status;
      g_assert_true (koers_store_add_support_item (store, item, NULL));
    }
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autoptr(KoersReturnStep) step = koers_return_step_new ();

      step->plan_id = g_strdup (plan->id);
      step->description = g_strdup (steps[i]);
      step->owner = owners[i];
      step->due_on = demo_date (-100 + 10 * (int) i);
      step->done = i < 2;
      g_assert_true (koers_store_add_return_step (store, step, NULL));
    }
  g_assert_true (koers_store_schedule_checkins (store, plan->id, NULL, 0, NULL));
  checkins = koers_store_list (store, KOERS_ENTITY_CHECKIN, plan->id, NULL);
  {
    KoersCheckin *first = g_ptr_array_index (checkins, 0);

    first->held_on = g_strdup (first->due_on);
    first->social_contacts = KOERS_ANSWER_YES;
    first->economic_activity = KOERS_ANSWER_NO;
    g_assert_true (koers_store_update_checkin (store, first, NULL));
  }

  /* Today, wide and at 360 px: something overdue, due today and later
   * this week, a referral and a check-in to act on. */
  shoot_today (store, koers_session_get_reader (session), ahmad, counsellor->id);

  /* A new conversation being written */
  editor = koers_conversation_editor_new (store, koers_session_get_reader (session), dawit, NULL);
  window = page_window ("Dawit Bekele", editor);
  koers_conversation_editor_focus (KOERS_CONVERSATION_EDITOR (editor));  /* as the main view does */
  toggle_named (editor, "topics_box", "voluntary_return");
  toggle_named (editor, "barriers_box", "no_documents");
  toggle_named (editor, "barriers_box", "no_network");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "duration_spin")), 45);
  gtk_switch_set_active (GTK_SWITCH (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "interpreter_switch")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "signal_switch")), TRUE);
  type_notes (editor, "notes_view",
              "Dawit wil terug naar Eritrea als zijn moeder daar kan helpen met huisvesting. "
              "Hij slaapt slecht sinds de afwijzing.\n\nደሓን እየ — hij bedankte de tolk.");
  save_widget (window, "conversation");
  scroll_widget_to (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "scroller"), 1.0);
  save_widget (window, "conversation-notes");
  /* At 360 px: topics and barriers one to a line; then the signal's
   * referral, offered to the counsellor or an organisation. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  koers_test_settle ();
  scroll_widget_to (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "scroller"), 0.0);
  save_widget (window, "conversation-narrow");
  scroll_widget_to (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "scroller"), 0.5);
  save_widget (window, "conversation-narrow-referral");
  koers_conversation_editor_flush (KOERS_CONVERSATION_EDITOR (editor));
  koers_test_wait_for_writes (koers_session_get_reader (session));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Reopened: the draft is offered back */
  editor = koers_conversation_editor_new (store, koers_session_get_reader (session), dawit, NULL);
  window = page_window ("Dawit Bekele", editor);
  koers_conversation_editor_focus (KOERS_CONVERSATION_EDITOR (editor));
  save_widget (window, "conversation-draft");
  koers_conversation_editor_restore_draft (KOERS_CONVERSATION_EDITOR (editor));
  g_assert_true (koers_conversation_editor_save (KOERS_CONVERSATION_EDITOR (editor), NULL));
  koers_test_wait_for_writes (koers_session_get_reader (session));
  gtk_widget_activate_action (editor, "editor.add-addendum", NULL);
  type_notes (editor, "addendum_view", "Aanvulling: de tolk sprak Tigrinya.");
  gtk_widget_activate_action (editor, "editor.save-addendum", NULL);
  scroll_widget_to (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "scroller"), 1.0);
  save_widget (window, "conversation-saved");
  gtk_window_destroy (GTK_WINDOW (window));

  /* The return plan */
  page = koers_plan_page_new (store, mariam);
  window = page_window ("Mariam Haile ማርያም", page);
  koers_plan_page_focus (KOERS_PLAN_PAGE (page));  /* as the main view does */
  save_widget (window, "plan");
  scroll_widget_to (koers_test_child (page, KOERS_TYPE_PLAN_PAGE, "scroller"), 1.0);
  save_widget (window, "plan-checkins");
  gtk_window_destroy (GTK_WINDOW (window));
  shoot_plan (store, mariam, g_ptr_array_index (checkins, 1));
  /* No plan yet: start one with the country of return. */
  page = koers_plan_page_new (store, ahmad);
  window = page_window ("Ahmad Rahimi احمد رحیمی", page);
  save_widget (window, "plan-new");
  {
    /* The country typed by its Dutch name: the list narrows. */
    KoersCountryRow *country = KOERS_COUNTRY_ROW (koers_test_child (page, KOERS_TYPE_PLAN_PAGE, "create_country_row"));
    GtkMenuButton *button = GTK_MENU_BUTTON (koers_test_find_descendant (GTK_WIDGET (country), GTK_TYPE_MENU_BUTTON));

    gtk_menu_button_popup (button);
    koers_test_settle ();
    koers_country_row_search (country, "ma");
    save_widget (GTK_WIDGET (gtk_menu_button_get_popover (button)), "plan-new-country");
    gtk_menu_button_popdown (button);
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* Preferences, as a coordinator */
  {
    KoersPreferencesWindow *prefs = koers_preferences_window_new (NULL, session, TRUE);

    gtk_window_present (GTK_WINDOW (prefs));
    save_widget (GTK_WIDGET (prefs), "preferences");
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                             ADW_PREFERENCES_PAGE (koers_test_child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "people_page")));
    save_widget (GTK_WIDGET (prefs), "preferences-people");
    /* The directory a coordinator keeps: the partner of the demo plan. */
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                             ADW_PREFERENCES_PAGE (koers_test_find_descendant (GTK_WIDGET (prefs),
                                                                                              KOERS_TYPE_ORGS_PAGE)));
    save_widget (GTK_WIDGET (prefs), "preferences-organisations");
    save_new_recovery_key (prefs);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  koers_test_settle ();
  koers_session_lock (session);
  koers_test_rm_rf (tmp);
}
