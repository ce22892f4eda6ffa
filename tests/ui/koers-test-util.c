/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include <adwaita.h>

#include "koers-test-util.h"
#include "koers-secret-entry.h"

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
koers_test_wait_until (KoersTestCondition condition,
                       gpointer           data,
                       guint              timeout_seconds)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (timeout_seconds, on_deadline, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Timed out after %u s waiting for a condition", timeout_seconds);
  g_source_remove (deadline);
}

static void
on_round_finished (KoersSyncEngine *engine,
                   gboolean         ok,
                   KoersTestRounds *rounds)
{
  rounds->count++;
  rounds->last_ok = ok;
}

void
koers_test_count_rounds (KoersSyncEngine *engine,
                         KoersTestRounds *rounds)
{
  g_signal_connect (engine, "round-finished", G_CALLBACK (on_round_finished), rounds);
}

typedef struct
{
  KoersTestRounds *rounds;
  guint            before;
} RoundWait;

static gboolean
round_finished (gpointer data)
{
  RoundWait *wait = data;

  return wait->rounds->count > wait->before;
}

void
koers_test_wait_for_round (KoersTestRounds *rounds,
                           guint            before,
                           guint            timeout_seconds)
{
  RoundWait wait = { rounds, before };

  koers_test_wait_until (round_finished, &wait, timeout_seconds);
}

void
koers_test_init_translated (int    *argc,
                            char ***argv)
{
  const char *localedir = g_getenv ("KOERS_LOCALEDIR");

  gtk_test_init (argc, argv, NULL);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
}

static gboolean
written (gpointer reader)
{
  return koers_store_reader_get_n_writes (reader) == 0;
}

void
koers_test_wait_for_writes (KoersStoreReader *reader)
{
  koers_test_wait_until (written, reader, 60);
}

void
koers_test_save (GtkWidget        *widget,
                 const char       *action,
                 KoersStoreReader *reader)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
  koers_test_wait_for_writes (reader);
  koers_test_settle ();
}

static gboolean
list_loaded (gpointer list)
{
  return !koers_client_list_is_loading (list);
}

void
koers_test_wait_for_list (KoersClientList *list)
{
  koers_test_wait_until (list_loaded, list, 10);
}

static gboolean
today_loaded (gpointer page)
{
  return !koers_today_page_is_loading (page);
}

void
koers_test_wait_for_today (KoersTodayPage *page)
{
  koers_test_wait_until (today_loaded, page, 10);
}

typedef struct
{
  KoersWindow *window;
  const char  *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (koers_window_get_page_name (wait->window), wait->page) == 0;
}

void
koers_test_wait_for_page (KoersWindow *window,
                          const char  *page)
{
  PageWait wait = { window, page };

  koers_test_wait_until (page_is, &wait, 60);
  koers_test_settle ();
}

