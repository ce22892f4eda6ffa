/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Today page at a consultation hour: what is overdue, due today and
 * due later this week, each in its own section with its count; a step
 * marked done from its row (and put back with Undo), a referral's status
 * changed on the spot, a check-in to record, unreferred psychosocial
 * signals that go once a referral is made, recently opened files; a row
 * opens the file; the page follows saves made elsewhere. Real widgets on
 * a real vault, read by the real store reader. */
#include "config.h"

#define G_LOG_DOMAIN "test-today"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "koers-test-util.h"
#include "koers-checkin-dialog.h"
#include "koers-today-page.h"
#include "store/koers-client-file.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

typedef KoersStoreFixture Fixture;

static char *
add_client (Fixture    *f,
            const char *name,
            const char *step,
            int         due_in_days,
            gboolean    signal)
{
  return koers_test_add_client_with_step (f->store, name, step, due_in_days, FALSE, signal);
}

/* A client with a conversation held today (with a psychosocial signal or
 * not) and, if @step, a next step due on @due_on ("YYYY-MM-DD"). Returns
 * the conversation's id; the client's goes to @client_id. */
static char *
add_conversation (Fixture     *f,
                  const char  *name,
                  const char  *step,
                  const char  *due_on,
                  gboolean     signal,
                  char       **client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  g_autoptr(KoersNextStep) next = koers_next_step_new ();

  *client_id = koers_test_add_client (f->store, name, KOERS_PHASE_ORIENTATION);
  conversation->client_id = g_strdup (*client_id);
  conversation->held_on = koers_store_today (f->store);
  conversation->psychosocial_signal = signal;
  g_assert_true (koers_store_add_conversation (f->store, conversation, &error));
  g_assert_no_error (error);
  if (step != NULL)
    {
      next->conversation_id = g_strdup (conversation->id);
      next->description = g_strdup (step);
      next->due_on = g_strdup (due_on);
      g_assert_true (koers_store_add_next_step (f->store, next, &error));
      g_assert_no_error (error);
    }
  return g_strdup (conversation->id);
}

static char *
add_counsellor (Fixture    *f,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) counsellor = koers_worker_new ();

  counsellor->name = g_strdup (name);
  counsellor->role = KOERS_ROLE_COUNSELLOR;
  counsellor->active = TRUE;
  g_assert_true (koers_store_add_worker (f->store, counsellor, &error));
  g_assert_no_error (error);
  return g_strdup (counsellor->id);
}

/* A referral of @client_id to @counsellor_id made @days_ago (due a week
 * after that). Returns its id. */
static char *
add_referral (Fixture    *f,
              const char *client_id,
              const char *counsellor_id,
              int         days_ago)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReferral) referral = koers_referral_new ();

  referral->client_id = g_strdup (client_id);
  referral->counsellor_id = g_strdup (counsellor_id);
  referral->reason = g_strdup ("Slaapt slecht");
  referral->referred_on = koers_test_days_from_today (f->store, -days_ago);
  referral->status = KOERS_REFERRAL_MADE;
  g_assert_true (koers_store_add_referral (f->store, referral, &error));
  g_assert_no_error (error);
  return g_strdup (referral->id);
}

/* Stands in for the main view's navigation: records the target of the
 * last view.open-client or view.show-plan. */
static void
on_view_action (GSimpleAction *action,
                GVariant      *parameter,
                char         **target)
{
  g_free (*target);
  *target = g_strdup_printf ("%s %s", g_action_get_name (G_ACTION (action)), g_variant_get_string (parameter, NULL));
}

static void
add_view_actions (GtkWidget  *window,
                  char      **target)
{
  g_autoptr(GSimpleActionGroup) view = g_simple_action_group_new ();
  const char *names[] = { "open-client", "show-plan" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], G_VARIANT_TYPE_STRING);

      g_signal_connect (action, "activate", G_CALLBACK (on_view_action), target);
      g_action_map_add_action (G_ACTION_MAP (view), G_ACTION (action));
    }
  gtk_widget_insert_action_group (window, "view", G_ACTION_GROUP (view));
}

/* The page in a window, inside a toast overlay as in the app, its lists
 * read. */
