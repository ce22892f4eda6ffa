/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-window"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-main-view.h"
#include "koers-recovery-page.h"
#include "koers-settings.h"
#include "koers-setup-page.h"
#include "koers-unlock-page.h"
#include "koers-window.h"
#include "session/koers-session.h"

struct _KoersWindow
{
  AdwApplicationWindow  parent_instance;

  GtkWidget            *header_bar;
  GtkWidget            *lock_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  KoersSetupPage       *setup_page;
  KoersRecoveryPage    *recovery_page;
  KoersUnlockPage      *unlock_page;
  AdwStatusPage        *error_page;
  AdwBin               *main_bin;
  KoersMainView        *main_view;

  GSettings            *settings;
  char                 *vault_dir;
  KoersSession         *session;  /* the vault, its store and reader */
  GCancellable         *cancellable;

  guint                 auto_lock_seconds;
  gint64                last_activity;
  guint                 idle_source;
};

G_DEFINE_FINAL_TYPE (KoersWindow, koers_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_VAULT_DIR,
  PROP_AUTO_LOCK_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void stop_idle_timer  (KoersWindow *self);
static void start_idle_timer (KoersWindow *self);

static void
show_page (KoersWindow *self,
           const char  *name)
{
  gboolean is_main = g_str_equal (name, "main");

  gtk_stack_set_visible_child_name (self->stack, name);
  koers_a11y_hide_other_pages (self->stack);
  /* The main view has its own header bar. */
  gtk_widget_set_visible (self->header_bar, !is_main);
  gtk_widget_set_visible (self->lock_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", is_main);

  if (is_main)
    start_idle_timer (self);
  else
    stop_idle_timer (self);

  if (g_str_equal (name, "setup"))
    koers_setup_page_focus (self->setup_page);
  else if (g_str_equal (name, "recovery"))
    koers_recovery_page_focus (self->recovery_page);
  else if (g_str_equal (name, "unlock"))
    koers_unlock_page_focus (self->unlock_page);
}

static void
show_error_page (KoersWindow  *self,
                 const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  show_page (self, "error");
}

static void
show_unlock_page (KoersWindow *self)
{
  g_auto(GStrv) names = koers_vault_list_slots (koers_session_get_vault (self->session));

  koers_unlock_page_set_names (self->unlock_page, (const char * const *) names);
  koers_unlock_page_clear (self->unlock_page);
  show_page (self, "unlock");
}

/* Reading the key slots is quick (no KDF), so it happens right here. */
static void
load_vault (KoersWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!koers_session_vault_exists (self->session))
    {
      show_page (self, "setup");
      return;
    }

  if (!koers_session_open_vault (self->session, &error))
    {
      show_error_page (self, error);
      return;
    }
  show_unlock_page (self);
}

static void
show_main (KoersWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!koers_session_open_store (self->session, &error))
    {
      show_error_page (self, error);
      return;
    }
  self->main_view = koers_main_view_new (koers_session_get_store (self->session),
                                         koers_session_get_reader (self->session));
  koers_sync_status_set_engine (koers_main_view_get_sync_status (self->main_view),
                                koers_session_get_sync_engine (self->session));
  adw_bin_set_child (self->main_bin, GTK_WIDGET (self->main_view));
  show_page (self, "main");
  koers_main_view_focus_start (self->main_view);
}

/* Sync was set up (or stopped): the header bar shows it. */
static void
on_sync_engine_changed (KoersWindow *self)
{
  if (self->main_view != NULL)
    koers_sync_status_set_engine (koers_main_view_get_sync_status (self->main_view),
                                  koers_session_get_sync_engine (self->session));
}

/* The session is about to close the store and lock the vault: every
 * widget that shows client data (and holds the store) goes first. */
static void
on_session_locking (KoersWindow *self)
{
  if (self->main_view != NULL)
    {
      koers_main_view_close (self->main_view);
      adw_bin_set_child (self->main_bin, NULL);
      self->main_view = NULL;
    }
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KoersWindow) self = user_data;
  g_autoptr(KoersVaultSecret) recovery_key = NULL;
  g_autoptr(GError) error = NULL;

  if (!koers_session_create_finish (self->session, result, &recovery_key, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is gone; the new vault was locked */

  koers_setup_page_set_busy (self->setup_page, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("The vault could not be created. %s"), error->message);
      koers_setup_page_show_error (self->setup_page, message);
      return;
    }

  koers_recovery_page_set_key (self->recovery_page, recovery_key,
                               koers_setup_page_get_steunpunt (self->setup_page));
  koers_setup_page_clear (self->setup_page);
  show_page (self, "recovery");
}

static void
on_setup_create (KoersWindow *self)
{
  koers_setup_page_show_error (self->setup_page, NULL);
  koers_setup_page_set_busy (self->setup_page, TRUE);
  /* The session keeps the steunpunt and role for the first worker: the
   * first person is the coordinator, or nobody could add colleagues or
   * make a new recovery key. */
  koers_session_create_async (self->session,
                              koers_setup_page_get_name (self->setup_page),
                              koers_setup_page_get_passphrase (self->setup_page),
                              koers_setup_page_get_steunpunt (self->setup_page),
                              KOERS_ROLE_COORDINATOR,
                              self->cancellable, on_created, g_object_ref (self));
}