static gboolean
on_settled (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

void
koers_test_settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (300, on_settled, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

GtkWidget *
koers_test_child (gpointer    widget,
                  GType       type,
                  const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

/* Counts @n down at each widget of @type, depth first. */
static GtkWidget *
nth_of_type (GtkWidget *root,
             GType      type,
             guint     *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (*n)-- == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = nth_of_type (child, type, n);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
koers_test_nth_descendant (GtkWidget *root,
                           GType      type,
                           guint      n)
{
  return nth_of_type (root, type, &n);
}

GtkWidget *
koers_test_find_descendant (GtkWidget *root,
                            GType      type)
{
  return koers_test_nth_descendant (root, type, 0);
}

GtkWidget *
koers_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

char *
koers_test_days_from_today (KoersStore *store,
                            int         days)
{
  g_autofree char *today = koers_store_today (store);
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) later = NULL;
  int y, m, d;

  g_assert_cmpint (sscanf (today, "%d-%d-%d", &y, &m, &d), ==, 3);
  date = g_date_time_new_utc (y, m, d, 12, 0, 0);
  later = g_date_time_add_days (date, days);
  return g_date_time_format (later, "%Y-%m-%d");
}

char *
koers_test_add_client (KoersStore *store,
                       const char *name,
                       KoersPhase  phase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_client_new ();
  g_autoptr(KoersConsent) consent = koers_consent_new ();

  client->name = g_strdup (name);
  client->phase = phase;
  g_assert_true (koers_store_add_client (store, client, &error));
  g_assert_no_error (error);
  consent->client_id = g_strdup (client->id);
  consent->kind = KOERS_CONSENT_STORE_FILE;
  consent->granted = TRUE;
  consent->recorded_on = koers_store_today (store);
  g_assert_true (koers_store_add_consent (store, consent, &error));
  g_assert_no_error (error);
  return g_strdup (client->id);
}

char *
koers_test_add_client_with_step (KoersStore *store,
                                 const char *name,
                                 const char *step,
                                 int         due_in_days,
                                 gboolean    done,
                                 gboolean    signal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  g_autoptr(KoersNextStep) next = koers_next_step_new ();
  char *client_id = koers_test_add_client (store, name, KOERS_PHASE_INTAKE);

  conversation->client_id = g_strdup (client_id);
  conversation->held_on = koers_store_today (store);
  conversation->psychosocial_signal = signal;
  g_assert_true (koers_store_add_conversation (store, conversation, &error));
  g_assert_no_error (error);
  next->conversation_id = g_strdup (conversation->id);
  next->description = g_strdup (step);
  next->due_on = koers_test_days_from_today (store, due_in_days);
  next->done = done;
  g_assert_true (koers_store_add_next_step (store, next, &error));
  g_assert_no_error (error);
  return client_id;
}

void
koers_test_sync_cut_all (KoersStore *store)
{
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(GBytes) prev = NULL;
      g_autoptr(GBytes) lines = NULL;
      g_autoptr(GBytes) hash = NULL;
      gint64 epoch, first, last;
      guint n;

      g_assert_true (koers_store_sync_next_cut (store, &epoch, &first, &prev, &error));
      lines = koers_store_sync_read_changes (store, first - 1, 256 * 1024, &last, &n, &error);
      g_assert_no_error (error);
      if (n == 0)
        return;
      hash = g_bytes_new_take (g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, lines), 64);
      g_assert_true (koers_store_sync_store_batch (store, epoch, first, last, lines, hash, &error));
      g_assert_no_error (error);
    }
}

void
koers_test_sync_upload_all (KoersStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sealed = koers_store_sync_list_batches (store, KOERS_BATCH_SEALED, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < sealed->len; i++)
    {
      KoersOutboxBatch *batch = sealed->pdata[i];

      g_assert_true (koers_store_sync_mark_uploaded (store, batch->epoch, batch->first_seq, &error));
      g_assert_no_error (error);
    }
}

void
koers_test_sync_acknowledge_all (KoersStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uploaded = koers_store_sync_list_batches (store, KOERS_BATCH_UPLOADED, &error);
  KoersOutboxBatch *last;

  g_assert_no_error (error);
  g_assert_cmpuint (uploaded->len, >, 0);
  last = uploaded->pdata[uploaded->len - 1];
  g_assert_true (koers_store_sync_apply_ack (store, last->epoch, last->last_seq, last->hash, NULL, &error));
  g_assert_no_error (error);
}

void
koers_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            koers_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

gboolean
koers_test_save_png (GtkWidget   *widget,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, width, height);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing to render");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &viewport);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

/* Accessible names ---------------------------------------------------------- */

static gboolean
is_control (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Text a screen reader reads for the widget itself: a label inside it. */
static gboolean
has_own_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && has_own_text (child))
      return TRUE;
  return FALSE;
}

/* GtkButton says it is labelled by its child even when that is an icon:
 * that counts only if the child has text. */