static GtkWidget *
show_page (Fixture    *f,
           GtkWidget **window)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *page = koers_today_page_new (f->store, f->reader);

  *window = gtk_window_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (*window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (*window), 800, 900);
  gtk_window_present (GTK_WINDOW (*window));
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();
  return page;
}

/* After a change: the page's queued read, done. */
static void
wait_for_reload (GtkWidget *page)
{
  koers_test_settle ();
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();
}

static GtkWidget *
child (GtkWidget  *page,
       const char *name)
{
  return koers_test_child (page, KOERS_TYPE_TODAY_PAGE, name);
}

/* The shown rows of a list, "title | subtitle" one per line. */
static char *
list_text (GtkWidget  *page,
           const char *name)
{
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (child (page, name)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row))
      g_string_append_printf (out, "%s | %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "");
  return g_string_free (out, FALSE);
}

/* The first shown row of list @name whose subtitle holds @text. */
static GtkWidget *
find_row (GtkWidget  *page,
          const char *name,
          const char *text)
{
  for (GtkWidget *row = gtk_widget_get_first_child (child (page, name)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row) &&
        strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "", text) != NULL)
      return row;
  return NULL;
}

static gboolean
shown (GtkWidget  *page,
       const char *name)
{
  return gtk_widget_is_visible (child (page, name));
}

/* The check-in dialog that a Record… button opened, if any. */
static KoersCheckinDialog *
find_checkin_dialog (void)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  koers_test_settle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (KOERS_IS_CHECKIN_DIALOG (window))
        return KOERS_CHECKIN_DIALOG (window);
    }
  return NULL;
}