static void
on_recovery_done (KoersWindow *self)
{
  koers_recovery_page_clear (self->recovery_page);
  show_main (self);
}

static void
on_unlocked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KoersWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Cancelled: the window is gone and the session left the vault locked. */
  if (!koers_session_unlock_finish (self->session, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  koers_unlock_page_set_busy (self->unlock_page, FALSE);
  if (error != NULL)
    {
      if (g_error_matches (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE))
        koers_unlock_page_show_error (self->unlock_page,
                                      _("That passphrase does not open the vault. Check Caps Lock and try again."));
      else
        koers_unlock_page_show_error (self->unlock_page, error->message);
      return;
    }

  koers_unlock_page_clear (self->unlock_page);
  show_main (self);
}

static void
on_unlock (KoersWindow *self)
{
  const char *name = koers_unlock_page_get_name (self->unlock_page);

  if (koers_session_get_vault (self->session) == NULL || name == NULL)
    return;

  koers_unlock_page_set_busy (self->unlock_page, TRUE);
  koers_session_unlock_async (self->session, name,
                              koers_unlock_page_get_passphrase (self->unlock_page),
                              self->cancellable, on_unlocked, g_object_ref (self));
}

/* Opened with the recovery key: nobody is named yet, so nothing is shown
 * until a person takes over the vault with a new passphrase. */
static void
on_key_unlocked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KoersWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_session_unlock_with_key_finish (self->session, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  koers_unlock_page_set_busy (self->unlock_page, FALSE);
  if (error != NULL)
    {
      koers_unlock_page_show_error (self->unlock_page, error->message);
      return;
    }
  koers_unlock_page_set_mode (self->unlock_page, KOERS_UNLOCK_MODE_NEW_PASSPHRASE);
  /* The vault is open: left alone, it locks itself as the main page does. */
  start_idle_timer (self);
}

static void
on_unlock_with_key (KoersWindow *self)
{
  if (koers_session_get_vault (self->session) == NULL)
    return;

  koers_unlock_page_set_busy (self->unlock_page, TRUE);
  koers_session_unlock_with_key_async (self->session,
                                       koers_unlock_page_get_recovery_key (self->unlock_page),
                                       self->cancellable, on_key_unlocked, g_object_ref (self));
}

static void
on_taken_over (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KoersWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_session_take_over_finish (self->session, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  koers_unlock_page_set_busy (self->unlock_page, FALSE);
  if (error != NULL && koers_session_is_unlocked (self->session))
    {
      koers_unlock_page_show_error (self->unlock_page, error->message);
      return;
    }
  if (error != NULL)
    {
      /* Locked again half-way: start over from the passphrase. */
      show_unlock_page (self);
      koers_unlock_page_show_error (self->unlock_page, error->message);
      return;
    }

  koers_unlock_page_clear (self->unlock_page);
  show_main (self);
}

static void
on_take_over (KoersWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (koers_unlock_page_get_new_name (self->unlock_page)));

  if (!koers_session_is_unlocked (self->session) || *name == '\0')
    return;

  koers_unlock_page_set_busy (self->unlock_page, TRUE);
  koers_session_take_over_async (self->session, name,
                                 koers_unlock_page_get_new_passphrase (self->unlock_page),
                                 koers_unlock_page_get_new_person (self->unlock_page),
                                 self->cancellable, on_taken_over, g_object_ref (self));
}

static void
on_take_over_cancel (KoersWindow *self)
{
  koers_window_lock (self);
}

static void
new_client_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  if (self->main_view != NULL)
    koers_main_view_new_client (self->main_view);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  if (self->main_view != NULL)
    koers_main_view_focus_search (self->main_view);
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  koers_window_lock (KOERS_WINDOW (widget));
}

/* Auto-lock: every input event counts as activity; a one-second timer runs
 * only while the main page is shown. */
static guint
auto_lock_limit (KoersWindow *self)
{
  if (self->auto_lock_seconds > 0)
    return self->auto_lock_seconds;
  return koers_settings_get_auto_lock_minutes (self->settings) * 60;
}

static gboolean
on_any_event (GtkEventControllerLegacy *controller,
              GdkEvent                 *event,
              KoersWindow              *self)
{
  self->last_activity = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

static gboolean
check_idle (gpointer user_data)
{
  KoersWindow *self = user_data;
  gint64 idle = g_get_monotonic_time () - self->last_activity;
  guint limit = auto_lock_limit (self);
  g_autofree char *message = NULL;

  if (idle < (gint64) limit * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  self->idle_source = 0;
  koers_window_lock (self);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Koers locked itself after %u minute without use.",
                                          "Koers locked itself after %u minutes without use.",
                                          MAX (limit / 60, 1)),
                             MAX (limit / 60, 1));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  return G_SOURCE_REMOVE;
}

static void
start_idle_timer (KoersWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
  if (self->idle_source == 0)
    self->idle_source = g_timeout_add_seconds (1, check_idle, self);
}