static gboolean
labelled_by_own_child (GtkWidget *widget)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  g_autofree char *mismatch = NULL;

  if (child == NULL)
    return FALSE;
  mismatch = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                 child, NULL);
  return mismatch == NULL;
}

static gboolean
has_name_property (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
         || (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY)
             && !labelled_by_own_child (widget));
}

static gboolean
has_titled_row (GtkWidget *widget)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) != '\0';
}

/* A text field is named by itself or by the entry it belongs to, never by
 * its placeholder, nor by the row around it: AdwEntryRow 1.2 names the
 * row, and a screen reader announces the text that has the focus. */
static gboolean
text_field_is_named (GtkWidget *widget)
{
  GtkWidget *entry = gtk_widget_get_parent (widget);

  if (has_name_property (widget))
    return TRUE;
  return entry != NULL && (GTK_IS_ENTRY (entry) || GTK_IS_SEARCH_ENTRY (entry) || GTK_IS_PASSWORD_ENTRY (entry)
                           || GTK_IS_SPIN_BUTTON (entry))
         && has_name_property (entry);
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* A menu button's inner toggle is named by the menu button. */
  if (GTK_IS_MENU_BUTTON (parent))
    return is_named (parent);
  /* Library noise: libadwaita 1.2's own show/hide button inside a password
   * row has a tooltip only; not ours to name. */
  if (gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL && GTK_IS_BUTTON (widget))
    return TRUE;
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
      return text_field_is_named (widget);
    default:
      return has_name_property (widget) || has_titled_row (widget) || has_own_text (widget);
    }
}

static void
describe (GtkWidget *widget,
          GString   *out)
{
  g_string_append (out, G_OBJECT_TYPE_NAME (widget));

  if (gtk_widget_get_name (widget) != NULL && !g_str_equal (gtk_widget_get_name (widget), G_OBJECT_TYPE_NAME (widget)))
    g_string_append_printf (out, " \"%s\"", gtk_widget_get_name (widget));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (out, " (icon %s)", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (up), "Koers"))
      {
        g_string_append_printf (out, " in %s", G_OBJECT_TYPE_NAME (up));
        break;
      }
}

/* The keyboard reaches a control when it, or a widget inside it, takes
 * the focus (an entry's text, a menu button's toggle). */
static gboolean
takes_focus (GtkWidget *widget)
{
  if (!gtk_widget_get_can_focus (widget) || !gtk_widget_get_sensitive (widget))
    return FALSE;
  if (gtk_widget_get_focusable (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && takes_focus (child))
      return TRUE;
  return FALSE;
}

static void
report (GPtrArray  *found,
        GtkWidget  *widget,
        const char *problem)
{
  GString *line = g_string_new (problem);

  g_string_append (line, ": ");
  describe (widget, line);
  g_ptr_array_add (found, g_string_free (line, FALSE));
}

/* @focus_blocked: an ancestor has can-focus off, so nothing below it can
 * take the focus. Insensitive controls are skipped: nobody can use them. */
static void
collect_inaccessible (GtkWidget *widget,
                      gboolean   focus_blocked,
                      GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_control (widget) && gtk_widget_get_sensitive (widget))
    {
      if (!is_named (widget))
        report (found, widget, "no accessible name");
      /* GTK keeps the title bar's close button out of the focus chain on
       * purpose; the keyboard has Ctrl+W and Alt+F4 for it. */
      if ((focus_blocked || !takes_focus (widget))
          && gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) == NULL)
        report (found, widget, "not reachable by keyboard");
    }
  focus_blocked = focus_blocked || !gtk_widget_get_can_focus (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_inaccessible (child, focus_blocked, found);
}

GPtrArray *
koers_test_inaccessible_controls (GtkWidget *root)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  collect_inaccessible (root, FALSE, found);
  return found;
}