/* A widget in @root's tree whose label or tooltip is @text. */
static GtkWidget *
find_labelled (GtkWidget  *root,
               const char *text)
{
  if ((GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0) ||
      g_strcmp0 (gtk_widget_get_tooltip_text (root), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_labelled (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* No icon in @root says "done": Today lists open items only. */
static void
assert_no_done_icon (GtkWidget *root)
{
  if (GTK_IS_IMAGE (root))
    {
      const char *icon = gtk_image_get_icon_name (GTK_IMAGE (root));

      g_assert_cmpstr (icon, !=, "object-select-symbolic");
      g_assert_cmpstr (icon, !=, "checkbox-checked-symbolic");
      g_assert_cmpstr (icon, !=, "emblem-ok-symbolic");
    }
  if (GTK_IS_CHECK_BUTTON (root))
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_no_done_icon (c);
}

/* Each item in its own section by its date: a step overdue since 2022 in
 * Overdue (not in the week), oldest first; a check-in by its month; one
 * due today; one in four days; nothing next month. Counts in the
 * headers; names, never codes. */
static void
test_sections (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autofree char *old_id = NULL, *today_id = NULL, *week_id = NULL, *later_id = NULL, *plan_client = NULL;
  g_autofree char *c1 = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;
  g_autofree char *departed = koers_test_days_from_today (f->store, -40);
  g_autofree char *today = koers_store_today (f->store);
  g_autofree char *in_four = koers_test_days_from_today (f->store, 4);
  g_autofree char *next_month = koers_test_days_from_today (f->store, 40);
  g_autofree char *overdue = NULL, *due_today = NULL, *week = NULL;
  GtkWidget *window, *page;

  c1 = add_conversation (f, "Mariam Haile", "Paspoort verlopen: nieuw aanvragen", "2022-03-01", FALSE, &old_id);
  c2 = add_conversation (f, "Dawit Bekele", "IND-brief bespreken", today, FALSE, &today_id);
  c3 = add_conversation (f, "Leyla Yılmaz", "Huisarts bellen", in_four, FALSE, &week_id);
  c4 = add_conversation (f, "Ahmad Rahimi", "Evaluatie", next_month, FALSE, &later_id);
  plan_client = koers_test_add_client (f->store, "Samira Haddad", KOERS_PHASE_MONITORING);
  plan->client_id = g_strdup (plan_client);
  plan->country = g_strdup ("GE");
  g_assert_true (koers_store_add_return_plan (f->store, plan, &error));
  g_assert_no_error (error);
  g_assert_true (koers_store_record_departure (f->store, plan->id, departed, &error));
  g_assert_no_error (error);

  page = show_page (f, &window);
  overdue = list_text (page, "overdue_list");
  due_today = list_text (page, "today_list");
  week = list_text (page, "week_list");
  g_test_message ("overdue:\n%s\ntoday:\n%s\nweek:\n%s", overdue, due_today, week);

  g_assert_true (shown (page, "overdue_group"));
  g_assert_true (g_str_has_prefix (overdue, "Mariam Haile | Paspoort verlopen: nieuw aanvragen — overdue since 1 March 2022\n"
                                            "Samira Haddad | Check-in after 1 month — overdue since "));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "overdue_count"))), ==, "2");
  g_assert_cmpstr (due_today, ==, "Dawit Bekele | IND-brief bespreken\n");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "today_count"))), ==, "1");
  g_assert_true (g_str_has_prefix (week, "Leyla Yılmaz | Huisarts bellen — due "));
  g_assert_null (strstr (week, "2022"));
  g_assert_null (strstr (week, "Mariam"));
  g_assert_null (strstr (overdue, "Leyla"));
  for (guint s = 0; s < 3; s++)
    {
      const char *lists[] = { overdue, due_today, week };

      g_assert_null (strstr (lists[s], "Ahmad"));
      g_assert_null (strstr (lists[s], "GE"));
    }

  /* A step has an empty check box to tick; a check-in asks to be
   * recorded; nothing looks done. */
  g_assert_nonnull (koers_test_find_descendant (find_row (page, "overdue_list", "Paspoort"), GTK_TYPE_CHECK_BUTTON));
  g_assert_null (koers_test_find_descendant (find_row (page, "overdue_list", "Check-in"), GTK_TYPE_CHECK_BUTTON));
  g_assert_nonnull (find_labelled (find_row (page, "overdue_list", "Check-in"), "Record the check-in"));
  assert_no_done_icon (page);

  /* The check-in dialog for a check-in: recorded there, the row goes;
   * the file for the row. */
  {
    g_autofree char *target = NULL;
    g_autofree char *want_file = g_strdup_printf ("open-client %s", old_id);
    GtkWidget *list = child (page, "overdue_list");
    KoersCheckinDialog *dialog;
    g_autoptr(GError) save_error = NULL;

    add_view_actions (window, &target);
    g_signal_emit_by_name (find_labelled (find_row (page, "overdue_list", "Check-in"), "Record the check-in"), "clicked");
    dialog = find_checkin_dialog ();
    g_assert_nonnull (dialog);
    g_assert_null (target);
    koers_checkin_dialog_choose (dialog, TRUE, KOERS_ANSWER_YES);
    koers_checkin_dialog_choose (dialog, FALSE, KOERS_ANSWER_NO);
    g_assert_true (koers_checkin_dialog_save (dialog, &save_error));
    g_assert_no_error (save_error);
    wait_for_reload (page);
    g_assert_null (find_row (page, "overdue_list", "Check-in"));
    g_signal_emit_by_name (list, "row-activated", find_row (page, "overdue_list", "Paspoort"));
    g_assert_cmpstr (target, ==, want_file);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* Other lists and the file a row opens. */
static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *soon = add_client (f, "Mariam Haile", "Pasfoto laten maken", 2, TRUE);
  g_autofree char *later = add_client (f, "Dawit Bekele", "Volgende maand bellen", 40, FALSE);
  g_autoptr(KoersClient) opened_client = koers_store_open_file (f->store, later, NULL);
  g_autofree char *week = NULL;
  g_autofree char *due_today = NULL;
  g_autofree char *signals = NULL;
  g_autofree char *recent = NULL;
  g_autofree char *target = NULL;
  g_autofree char *want = g_strdup_printf ("open-client %s", soon);
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);

  week = list_text (page, "week_list");
  g_assert_nonnull (strstr (week, "Mariam Haile | Pasfoto laten maken"));
  g_assert_null (strstr (week, "Volgende maand"));
  g_assert_null (strstr (week, "Dawit"));
  g_assert_false (shown (page, "overdue_group"));
  due_today = list_text (page, "today_list");
  g_assert_cmpstr (due_today, ==, "Nothing is due today. | \n");

  signals = list_text (page, "signal_list");
  g_assert_nonnull (strstr (signals, "Mariam Haile | Offer a referral to a counsellor"));
  g_assert_null (strstr (signals, "Dawit"));

  recent = list_text (page, "recent_list");
  g_assert_nonnull (strstr (recent, "Dawit Bekele"));

  add_view_actions (window, &target);
  g_signal_emit_by_name (child (page, "week_list"), "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (page, "week_list")), 0));
  g_assert_cmpstr (target, ==, want);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static GtkWidget *
find_undo (GtkWidget *window)
{
  return find_labelled (window, "_Undo");
}

static gboolean
next_step_done (Fixture    *f,
                const char *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClientFile) file = koers_store_read_file (f->store, client_id, FALSE, &error);
  KoersFileConversation *conversation;

  g_assert_no_error (error);
  conversation = g_ptr_array_index (file->conversations, 0);
  return ((KoersNextStep *) g_ptr_array_index (conversation->next_steps, 0))->done;
}

