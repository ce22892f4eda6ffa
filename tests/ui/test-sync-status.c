/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync place in the header bar: it counts the changes not sent after
 * every save, and says so when this laptop is offline (a network monitor
 * the test switches). */
#include "config.h"

#define G_LOG_DOMAIN "test-sync-status"

#include <adwaita.h>

#include "koers-main-view.h"
#include "koers-sync-status.h"
#include "koers-test-util.h"

/* A GNetworkMonitor whose "network-available" the test sets. */
#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum
{
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static void test_monitor_iface_init (GNetworkMonitorInterface *iface) {}

/* GNetworkMonitor requires GInitable. */
G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
}

typedef struct
{
  KoersStoreFixture  base;
  KoersStore        *store;   /* base.store */
  TestMonitor       *monitor;
  GtkWindow         *window;
  KoersMainView     *view;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  koers_store_fixture_set_up (&f->base, data);
  f->store = f->base.store;
  f->monitor = g_object_new (TEST_TYPE_MONITOR, NULL);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 600);
  f->view = koers_main_view_new (f->store, f->base.reader);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  koers_test_settle ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_main_view_close (f->view);
  gtk_window_destroy (f->window);
  koers_test_settle ();
  g_clear_object (&f->monitor);
  koers_store_fixture_tear_down (&f->base, data);
}

static void
add_client (Fixture    *f,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_client_new ();

  client->name = g_strdup (name);
  g_assert_true (koers_store_add_client (f->store, client, &error));
  g_assert_no_error (error);
}

/* The popover as a click opens it: its rows are filled in then. */
static void
open_popover (KoersSyncStatus *status)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")));
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "popover")));
}

static void
close_popover (KoersSyncStatus *status)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")));
  koers_test_settle ();
}

/* The main view's own button follows the store by itself. */
static void
test_counts_after_save (Fixture       *f,
                        gconstpointer  data)
{
  KoersSyncStatus *status = koers_main_view_get_sync_status (f->view);
  gint64 before = koers_store_count_changes (f->store, 0, NULL);

  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (status)));
  /* Until sync is set up it says where everything is, not a count of
   * changes "not sent" to an office nothing can be sent to. */
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "On this laptop");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")), ==,
                   "Sync is not set up: everything stays on this laptop");
  open_popover (status);
  g_assert_false (gtk_widget_get_visible (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "pending_row")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "explanation"))),
                   ==, "Sync with the office is not set up yet: everything stays on this laptop, in the encrypted vault.");
  koers_sync_status_set_configured (status, TRUE);
  g_assert_true (gtk_widget_get_visible (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "pending_row")));
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, before);
  close_popover (status);

  add_client (f, "Hawa Yusuf");
  koers_test_settle ();
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, before + 1);
  add_client (f, "Samir Haddad");
  koers_test_settle ();
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, before + 2);

  /* Counts only, never a name, on the button and in its tooltip. */
  g_assert_null (strstr (koers_sync_status_get_text (status), "Samir"));
  g_assert_null (strstr (gtk_widget_get_tooltip_text (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")),
                         "Samir"));

  /* What the office has is no longer pending. */
  koers_sync_status_set_sent_seq (status, before + 2);
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, 0);
  koers_sync_status_set_sent_seq (status, 0);

  /* After close the button lets go of the store and hides. */
  koers_main_view_close (f->view);
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, -1);
  g_assert_false (gtk_widget_get_visible (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")));
}

static const char *
row_subtitle (KoersSyncStatus *status,
              const char      *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, row)));
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KoersSyncStatus) status = g_object_ref_sink (koers_sync_status_new (f->store,
                                                                                G_NETWORK_MONITOR (f->monitor)));
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  g_autoptr(GDateTime) ten_forty_two = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *pending = NULL;

  gtk_window_set_child (window, GTK_WIDGET (status));
  gtk_window_present (window);
  koers_sync_status_set_configured (status, TRUE);
  add_client (f, "Hawa Yusuf");
  koers_test_settle ();
  /* Saved while the popover was closed: it counts when it opens. */
  add_client (f, "Samir Haddad");
  koers_test_settle ();
  pending = g_strdup_printf ("%" G_GINT64_FORMAT " changes not sent", koers_store_count_changes (f->store, 0, NULL));
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, pending);
  open_popover (status);
  g_assert_cmpstr (row_subtitle (status, "pending_row"), ==, pending);
  g_assert_cmpstr (row_subtitle (status, "network_row"), ==, "Online");
  g_assert_cmpstr (row_subtitle (status, "last_sync_row"), ==, "Never");

  test_monitor_set_available (f->monitor, FALSE);
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "Offline");
  g_assert_cmpstr (row_subtitle (status, "network_row"), ==, "Offline");
  g_assert_cmpstr (row_subtitle (status, "pending_row"), ==, pending);

  /* Back online with everything sent: the time of the last sync. */
  test_monitor_set_available (f->monitor, TRUE);
  ten_forty_two = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                         g_date_time_get_day_of_month (now), 10, 42, 0);
  koers_sync_status_set_last_sync (status, ten_forty_two);
  koers_sync_status_set_sent_seq (status, koers_store_count_changes (f->store, 0, NULL));
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "Synced 10:42");
  g_assert_cmpstr (row_subtitle (status, "last_sync_row"), ==, "10:42");

  /* While it is open, a save shows in it. */
  add_client (f, "Yonas Tesfay");
  koers_test_settle ();
  g_assert_cmpint (koers_sync_status_get_pending (status), >, 0);
  g_assert_cmpstr (row_subtitle (status, "pending_row"), ==, koers_sync_status_get_text (status));
  close_popover (status);
  koers_sync_status_set_store (status, NULL);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/sync-status/counts-after-save", Fixture, NULL,
              fixture_set_up, test_counts_after_save, fixture_tear_down);
  g_test_add ("/ui/sync-status/offline", Fixture, NULL,
              fixture_set_up, test_offline, fixture_tear_down);

  return g_test_run ();
}
