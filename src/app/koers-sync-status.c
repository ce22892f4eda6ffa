/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-status"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-arrivals.h"
#include "koers-sync-status.h"

struct _KoersSyncStatus
{
  GtkWidget        parent_instance;

  GtkWidget       *button;
  GtkImage        *icon;
  GtkLabel        *label;
  GtkImage        *narrow_icon;   /* the icon alone, when the words do not fit */
  AdwActionRow    *pending_row;
  AdwActionRow    *last_sync_row;
  AdwActionRow    *network_row;
  GtkProgressBar  *progress;
  GtkLabel        *error_label;
  GtkWidget       *sync_now_button;
  GtkPopover      *popover;

  KoersStore      *store;
  GNetworkMonitor *monitor;
  KoersSyncEngine *engine;        /* NULL: sync is not set up */
  GDateTime       *last_sync;
  gint64           sent_seq;
  gint64           pending;       /* -1: not counted (no store, or a failure) */
  guint            refresh_source;
  gboolean         configured;    /* sync with the office is set up */
  GtkLabel        *explanation;
  AdwActionRow    *conflicts_row;  /* open conflicts: opens the first file with one */
  gint64           conflicts;      /* -1: not counted */
  char            *conflict_client_id;  /* the file of the oldest */
};

G_DEFINE_FINAL_TYPE (KoersSyncStatus, koers_sync_status, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_NETWORK_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_online (KoersSyncStatus *self)
{
  return g_network_monitor_get_network_available (self->monitor);
}

/* "10:42" today, else the date the way the locale writes it. */
static char *
format_last_sync (GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%x");
}

static char *
pending_text (gint64 pending)
{
  int n;

  if (pending < 0)
    return g_strdup (_("Unknown"));
  /* A plain %d: xgettext cannot read G_GINT64_FORMAT. */
  n = (int) MIN (pending, G_MAXINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d change not sent", "%d changes not sent", n), n);
}

static char *
conflicts_text (gint64 conflicts)
{
  int n = (int) MIN (conflicts, G_MAXINT);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d conflict to resolve", "%d conflicts to resolve", n), n);
}

/* Conflicts (changed on two laptops) wait for a person: counted apart
 * from the changes, a few rows of sync_conflict at most. */
static void
count_conflicts (KoersSyncStatus *self)
{
  g_autoptr(GError) error = NULL;

  self->conflicts = -1;
  g_clear_pointer (&self->conflict_client_id, g_free);
  if (self->store != NULL)
    self->conflicts = koers_store_count_file_conflicts (self->store, &self->conflict_client_id, &error);
  if (error != NULL)
    g_message ("Could not count the conflicts: %s", error->message);
}

/* The popover's row of conflicts (set when the popover shows). */
static void
update_conflicts_row (KoersSyncStatus *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_row), self->conflicts > 0);
  if (self->conflicts > 0)
    {
      text = conflicts_text (self->conflicts);
      adw_action_row_set_subtitle (self->conflicts_row, text);
    }
}

/* The first file with a conflict opens: its banner leads to the choice,
 * and after it the row opens the next (rarely more than a few). */
static void
on_conflicts_activated (KoersSyncStatus *self)
{
  g_autofree char *client_id = g_strdup (self->conflict_client_id);

  if (client_id == NULL)
    return;
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  gtk_widget_activate_action (GTK_WIDGET (self), "view.open-client", "s", client_id);
}

static KoersSyncState
engine_state (KoersSyncStatus *self)
{
  return self->engine != NULL ? koers_sync_engine_get_state (self->engine) : KOERS_SYNC_STATE_NOT_ENROLLED;
}

/* Set up by hand (koers_sync_status_set_configured) or by an engine: only
 * then are changes counted as "not sent". */
static gboolean
is_set_up (KoersSyncStatus *self)
{
  return self->configured || self->engine != NULL;
}