/* Ticking a step marks it done in the store and takes it off Today;
 * Undo marks it open again and it comes back. */
static void
test_step_done_undo (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *client_id = add_client (f, "Mariam Haile", "Pasfoto laten maken", 0, FALSE);
  g_autofree char *other_id = add_client (f, "Dawit Bekele", "Terugbellen", 0, FALSE);
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);
  GtkWidget *check;

  g_assert_nonnull (find_row (page, "today_list", "Pasfoto"));
  check = koers_test_find_descendant (find_row (page, "today_list", "Pasfoto"), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  g_assert_null (find_undo (window));

  gtk_widget_grab_focus (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  /* Gone at once, and in the store once written. */
  g_assert_null (find_row (page, "today_list", "Pasfoto"));
  koers_test_wait_for_writes (f->reader);
  g_assert_true (next_step_done (f, client_id));
  g_assert_false (next_step_done (f, other_id));
  wait_for_reload (page);
  g_assert_null (find_row (page, "today_list", "Pasfoto"));
  g_assert_nonnull (find_row (page, "today_list", "Terugbellen"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "today_count"))), ==, "1");
  /* The keyboard stays in the list, on the next item. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == find_row (page, "today_list", "Terugbellen"));

  /* Undo: open again, and back on the page. */
  g_assert_nonnull (find_undo (window));
  gtk_widget_activate (find_undo (window));
  koers_test_wait_for_writes (f->reader);
  koers_test_settle ();
  g_assert_false (next_step_done (f, client_id));
  wait_for_reload (page);
  g_assert_nonnull (find_row (page, "today_list", "Pasfoto"));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    koers_test_find_descendant (find_row (page, "today_list", "Pasfoto"), GTK_TYPE_CHECK_BUTTON))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "today_count"))), ==, "2");

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

/* Ticked while it was deleted behind the page (before the page read the
 * change): the write job is refused on the reader's thread, the toast says
 * why, and nothing is left ticked. */
static void
test_step_done_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *client_id = add_client (f, "Mariam Haile", "Pasfoto laten maken", 0, FALSE);
  g_autoptr(KoersClientFile) file = koers_store_read_file (f->store, client_id, FALSE, NULL);
  KoersFileConversation *conversation = g_ptr_array_index (file->conversations, 0);
  KoersNextStep *step = g_ptr_array_index (conversation->next_steps, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = NULL;
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);
  GtkWidget *check = koers_test_find_descendant (find_row (page, "today_list", "Pasfoto"),
                                                 GTK_TYPE_CHECK_BUTTON);

  g_assert_true (koers_store_delete (f->store, KOERS_ENTITY_NEXT_STEP, step->id, &error));
  g_assert_no_error (error);
  g_assert_false (koers_store_set_step_done (f->store, KOERS_ENTITY_NEXT_STEP, step->id, TRUE, &expected));
  g_assert_nonnull (expected);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  koers_test_wait_for_writes (f->reader);
  koers_test_settle ();
  g_assert_true (has_label (window, expected->message));
  g_assert_null (find_undo (window));   /* nothing to undo */
  wait_for_reload (page);
  g_assert_null (find_row (page, "today_list", "Pasfoto"));

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static KoersReferralStatus
referral_status (Fixture    *f,
                 const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReferral) referral = koers_store_get_referral (f->store, id, &error);

  g_assert_no_error (error);
  return referral->status;
}

/* An open referral is due a week after its last change: its row names
 * the counsellor and has its status to change. Accepted keeps it open (due
 * again in a week, so off this week's list); done closes it for good. */
