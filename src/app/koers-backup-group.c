/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-backup-group"

#include <glib/gi18n.h>

#include "koers-backup-group.h"

struct _KoersBackupGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *row;
  GtkProgressBar      *progress;
  KoersVault          *vault;
  char                *last;      /* the folder of the last backup */
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (KoersBackupGroup, koers_backup_group, ADW_TYPE_PREFERENCES_GROUP)

static void
toast (KoersBackupGroup *self,
       const char       *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
}

static void
set_busy (KoersBackupGroup *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->row), !busy);
  if (busy)
    gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
}

/* --- the worker ------------------------------------------------------- */

typedef struct
{
  KoersVault *vault;
  char       *dest;
  GWeakRef    group;  /* for progress, reported from the worker */
} BackupData;

static void
backup_data_free (BackupData *data)
{
  g_clear_object (&data->vault);
  g_free (data->dest);
  g_weak_ref_clear (&data->group);
  g_free (data);
}

typedef struct
{
  GWeakRef group;
  double   fraction;
} ProgressUpdate;

static gboolean
show_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  g_autoptr(KoersBackupGroup) self = g_weak_ref_get (&update->group);

  if (self != NULL && self->busy)
    gtk_progress_bar_set_fraction (self->progress, update->fraction);
  g_weak_ref_clear (&update->group);
  g_free (update);
  return G_SOURCE_REMOVE;
}

/* In the worker: hand the fraction to the main loop. */
static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  BackupData *data = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);
  g_autoptr(GObject) group = g_weak_ref_get (&data->group);

  g_weak_ref_init (&update->group, group);
  update->fraction = total > 0 ? (double) done / total : 1.0;
  g_idle_add (show_progress, update);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupData *data = task_data;
  GError *error = NULL;

  if (koers_vault_backup_with_progress (data->vault, data->dest, on_progress, data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_backup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KoersBackupGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  BackupData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *message = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      message = g_strdup_printf (_("No backup was made: %s"), error->message);
      toast (self, message);
      return;
    }
  g_free (self->last);
  self->last = g_strdup (data->dest);
  message = g_strdup_printf (_("Last backup: %s"), data->dest);
  adw_action_row_set_subtitle (self->row, message);
  toast (self, _("Backup made. It opens with the same names and passphrases."));
}

/* A new folder for this backup inside @folder: the date and time, and a
 * number when there is already one of that minute. */
static char *
new_backup_dir (const char *folder)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M");
  /* TRANSLATORS: the name of a backup folder; %s is the date and time */
  g_autofree char *name = g_strdup_printf (_("Koers backup %s"), stamp);
  char *dest = g_build_filename (folder, name, NULL);

  for (guint n = 2; g_file_test (dest, G_FILE_TEST_EXISTS) && n < 100; n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s (%u)", name, n);
      g_free (dest);
      dest = g_build_filename (folder, numbered, NULL);
    }
  return dest;
}

void
koers_backup_group_back_up_to (KoersBackupGroup *self,
                               const char       *folder)
{
  g_autoptr(GTask) task = NULL;
  BackupData *data;

  g_return_if_fail (KOERS_IS_BACKUP_GROUP (self) && folder != NULL);
  if (self->busy)
    return;
  data = g_new0 (BackupData, 1);
  data->vault = g_object_ref (self->vault);
  data->dest = new_backup_dir (folder);
  g_weak_ref_init (&data->group, self);
  task = g_task_new (NULL, NULL, on_backup_done, g_object_ref (self));
  g_task_set_source_tag (task, koers_backup_group_back_up_to);
  g_task_set_task_data (task, data, (GDestroyNotify) backup_data_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, backup_thread);
}

/* --- choosing the folder ---------------------------------------------- */

static void
on_folder_chosen (GtkNativeDialog  *chooser,
                  int               response,
                  KoersBackupGroup *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (folder != NULL && (path = g_file_get_path (folder)) != NULL)
    koers_backup_group_back_up_to (self, path);
  g_object_unref (chooser);
}

static void
on_row_activated (KoersBackupGroup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->busy)
    return;
  chooser = gtk_file_chooser_native_new (_("Choose a Folder for the Backup"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Back Up Here"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_folder_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- life cycle ------------------------------------------------------- */

static void
koers_backup_group_dispose (GObject *object)
{
  KoersBackupGroup *self = KOERS_BACKUP_GROUP (object);

  g_clear_object (&self->vault);
  G_OBJECT_CLASS (koers_backup_group_parent_class)->dispose (object);
}

static void
koers_backup_group_finalize (GObject *object)
{
  KoersBackupGroup *self = KOERS_BACKUP_GROUP (object);

  g_free (self->last);
  G_OBJECT_CLASS (koers_backup_group_parent_class)->finalize (object);
}

static void
koers_backup_group_class_init (KoersBackupGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = koers_backup_group_dispose;
  G_OBJECT_CLASS (klass)->finalize = koers_backup_group_finalize;
}

static void
koers_backup_group_init (KoersBackupGroup *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Backup"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
    _("An encrypted copy of the vault in a new folder, for example on a USB stick. It opens with "
      "the same names and passphrases, and holds nothing readable without them."));
  self->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), _("Make a Backup…"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->row), TRUE);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backup progress"), -1);
  adw_action_row_add_suffix (self->row, GTK_WIDGET (self->progress));
  adw_action_row_add_suffix (self->row, gtk_image_new_from_icon_name ("document-save-symbolic"));
  g_signal_connect_swapped (self->row, "activated", G_CALLBACK (on_row_activated), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->row));
}

KoersBackupGroup *
koers_backup_group_new (KoersVault *vault)
{
  KoersBackupGroup *self;

  g_return_val_if_fail (KOERS_IS_VAULT (vault), NULL);
  self = g_object_new (KOERS_TYPE_BACKUP_GROUP, NULL);
  self->vault = g_object_ref (vault);
  return self;
}

gboolean
koers_backup_group_is_busy (KoersBackupGroup *self)
{
  g_return_val_if_fail (KOERS_IS_BACKUP_GROUP (self), FALSE);
  return self->busy;
}

const char *
koers_backup_group_get_last (KoersBackupGroup *self)
{
  g_return_val_if_fail (KOERS_IS_BACKUP_GROUP (self), NULL);
  return self->last;
}