/* The engine's last success, or the one set by hand. */
static GDateTime *
dup_last_sync (KoersSyncStatus *self)
{
  gint64 ms = self->engine != NULL ? koers_sync_engine_get_last_success (self->engine) : 0;

  if (ms > 0)
    return g_date_time_new_from_unix_utc (ms / 1000);
  return self->last_sync != NULL ? g_date_time_ref (self->last_sync) : NULL;
}

/* Offline is normal and says so first; then what waits to be sent; then
 * when it last went well. */
static char *
button_text (KoersSyncStatus *self)
{
  g_autofree char *time = NULL;
  g_autoptr(GDateTime) last_sync = dup_last_sync (self);

  /* Until sync is set up nothing is sent and nothing is waiting to be:
   * say where the data is, not a count of changes "not sent". */
  if (!is_set_up (self))
    return g_strdup (_("On this laptop"));
  switch (engine_state (self))
    {
    case KOERS_SYNC_STATE_UPLOADING:
      return g_strdup (_("Sending…"));
    case KOERS_SYNC_STATE_ERROR:
      return g_strdup (_("Sync problem"));
    default:
      break;
    }
  if (!is_online (self) || engine_state (self) == KOERS_SYNC_STATE_OFFLINE)
    return g_strdup (_("Offline"));
  if (self->conflicts > 0)
    return conflicts_text (self->conflicts);
  if (self->pending != 0)
    return pending_text (self->pending);
  if (last_sync == NULL)
    return g_strdup (_("Not synced yet"));
  time = format_last_sync (last_sync);
  /* Translators: %s is a time ("10:42") or a date. */
  return g_strdup_printf (_("Synced %s"), time);
}

static void
update_popover (KoersSyncStatus *self)
{
  g_autofree char *pending = pending_text (self->pending);
  g_autoptr(GDateTime) last_sync = dup_last_sync (self);
  g_autofree char *last = last_sync != NULL ? format_last_sync (last_sync) : NULL;
  KoersSyncState state = engine_state (self);
  const char *error_message = self->engine != NULL ? koers_sync_engine_get_error_message (self->engine) : NULL;

  update_conflicts_row (self);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_row), is_set_up (self));
  gtk_widget_set_visible (GTK_WIDGET (self->last_sync_row), is_set_up (self));
  gtk_label_set_label (self->explanation,
                       is_set_up (self)
                       ? _("Changes stay safe on this laptop until they are sent to the office. Working offline is fine.")
                       : _("Sync with the office is not set up yet: everything stays on this laptop, in the encrypted vault."));
  adw_action_row_set_subtitle (self->pending_row, pending);
  adw_action_row_set_subtitle (self->last_sync_row, last != NULL ? last : _("Never"));
  adw_action_row_set_subtitle (self->network_row, is_online (self) ? _("Online") : _("Offline"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), state == KOERS_SYNC_STATE_UPLOADING);
  gtk_progress_bar_set_fraction (self->progress, self->engine != NULL ? koers_sync_engine_get_fraction (self->engine) : 0);
  /* Offline is retried by itself; the message says so, as an error does
   * what to do. */
  gtk_label_set_label (self->error_label, error_message != NULL ? error_message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error_message != NULL);
  gtk_widget_set_visible (self->sync_now_button, self->engine != NULL);
  gtk_widget_set_sensitive (self->sync_now_button,
                            self->engine != NULL && !koers_sync_engine_get_busy (self->engine));
}

/* A GtkImage set anew, even to the icon it shows, asks the whole window
 * for a new size (and GDK the X server for the monitor's work area): after
 * every save, that was most of the refresh's time. */
static void
set_icon (GtkImage   *image,
          const char *icon)
{
  if (g_strcmp0 (gtk_image_get_icon_name (image), icon) != 0)
    gtk_image_set_from_icon_name (image, icon);
}