static void
test_referral_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *counsellor = add_counsellor (f, "Joost de Vries");
  g_autofree char *client_a = koers_test_add_client (f->store, "Mariam Haile", KOERS_PHASE_ORIENTATION);
  g_autofree char *client_b = koers_test_add_client (f->store, "Dawit Bekele", KOERS_PHASE_ORIENTATION);
  g_autofree char *referral_a = add_referral (f, client_a, counsellor, 10);
  g_autofree char *referral_b = add_referral (f, client_b, counsellor, 8);
  g_autofree char *overdue = NULL;
  g_autofree char *week = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all_due = NULL;
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);
  GtkWidget *row;
  GtkDropDown *status;

  overdue = list_text (page, "overdue_list");
  g_test_message ("%s", overdue);
  g_assert_true (g_str_has_prefix (overdue, "Mariam Haile | Referral to Joost de Vries — overdue since "));
  g_assert_nonnull (strstr (overdue, "Dawit Bekele | Referral to Joost de Vries — overdue since "));
  row = find_row (page, "overdue_list", "Referral");
  status = GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (status);
  g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, KOERS_REFERRAL_MADE);

  gtk_drop_down_set_selected (status, KOERS_REFERRAL_ACCEPTED);
  koers_test_wait_for_writes (f->reader);
  g_assert_cmpint (referral_status (f, referral_a), ==, KOERS_REFERRAL_ACCEPTED);
  g_assert_cmpint (referral_status (f, referral_b), ==, KOERS_REFERRAL_MADE);
  wait_for_reload (page);
  g_clear_pointer (&overdue, g_free);
  overdue = list_text (page, "overdue_list");
  week = list_text (page, "week_list");
  g_assert_null (strstr (overdue, "Mariam"));
  g_assert_null (strstr (week, "Mariam"));
  /* Still open: due again a week from today. */
  {
    g_autofree char *in_week = koers_test_days_from_today (f->store, 7);

    all_due = koers_store_list_due (f->store, in_week, in_week, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (all_due->len, ==, 1);
    g_assert_cmpstr (((KoersDueItem *) all_due->pdata[0])->id, ==, referral_a);
  }

  row = find_row (page, "overdue_list", "Referral");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Dawit Bekele");
  status = GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (status, KOERS_REFERRAL_DONE);
  koers_test_wait_for_writes (f->reader);
  g_assert_cmpint (referral_status (f, referral_b), ==, KOERS_REFERRAL_DONE);
  wait_for_reload (page);
  g_assert_false (shown (page, "overdue_group"));
  g_clear_pointer (&all_due, g_ptr_array_unref);
  all_due = koers_store_list_due (f->store, "1900-01-01", "2200-12-31", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all_due->len; i++)
    g_assert_cmpstr (((KoersDueItem *) all_due->pdata[i])->id, !=, referral_b);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* "Offer a referral to a counsellor" goes once the signal is referred. */
static void
test_signal_referred (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *counsellor = add_counsellor (f, "Joost de Vries");
  g_autofree char *mariam = NULL, *dawit = NULL;
  g_autofree char *conversation = add_conversation (f, "Mariam Haile", NULL, NULL, TRUE, &mariam);
  g_autofree char *other = add_conversation (f, "Dawit Bekele", NULL, NULL, TRUE, &dawit);
  g_autofree char *referral = NULL;
  g_autofree char *signals = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);

  signals = list_text (page, "signal_list");
  g_assert_nonnull (strstr (signals, "Mariam Haile | Offer a referral to a counsellor"));
  g_assert_nonnull (strstr (signals, "Dawit Bekele | Offer a referral to a counsellor"));

  referral = koers_store_refer_signal (f->store, conversation, counsellor, NULL, "Slaapt slecht", &error);
  g_assert_no_error (error);
  wait_for_reload (page);
  g_clear_pointer (&signals, g_free);
  signals = list_text (page, "signal_list");
  g_assert_null (strstr (signals, "Mariam"));
  g_assert_nonnull (strstr (signals, "Dawit Bekele"));

  g_free (koers_store_refer_signal (f->store, other, counsellor, NULL, NULL, &error));
  g_assert_no_error (error);
  wait_for_reload (page);
  g_assert_false (shown (page, "signal_group"));

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* A save on another page (here: straight to the store) shows on Today
 * without anyone asking it to read again. */
static void
test_follows_store (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);
  g_autofree char *client_id = NULL;

  g_assert_false (shown (page, "lists_box"));
  g_assert_true (shown (page, "empty_page"));
  client_id = add_client (f, "Mariam Haile", "Pasfoto laten maken", 0, FALSE);
  wait_for_reload (page);
  g_assert_true (shown (page, "lists_box"));
  g_assert_nonnull (find_row (page, "today_list", "Pasfoto"));

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* A fresh vault: a page that says what will show here, and a way on. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *window;
  GtkWidget *page = show_page (f, &window);
  AdwStatusPage *empty = ADW_STATUS_PAGE (child (page, "empty_page"));

  g_assert_true (shown (page, "empty_page"));
  g_assert_false (shown (page, "lists_box"));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "Nothing Is Due");
  g_assert_nonnull (strstr (adw_status_page_get_description (empty), "check-ins and referrals"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (empty), "_Find a Client"));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static guint