static void
stop_idle_timer (KoersWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
}

static void
restore_size (KoersWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
koers_window_close_request (GtkWindow *window)
{
  KoersWindow *self = KOERS_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  koers_session_lock (self->session);

  return GTK_WINDOW_CLASS (koers_window_parent_class)->close_request (window);
}

static void
koers_window_constructed (GObject *object)
{
  KoersWindow *self = KOERS_WINDOW (object);

  G_OBJECT_CLASS (koers_window_parent_class)->constructed (object);

  if (self->vault_dir == NULL)
    self->vault_dir = koers_settings_dup_vault_dir (self->settings);
  self->session = koers_session_new (self->vault_dir,
                                     KOERS_SESSION_ADOPT_WORKER | KOERS_SESSION_BACKGROUND_CHECKPOINT
                                     | KOERS_SESSION_SYNC);
  g_signal_connect_object (self->session, "locking", G_CALLBACK (on_session_locking), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync-engine", G_CALLBACK (on_sync_engine_changed), self,
                           G_CONNECT_SWAPPED);
  restore_size (self);
  load_vault (self);
}

static void
koers_window_dispose (GObject *object)
{
  KoersWindow *self = KOERS_WINDOW (object);

  stop_idle_timer (self);
  g_cancellable_cancel (self->cancellable);
  /* A vault call still running in a worker locks the vault when it ends. */
  if (self->session != NULL)
    koers_session_lock (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (koers_window_parent_class)->dispose (object);
}

static void
koers_window_finalize (GObject *object)
{
  KoersWindow *self = KOERS_WINDOW (object);

  g_free (self->vault_dir);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (koers_window_parent_class)->finalize (object);
}

static void
koers_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KoersWindow *self = KOERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VAULT_DIR:
      g_value_set_string (value, self->vault_dir);
      break;
    case PROP_AUTO_LOCK_SECONDS:
      g_value_set_uint (value, self->auto_lock_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KoersWindow *self = KOERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VAULT_DIR:
      self->vault_dir = g_value_dup_string (value);
      break;
    case PROP_AUTO_LOCK_SECONDS:
      self->auto_lock_seconds = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_window_class_init (KoersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = koers_window_constructed;
  object_class->dispose = koers_window_dispose;
  object_class->finalize = koers_window_finalize;
  object_class->get_property = koers_window_get_property;
  object_class->set_property = koers_window_set_property;
  window_class->close_request = koers_window_close_request;

  properties[PROP_VAULT_DIR] =
    g_param_spec_string ("vault-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* 0: the auto-lock-minutes setting. Tests set a few seconds. */
  properties[PROP_AUTO_LOCK_SECONDS] =
    g_param_spec_uint ("auto-lock-seconds", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KOERS_TYPE_SETUP_PAGE);
  g_type_ensure (KOERS_TYPE_RECOVERY_PAGE);
  g_type_ensure (KOERS_TYPE_UNLOCK_PAGE);
  g_type_ensure (KOERS_TYPE_MAIN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, main_bin);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, recovery_page);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, unlock_page);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, error_page);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-client", NULL, new_client_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-client", NULL);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
koers_window_init (KoersWindow *self)
{
  GtkEventController *activity = gtk_event_controller_legacy_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_status_pages (GTK_WIDGET (self->error_page));

  self->settings = koers_settings_new ();
  self->cancellable = g_cancellable_new ();

  gtk_event_controller_set_propagation_phase (activity, GTK_PHASE_CAPTURE);
  g_signal_connect (activity, "event", G_CALLBACK (on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), activity);

  g_signal_connect_swapped (self->setup_page, "create", G_CALLBACK (on_setup_create), self);
  g_signal_connect_swapped (self->recovery_page, "done", G_CALLBACK (on_recovery_done), self);
  g_signal_connect_swapped (self->unlock_page, "unlock", G_CALLBACK (on_unlock), self);
  g_signal_connect_swapped (self->unlock_page, "unlock-with-key", G_CALLBACK (on_unlock_with_key), self);
  g_signal_connect_swapped (self->unlock_page, "take-over", G_CALLBACK (on_take_over), self);
  g_signal_connect_swapped (self->unlock_page, "cancel", G_CALLBACK (on_take_over_cancel), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", FALSE);
}

KoersWindow *
koers_window_new (GtkApplication *application,
                  const char     *vault_dir)
{
  return g_object_new (KOERS_TYPE_WINDOW,
                       "application", application,
                       "vault-dir", vault_dir,
                       NULL);
}

KoersSession *
koers_window_get_session (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return self->session;
}

KoersVault *
koers_window_get_vault (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return koers_session_get_vault (self->session);
}

const char *
koers_window_get_page_name (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
koers_window_lock (KoersWindow *self)
{
  g_return_if_fail (KOERS_IS_WINDOW (self));

  if (koers_session_get_vault (self->session) == NULL)
    return;

  koers_session_lock (self->session);
  koers_setup_page_clear (self->setup_page);
  koers_recovery_page_clear (self->recovery_page);
  show_unlock_page (self);
}

KoersMainView *
koers_window_get_main_view (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return self->main_view;
}