/* A tooltip set anew asks the X server where the pointer is. */
static void
set_tooltip (GtkWidget  *button,
             const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (button), tooltip) == 0)
    return;
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
update_button (KoersSyncStatus *self)
{
  g_autofree char *text = button_text (self);
  g_autofree char *tooltip = NULL;
  g_autofree char *pending = pending_text (self->pending);
  const char *icon;

  gtk_label_set_label (self->label, text);
  icon = !is_set_up (self) ? "computer-symbolic"
         : engine_state (self) == KOERS_SYNC_STATE_ERROR ? "dialog-warning-symbolic"
         : engine_state (self) == KOERS_SYNC_STATE_UPLOADING ? "emblem-synchronizing-symbolic"
         : !is_online (self) || engine_state (self) == KOERS_SYNC_STATE_OFFLINE ? "network-offline-symbolic"
         : self->pending > 0 ? "emblem-synchronizing-symbolic"
         : "emblem-ok-symbolic";
  set_icon (self->icon, icon);
  set_icon (self->narrow_icon, icon);
  /* Translators: the sync button's tooltip: "Sync: 12 changes not sent". */
  tooltip = !is_set_up (self) ? g_strdup (_("Sync is not set up: everything stays on this laptop"))
            : g_strdup_printf (_("Sync: %s"), engine_state (self) == KOERS_SYNC_STATE_ERROR
                                              || engine_state (self) == KOERS_SYNC_STATE_UPLOADING ? text : pending);
  set_tooltip (self->button, tooltip);
}

static void
count_pending (KoersSyncStatus *self)
{
  g_autoptr(GError) error = NULL;

  self->pending = -1;
  if (self->store == NULL)
    return;
  if (self->engine != NULL)
    {
      g_auto(KoersSyncCounts) counts = { 0 };

      /* Enrolled: what is not yet in a batch on its way. */
      if (koers_store_sync_get_counts (self->store, &counts, &error))
        self->pending = counts.unsealed_changes + counts.sealed_batches;
      else
        g_message ("Could not count the changes not sent: %s", error->message);
      return;
    }
  self->pending = koers_store_count_changes (self->store, self->sent_seq, &error);
  if (self->pending < 0)
    /* Shown as "Unknown"; the lists say what happened. */
    g_message ("Could not count the changes not sent: %s", error->message);
}

void
koers_sync_status_set_configured (KoersSyncStatus *self,
                                  gboolean         configured)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));

  self->configured = !!configured;
  koers_sync_status_refresh (self);
}

void
koers_sync_status_refresh (KoersSyncStatus *self)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->monitor == NULL)
    return; /* still being constructed */
  count_pending (self);
  count_conflicts (self);
  gtk_widget_set_visible (self->button, self->store != NULL);
  update_button (self);
  /* The popover's rows are filled in when it opens, and follow while it
   * is open. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    update_popover (self);
}

static gboolean
refresh_idle (gpointer user_data)
{
  KoersSyncStatus *self = user_data;

  self->refresh_source = 0;
  koers_sync_status_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A save of many records commits once, an import many times: count once
 * when the main loop is idle again. */
static void
queue_refresh (KoersSyncStatus *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_idle, self);
}

static void
set_monitor (KoersSyncStatus *self,
             GNetworkMonitor *monitor)
{
  self->monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());
  g_signal_connect_object (self->monitor, "notify::network-available",
                           G_CALLBACK (koers_sync_status_refresh), self, G_CONNECT_SWAPPED);
}

void
koers_sync_status_set_store (KoersSyncStatus *self,
                             KoersStore      *store)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));
  g_return_if_fail (store == NULL || KOERS_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed", G_CALLBACK (queue_refresh), self);
  koers_sync_status_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
koers_sync_status_set_last_sync (KoersSyncStatus *self,
                                 GDateTime       *last_sync)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));

  g_clear_pointer (&self->last_sync, g_date_time_unref);
  if (last_sync != NULL)
    self->last_sync = g_date_time_ref (last_sync);
  koers_sync_status_refresh (self);
}

void
koers_sync_status_set_sent_seq (KoersSyncStatus *self,
                                gint64           seq)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));
  g_return_if_fail (seq >= 0);

  self->sent_seq = seq;
  koers_sync_status_refresh (self);
}