count_lines (const char *text,
             const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* A long list shows 50 rows and a "Show More" row; activating it shows
 * the rest (with their names, read anew). */
static void
test_show_more (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *window, *page, *week_list, *last;
  g_autofree char *week = NULL;

  g_assert_true (koers_store_begin (f->store, NULL));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cliënt %02u", i);

      g_free (add_client (f, name, "Bellen", 1, FALSE));
    }
  g_assert_true (koers_store_commit (f->store, NULL));
  page = show_page (f, &window);

  week = list_text (page, "week_list");
  g_assert_cmpuint (count_lines (week, "| Bellen"), ==, 50);
  g_assert_cmpuint (count_lines (week, "Unknown client"), ==, 0);
  g_assert_nonnull (strstr (week, "Show More | 10 more are not shown yet"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (page, "week_count"))), ==, "60");

  week_list = child (page, "week_list");
  last = gtk_widget_get_last_child (week_list);
  g_signal_emit_by_name (week_list, "row-activated", last);
  wait_for_reload (page);
  g_clear_pointer (&week, g_free);
  week = list_text (page, "week_list");
  g_assert_cmpuint (count_lines (week, "| Bellen"), ==, 60);
  g_assert_cmpuint (count_lines (week, "Unknown client"), ==, 0);
  g_assert_null (strstr (week, "Show More"));

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* Read again (after any save), the rows are built a few a frame, each
 * in the place of the one shown before: the list never shrinks
 * meanwhile (the page keeps its height and where it was scrolled to),
 * and ends as it was. */
static void
test_rows_in_place (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *window, *page, *week_list;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint n_rows, steps = 0;

  g_assert_true (koers_store_begin (f->store, NULL));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cliënt %02u", i);

      g_free (add_client (f, name, "Bellen", 1, FALSE));
    }
  g_assert_true (koers_store_commit (f->store, NULL));
  page = show_page (f, &window);
  week_list = child (page, "week_list");
  before = list_text (page, "week_list");
  n_rows = count_children (week_list);
  g_assert_cmpuint (n_rows, ==, 51);

  koers_today_page_reload (KOERS_TODAY_PAGE (page));
  while (koers_today_page_is_loading (KOERS_TODAY_PAGE (page)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (count_children (week_list), ==, n_rows);
      steps++;
    }
  after = list_text (page, "week_list");
  g_assert_cmpstr (after, ==, before);
  g_test_message ("rebuilt in %u main-loop steps", steps);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, koers_store_fixture_set_up, func, koers_store_fixture_tear_down)
  ADD ("/ui/today/sections", test_sections);
  ADD ("/ui/today/lists", test_lists);
  ADD ("/ui/today/step-done-undo", test_step_done_undo);
  ADD ("/ui/today/step-done-refused", test_step_done_refused);
  ADD ("/ui/today/referral-status", test_referral_status);
  ADD ("/ui/today/signal-referred", test_signal_referred);
  ADD ("/ui/today/follows-store", test_follows_store);
  ADD ("/ui/today/empty", test_empty);
  ADD ("/ui/today/show-more", test_show_more);
  ADD ("/ui/today/rows-in-place", test_rows_in_place);
#undef ADD
  return g_test_run ();
}