void
koers_window_fixture_set_up (KoersWindowFixture *fixture,
                             gconstpointer       data)
{
  fixture->tmp = g_dir_make_tmp ("koers-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->vault_dir = g_build_filename (fixture->tmp, "vault", NULL);
  fixture->window = koers_window_new (NULL, fixture->vault_dir);
  gtk_window_present (GTK_WINDOW (fixture->window));
  koers_test_settle ();
}

void
koers_window_fixture_tear_down (KoersWindowFixture *fixture,
                                gconstpointer       data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  koers_test_settle ();
  koers_test_rm_rf (fixture->tmp);
  g_free (fixture->vault_dir);
  g_free (fixture->tmp);
}

KoersSession *
koers_test_new_session (const char  *dir,
                        const char  *name,
                        const char  *passphrase,
                        gboolean     open_store,
                        char       **recovery_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersSession) session = koers_session_new (dir, KOERS_SESSION_NONE);
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *key = NULL;

  vault = koers_vault_create (dir, name, passphrase, &params, &key, &error);
  g_assert_no_error (error);
  koers_vault_lock (vault);
  if (recovery_key != NULL)
    *recovery_key = key;
  else
    koers_vault_free_secret (key);
  g_assert_true (koers_session_open_vault (session, &error));
  g_assert_true (koers_session_unlock (session, name, passphrase, &error));
  g_assert_no_error (error);
  if (open_store)
    {
      g_assert_true (koers_session_open_store (session, &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&session);
}

void
koers_store_fixture_set_up (KoersStoreFixture *fixture,
                            gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autofree char *dir = NULL;
  char *recovery = NULL;

  fixture->tmp = g_dir_make_tmp ("koers-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  dir = g_build_filename (fixture->tmp, "vault", NULL);
  fixture->vault = koers_vault_create (dir, "Tester", "geheim", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  fixture->store = koers_store_new (koers_vault_get_db (fixture->vault), &error);
  g_assert_no_error (error);
  fixture->reader = koers_store_reader_new (fixture->vault, &error);
  g_assert_no_error (error);
}

void
koers_store_fixture_tear_down (KoersStoreFixture *fixture,
                               gconstpointer      data)
{
  koers_store_reader_close (fixture->reader);
  g_clear_object (&fixture->reader);
  g_clear_object (&fixture->store);
  koers_vault_lock (fixture->vault);
  g_clear_object (&fixture->vault);
  koers_test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
}

void
koers_test_set_text (GtkWidget  *field,
                     const char *text)
{
  if (KOERS_IS_SECRET_ENTRY (field))
    {
      koers_secret_entry_clear (KOERS_SECRET_ENTRY (field));
      koers_secret_entry_append (KOERS_SECRET_ENTRY (field), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (field), text);
}

const char *
koers_test_get_text (GtkWidget *field)
{
  if (KOERS_IS_SECRET_ENTRY (field))
    return koers_secret_entry_get_text (KOERS_SECRET_ENTRY (field));
  return gtk_editable_get_text (GTK_EDITABLE (field));
}

static gboolean
prefs_not_busy (gpointer prefs)
{
  return !koers_preferences_window_is_busy (KOERS_PREFERENCES_WINDOW (prefs));
}

gboolean
koers_test_add_person (KoersPreferencesWindow *prefs,
                       const char             *name,
                       KoersRole               role,
                       const char             *passphrase)
{
  GtkWidget *role_row = koers_test_child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "role_row");
  gboolean started;

  if (name != NULL)
    koers_test_set_text (koers_test_child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "name_row"), name);
  if (gtk_widget_get_visible (role_row))
    adw_combo_row_set_selected (ADW_COMBO_ROW (role_row), role);
  koers_test_set_text (koers_test_child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "passphrase_row"), passphrase);
  koers_test_set_text (koers_test_child (prefs, KOERS_TYPE_PREFERENCES_WINDOW, "repeat_row"), passphrase);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.add-person", NULL));
  started = koers_preferences_window_is_busy (prefs);
  /* A minute even under the sanitizers. */
  koers_test_wait_until (prefs_not_busy, prefs, 60);
  return started;
}