/* The fraction moves many times a second during an upload: it only moves
 * the bar (while the popover shows it); everything else counts again once
 * the main loop is idle. */
static void
on_engine_notify (KoersSyncEngine *engine,
                  GParamSpec      *pspec,
                  KoersSyncStatus *self)
{
  if (!g_str_equal (pspec->name, "fraction"))
    queue_refresh (self);
  else if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_progress_bar_set_fraction (self->progress, koers_sync_engine_get_fraction (engine));
}

/* What came in from colleagues: a toast (the store's "changed" after the
 * round counts the conflicts again). */
static void
on_round_finished (KoersSyncEngine *engine,
                   gboolean         ok,
                   KoersSyncStatus *self)
{
  if (ok)
    g_free (koers_arrivals_toast (GTK_WIDGET (self), self->store, engine));
}

static void
on_sync_now (KoersSyncStatus *self)
{
  if (self->engine != NULL)
    koers_sync_engine_sync_now (self->engine);
}

void
koers_sync_status_set_engine (KoersSyncStatus *self,
                              KoersSyncEngine *engine)
{
  g_return_if_fail (KOERS_IS_SYNC_STATUS (self));
  g_return_if_fail (engine == NULL || KOERS_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect (engine, "notify", G_CALLBACK (on_engine_notify), self);
  if (engine != NULL)
    g_signal_connect (engine, "round-finished", G_CALLBACK (on_round_finished), self);
  koers_sync_status_refresh (self);
}

const char *
koers_sync_status_get_text (KoersSyncStatus *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_STATUS (self), NULL);

  return gtk_label_get_label (self->label);
}

gint64
koers_sync_status_get_conflicts (KoersSyncStatus *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_STATUS (self), -1);

  return self->conflicts;
}

gint64
koers_sync_status_get_pending (KoersSyncStatus *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_STATUS (self), -1);

  return self->pending;
}

static void
koers_sync_status_constructed (GObject *object)
{
  KoersSyncStatus *self = KOERS_SYNC_STATUS (object);

  G_OBJECT_CLASS (koers_sync_status_parent_class)->constructed (object);

  if (self->monitor == NULL)
    set_monitor (self, NULL);
  koers_sync_status_refresh (self);
}

static void
koers_sync_status_dispose (GObject *object)
{
  KoersSyncStatus *self = KOERS_SYNC_STATUS (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_pointer (&self->conflict_client_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_SYNC_STATUS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (koers_sync_status_parent_class)->dispose (object);
}

static void
koers_sync_status_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KoersSyncStatus *self = KOERS_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_status_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KoersSyncStatus *self = KOERS_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      koers_sync_status_set_store (self, g_value_get_object (value));
      break;
    case PROP_NETWORK_MONITOR:
      set_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_status_class_init (KoersSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_sync_status_constructed;
  object_class->dispose = koers_sync_status_dispose;
  object_class->get_property = koers_sync_status_get_property;
  object_class->set_property = koers_sync_status_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KOERS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, icon);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, narrow_icon);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, pending_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, network_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, explanation);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, progress);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, popover);
  gtk_widget_class_bind_template_child (widget_class, KoersSyncStatus, conflicts_row);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_sync_status_init (KoersSyncStatus *self)
{
  self->pending = -1;
  self->conflicts = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->sync_now_button, "clicked", G_CALLBACK (on_sync_now), self);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (update_popover), self);
  g_signal_connect_swapped (self->conflicts_row, "activated", G_CALLBACK (on_conflicts_activated), self);
}

KoersSyncStatus *
koers_sync_status_new (KoersStore      *store,
                       GNetworkMonitor *monitor)
{
  g_return_val_if_fail (store == NULL || KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor), NULL);

  return g_object_new (KOERS_TYPE_SYNC_STATUS, "network-monitor", monitor, "store", store, NULL);
}
