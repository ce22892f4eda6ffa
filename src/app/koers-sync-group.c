/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-group"

#include <glib/gi18n.h>

#include "koers-sync-group.h"
#include "sync/koers-sync-round.h"

/* An enrollment file is a few kilobytes: anything far larger is not one,
 * and is not read whole. */
#define MAX_ENROLLMENT_BYTES (64 * 1024)

struct _KoersSyncGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *import_row;
  GtkSpinner          *spinner;
  AdwActionRow        *device_row;
  AdwActionRow        *key_row;
  GtkLabel            *error_label;
  AdwPreferencesGroup *quarantine_group;
  GPtrArray           *quarantine_rows;

  KoersSession        *session;
  GCancellable        *cancellable;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (KoersSyncGroup, koers_sync_group, ADW_TYPE_PREFERENCES_GROUP)

static void
set_busy (KoersSyncGroup *self,
          gboolean        busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_row), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
show_error (KoersSyncGroup *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_device (KoersSyncGroup *self,
             const char     *device_id,
             const char     *public_key)
{
  adw_action_row_set_subtitle (self->device_row, device_id != NULL ? device_id : "");
  adw_action_row_set_subtitle (self->key_row, public_key != NULL ? public_key : "");
  gtk_widget_set_visible (GTK_WIDGET (self->device_row), device_id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), public_key != NULL);
}

/* --- held-back batches ------------------------------------------------ */

static void
reload_quarantine (KoersSyncGroup *self)
{
  KoersStore *store = koers_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = NULL;

  for (guint i = 0; i < self->quarantine_rows->len; i++)
    adw_preferences_group_remove (self->quarantine_group, g_ptr_array_index (self->quarantine_rows, i));
  g_ptr_array_set_size (self->quarantine_rows, 0);
  if (store != NULL)
    batches = koers_store_sync_list_batches (store, KOERS_BATCH_QUARANTINED, &error);
  if (error != NULL)
    g_message ("Could not list the batches held back: %s", error->message);
  for (guint i = 0; batches != NULL && i < batches->len; i++)
    {
      KoersOutboxBatch *batch = g_ptr_array_index (batches, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT, batch->first_seq);
      g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, batch->last_seq);
      /* Translators: a batch of changes held back: "Changes 120–180". */
      g_autofree char *title = g_strdup_printf (_("Changes %s–%s"), first, last);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), batch->reason != NULL ? batch->reason : "");
      adw_preferences_group_add (self->quarantine_group, row);
      g_ptr_array_add (self->quarantine_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->quarantine_group), self->quarantine_rows->len > 0);
}

/* --- importing -------------------------------------------------------- */

static void
on_enrolled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KoersSyncGroup) self = user_data;
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;
  g_autoptr(GError) error = NULL;

  if (!koers_session_enroll_finish (KOERS_SESSION (source), result, &device_id, &public_key, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  show_error (self, error != NULL ? error->message : NULL);
  if (error == NULL)
    show_device (self, device_id, public_key);
  reload_quarantine (self);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KoersSyncGroup) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes != NULL && g_bytes_get_size (bytes) > MAX_ENROLLMENT_BYTES)
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not an enrollment file: it is far too large."));
    }
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The file could not be read: %s"), error->message);

      set_busy (self, FALSE);
      show_error (self, error->domain == G_IO_ERROR && error->code == G_IO_ERROR_INVALID_DATA
                        ? error->message : message);
      return;
    }
  koers_session_enroll_async (self->session, bytes, self->cancellable, on_enrolled, g_object_ref (self));
}

void
koers_sync_group_import (KoersSyncGroup *self,
                         GFile          *file)
{
  g_return_if_fail (KOERS_IS_SYNC_GROUP (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    return;
  set_busy (self, TRUE);
  show_error (self, NULL);
  g_file_load_bytes_async (file, self->cancellable, on_loaded, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                KoersSyncGroup  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    koers_sync_group_import (self, file);
  g_object_unref (chooser);
}

static void
on_import_activated (KoersSyncGroup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->busy)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose the Enrollment File"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- getters and life cycle ------------------------------------------ */

gboolean
koers_sync_group_is_busy (KoersSyncGroup *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_GROUP (self), FALSE);
  return self->busy;
}

const char *
koers_sync_group_get_device_id (KoersSyncGroup *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_GROUP (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->device_row)))
    return NULL;
  return adw_action_row_get_subtitle (self->device_row);
}

const char *
koers_sync_group_get_error (KoersSyncGroup *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_GROUP (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

guint
koers_sync_group_get_n_quarantined (KoersSyncGroup *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_GROUP (self), 0);
  return self->quarantine_rows->len;
}

static void
on_copy_clicked (GtkButton    *button,
                 AdwActionRow *row)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          adw_action_row_get_subtitle (row));
}

/* The subtitle is what to give the office: a button copies it (the row's
 * subtitle cannot be selected in libadwaita 1.2). */
static GtkWidget *
copyable_row (const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: the accessible name of a copy button: "Copy Device ID". */
  g_autofree char *label = g_strdup_printf (_("Copy %s"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  gtk_widget_set_visible (row, FALSE);
  return row;
}

static void
build (KoersSyncGroup *self)
{
  GtkWidget *arrow = gtk_image_new_from_icon_name ("document-open-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Sync"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
    _("Changes go to the national office once this laptop is enrolled. Import the enrollment file the office gave you, then give the office the device ID and public key shown here."));
  self->import_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->import_row), _("Import Enrollment File…"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->import_row), TRUE);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  adw_action_row_add_suffix (self->import_row, GTK_WIDGET (self->spinner));
  adw_action_row_add_suffix (self->import_row, arrow);
  g_signal_connect_swapped (self->import_row, "activated", G_CALLBACK (on_import_activated), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->import_row));

  self->device_row = ADW_ACTION_ROW (copyable_row (_("Device ID")));
  self->key_row = ADW_ACTION_ROW (copyable_row (_("Public Key")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->device_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->key_row));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->error_label));

  self->quarantine_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->quarantine_group, _("Held Back"));
  adw_preferences_group_set_description (self->quarantine_group,
    _("These changes were not sent, for the reason given. Later changes are still sent."));
  gtk_widget_set_margin_top (GTK_WIDGET (self->quarantine_group), 18);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->quarantine_group));
}

static void
koers_sync_group_dispose (GObject *object)
{
  KoersSyncGroup *self = KOERS_SYNC_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (koers_sync_group_parent_class)->dispose (object);
}

static void
koers_sync_group_finalize (GObject *object)
{
  KoersSyncGroup *self = KOERS_SYNC_GROUP (object);

  g_ptr_array_unref (self->quarantine_rows);

  G_OBJECT_CLASS (koers_sync_group_parent_class)->finalize (object);
}

static void
koers_sync_group_class_init (KoersSyncGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_sync_group_dispose;
  object_class->finalize = koers_sync_group_finalize;
}

static void
koers_sync_group_init (KoersSyncGroup *self)
{
  self->cancellable = g_cancellable_new ();
  self->quarantine_rows = g_ptr_array_new ();
  build (self);
}

KoersSyncGroup *
koers_sync_group_new (KoersSession *session)
{
  KoersSyncGroup *self;

  g_return_val_if_fail (KOERS_IS_SESSION (session), NULL);

  self = g_object_new (KOERS_TYPE_SYNC_GROUP, NULL);
  self->session = g_object_ref (session);
  reload_quarantine (self);
  return self;
}
