/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-preferences-window"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-passphrase.h"
#include "koers-ask.h"
#include "koers-backup-group.h"
#include "koers-labels.h"
#include "koers-orgs-page.h"
#include "koers-preferences-window.h"
#include "koers-secret-entry.h"
#include "koers-recovery-page.h"
#include "koers-settings.h"
#include "koers-sync-group.h"

struct _KoersPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSpinButton        *auto_lock_spin;
  AdwComboRow          *language_row;
  GtkWidget            *steunpunt_group;
  AdwEntryRow          *steunpunt_row;
  GtkWidget            *people_page;
  GtkListBox           *people_list;
  AdwPreferencesGroup  *person_group;
  AdwEntryRow          *name_row;
  AdwComboRow          *role_row;
  KoersSecretEntry     *passphrase_row;
  KoersSecretEntry     *repeat_row;
  GtkLabel             *error_label;
  GtkSpinner           *spinner;
  GtkWidget            *cancel_button;
  GtkWidget            *person_button;
  GtkWidget            *recovery_group;
  GtkSpinner           *recovery_spinner;

  GSettings            *settings;
  KoersSession         *session;      /* NULL: no vault yet */
  char                 *reset_name;   /* whose passphrase is being reset */
  GCancellable         *cancellable;
  gboolean              busy;
  KoersRecoveryPage    *new_key_page; /* a new key on screen, not yet stored */
};

G_DEFINE_FINAL_TYPE (KoersPreferencesWindow, koers_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The session's vault while it is unlocked, else NULL. */
static KoersVault *
unlocked_vault (KoersPreferencesWindow *self)
{
  if (self->session == NULL || !koers_session_is_unlocked (self->session))
    return NULL;
  return koers_session_get_vault (self->session);
}

/* The session's store while it is open, else NULL. */
static KoersStore *
open_store (KoersPreferencesWindow *self)
{
  return self->session != NULL ? koers_session_get_store (self->session) : NULL;
}

static void
show_error (KoersPreferencesWindow *self,
            const char             *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
toast (KoersPreferencesWindow *self,
       const char             *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

/* Language ---------------------------------------------------------------- */

/* The "language" setting of each item of language_row, in its order. */
static const char *const language_codes[] = { "", "nl", "en" };

static guint
language_index (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (language_codes); i++)
    if (g_strcmp0 (language_codes[i], code) == 0)
      return i;
  return 0;
}

/* The language is set before GTK starts, so a new choice waits for a
 * restart: say so while the choice differs from the language in use. */
static void
update_language_note (KoersPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);
  gboolean pending = selected < G_N_ELEMENTS (language_codes) &&
                     g_strcmp0 (language_codes[selected], koers_settings_get_startup_language ()) != 0;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->language_row),
                               pending ? _("Koers will use this language the next time it starts.") : "");
}

static void
on_language_selected (KoersPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  if (self->settings != NULL && selected < G_N_ELEMENTS (language_codes))
    g_settings_set_string (self->settings, "language", language_codes[selected]);
  update_language_note (self);
}

static void
setup_language_row (KoersPreferencesWindow *self)
{
  g_autofree char *code = NULL;

  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), FALSE);
      return;
    }
  code = g_settings_get_string (self->settings, "language");
  adw_combo_row_set_selected (self->language_row, language_index (code));
  update_language_note (self);
  g_signal_connect_swapped (self->language_row, "notify::selected", G_CALLBACK (on_language_selected), self);
}

/* Steunpunt --------------------------------------------------------------- */

/* The steunpunt, or NULL: none yet, or (with @error) unreadable. */
static KoersSteunpunt *
first_steunpunt (KoersStore  *store,
                 GError     **error)
{
  g_autoptr(GPtrArray) all = koers_store_list (store, KOERS_ENTITY_STEUNPUNT, NULL, error);

  if (all == NULL || all->len == 0)
    return NULL;
  return koers_steunpunt_copy (g_ptr_array_index (all, 0));
}

static void
on_steunpunt_apply (KoersPreferencesWindow *self)
{
  g_autoptr(KoersSteunpunt) steunpunt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->steunpunt_row))));
  gboolean ok;

  if (open_store (self) == NULL || *name == '\0')
    return;
  steunpunt = first_steunpunt (open_store (self), &error);
  if (error != NULL)
    {
      /* Not known whether there is one: adding another would be wrong. */
      toast (self, error->message);
      return;
    }
  if (steunpunt == NULL)
    {
      steunpunt = koers_steunpunt_new ();
      steunpunt->name = g_steal_pointer (&name);
      ok = koers_store_add_steunpunt (open_store (self), steunpunt, &error);
    }
  else
    {
      g_free (steunpunt->name);
      steunpunt->name = g_steal_pointer (&name);
      ok = koers_store_update_steunpunt (open_store (self), steunpunt, &error);
    }
  if (!ok)
    toast (self, error->message);
  else
    toast (self, _("Steunpunt saved"));
}

/* People ------------------------------------------------------------------ */

static void reload_people (KoersPreferencesWindow *self);

static void
on_remove_response (AdwMessageDialog       *dialog,
                    const char             *response,
                    KoersPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove") || unlocked_vault (self) == NULL)
    return;
  if (!koers_vault_remove_slot (unlocked_vault (self), name, &error))
    {
      show_error (self, error->message);
      return;
    }
  reload_people (self);
  toast (self, _("Person removed"));
}

static void
on_remove_clicked (GtkButton              *button,
                   KoersPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autofree char *heading = g_strdup_printf (_("Remove %s?"), name);
  GtkWidget *dialog;

  dialog = GTK_WIDGET (koers_ask (GTK_WINDOW (self), heading,
                                  _("They will no longer be able to open the vault on this laptop. "
                                    "The client files stay."),
                                  "cancel", _("_Cancel"), "remove", _("_Remove"),
                                  ADW_RESPONSE_DESTRUCTIVE, FALSE));
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_remove_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_reset_mode (KoersPreferencesWindow *self,
                const char             *name)
{
  g_autofree char *title = NULL;

  g_free (self->reset_name);
  self->reset_name = g_strdup (name);
  if (name != NULL)
    title = g_strdup_printf (_("New Passphrase for %s"), name);
  adw_preferences_group_set_title (self->person_group, name != NULL ? title : _("Add a Person"));
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), name == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->role_row), name == NULL && open_store (self) != NULL);
  gtk_widget_set_visible (self->cancel_button, name != NULL);
  gtk_button_set_label (GTK_BUTTON (self->person_button),
                        name != NULL ? _("_Set Passphrase") : _("_Add Person"));
  koers_secret_entry_clear (self->passphrase_row);
  koers_secret_entry_clear (self->repeat_row);
  show_error (self, NULL);
  gtk_widget_grab_focus (name != NULL ? GTK_WIDGET (self->passphrase_row) : GTK_WIDGET (self->name_row));
}

static void
on_reset_clicked (GtkButton              *button,
                  KoersPreferencesWindow *self)
{
  set_reset_mode (self, g_object_get_data (G_OBJECT (button), "name"));
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *label,
             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "name", g_strdup (name), g_free);
  return button;
}

/* The roles in their order, as a combo row or drop-down shows them. */
static GListModel *
role_model (void)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

  for (KoersRole role = KOERS_ROLE_VOLUNTEER; role <= KOERS_ROLE_COORDINATOR; role++)
    gtk_string_list_append (roles, koers_label_role (role));
  return G_LIST_MODEL (roles);
}

/* The stored person named @name (the name of their vault slot), or NULL. */
static KoersWorker *
find_person (KoersStore  *store,
             const char  *name,
             GError     **error)
{
  g_autoptr(GPtrArray) people = koers_store_list_people (store, -1, FALSE, error);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      KoersWorker *person = people->pdata[i];
      if (g_strcmp0 (person->name, name) == 0)
        return koers_worker_copy (person);
    }
  return NULL;
}

/* Stores @name's role before their first opening, so that Koers knows
 * it when they do (the store finds them by name then). */
static gboolean
save_role (KoersPreferencesWindow  *self,
           const char              *name,
           KoersRole                role,
           GError                 **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersWorker) person = find_person (open_store (self), name, &local);
  g_autoptr(KoersSteunpunt) steunpunt = NULL;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (person == NULL)
    {
      person = koers_worker_new ();
      person->name = g_strdup (name);
      person->active = TRUE;
    }
  if (person->steunpunt_id == NULL)
    {
      if ((steunpunt = first_steunpunt (open_store (self), &local)) == NULL && local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      person->steunpunt_id = steunpunt != NULL ? g_strdup (steunpunt->id) : NULL;
    }
  person->role = role;
  return koers_store_save_person (open_store (self), person, error);
}

static void
on_role_chosen (GtkDropDown            *dropdown,
                GParamSpec             *pspec,
                KoersPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dropdown), "name");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (open_store (self) == NULL)
    return;
  if (!save_role (self, name, (KoersRole) gtk_drop_down_get_selected (dropdown), &error))
    {
      g_autoptr(GError) ignored = NULL;
      g_autoptr(KoersWorker) person = find_person (open_store (self), name, &ignored);

      /* Back to the stored role; the list itself stays (this runs inside
       * the drop-down's own signal). */
      toast (self, error->message);
      g_signal_handlers_block_by_func (dropdown, on_role_chosen, self);
      gtk_drop_down_set_selected (dropdown, person != NULL ? person->role : KOERS_ROLE_VOLUNTEER);
      g_signal_handlers_unblock_by_func (dropdown, on_role_chosen, self);
      return;
    }
  message = g_strdup_printf (_("%s is now: %s"), name, koers_label_role (gtk_drop_down_get_selected (dropdown)));
  toast (self, message);
}

/* A drop-down with @name's stored role (a volunteer until one is set). */
static GtkWidget *
role_dropdown (KoersPreferencesWindow *self,
               const char             *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) person = find_person (open_store (self), name, &error);
  g_autofree char *label = g_strdup_printf (_("Role of %s"), name);
  GtkWidget *dropdown = gtk_drop_down_new (role_model (), NULL);

  if (error != NULL)
    show_error (self, error->message);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), person != NULL ? person->role : KOERS_ROLE_VOLUNTEER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (dropdown, label);
  koers_a11y_describe_choice (dropdown);
  g_object_set_data_full (G_OBJECT (dropdown), "name", g_strdup (name), g_free);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_role_chosen), self);
  return dropdown;
}

static void
reload_people (KoersPreferencesWindow *self)
{
  g_auto(GStrv) names = NULL;
  const char *me;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->people_list))) != NULL)
    gtk_list_box_remove (self->people_list, child);
  if (unlocked_vault (self) == NULL)
    return;

  names = koers_vault_list_slots (unlocked_vault (self));
  me = koers_vault_get_unlocked_by (unlocked_vault (self));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *reset_label = g_strdup_printf (_("Reset the passphrase of %s"), names[i]);
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), names[i]);
      GtkWidget *reset = icon_button ("dialog-password-symbolic", reset_label, names[i]);
      GtkWidget *remove = icon_button ("user-trash-symbolic", remove_label, names[i]);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      if (g_strcmp0 (names[i], me) == 0)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("You"));
          gtk_widget_set_sensitive (remove, FALSE);
        }
      g_signal_connect (reset, "clicked", G_CALLBACK (on_reset_clicked), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      if (open_store (self) != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), role_dropdown (self, names[i]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->people_list, row);
    }
}

/* Key derivation in a worker ---------------------------------------------- */

typedef enum
{
  SLOT_WORK_ADD_PERSON,
  SLOT_WORK_SET_PASSPHRASE,
  SLOT_WORK_NEW_RECOVERY_KEY,
} SlotWork;

/* A slot change running in the vault's worker. */
typedef struct
{
  KoersPreferencesWindow *self;
  SlotWork                work;
  char                   *name;
} SlotCall;

static void
slot_call_free (SlotCall *call)
{
  g_object_unref (call->self);
  g_free (call->name);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlotCall, slot_call_free)

/* One slot change at a time: the forms wait, and the spinner next to the
 * control that started it turns. */
static void
set_busy (KoersPreferencesWindow *self,
          gboolean                busy,
          SlotWork                work)
{
  gboolean recovery = work == SLOT_WORK_NEW_RECOVERY_KEY;

  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy && !recovery);
  gtk_spinner_set_spinning (self->recovery_spinner, busy && recovery);
  gtk_widget_set_sensitive (GTK_WIDGET (self->person_group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.add-person", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.new-recovery-key", !busy);
}

static char *
steunpunt_name (KoersPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSteunpunt) steunpunt = open_store (self) != NULL ? first_steunpunt (open_store (self), &error) : NULL;

  if (error != NULL)
    toast (self, error->message);
  return steunpunt != NULL ? g_strdup (steunpunt->name) : NULL;
}

static void
on_new_key_stored (KoersRecoveryPage      *page,
                   KoersPreferencesWindow *self)
{
  self->new_key_page = NULL;
  koers_recovery_page_clear (page);
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  toast (self, _("New recovery key made"));
}

/* The new key, shown once as on first run; the page keeps a wiped copy. */
static void
show_new_recovery_key (KoersPreferencesWindow *self,
                       const char             *key)
{
  GtkWidget *subpage = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = g_object_new (KOERS_TYPE_RECOVERY_PAGE, "vexpand", TRUE, NULL);
  g_autofree char *steunpunt = steunpunt_name (self);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("New Recovery Key"), NULL));
  gtk_box_append (GTK_BOX (subpage), header);
  gtk_box_append (GTK_BOX (subpage), page);
  koers_recovery_page_set_key (KOERS_RECOVERY_PAGE (page), key, steunpunt);
  g_signal_connect (page, "done", G_CALLBACK (on_new_key_stored), self);
  self->new_key_page = KOERS_RECOVERY_PAGE (page);
  /* No back gesture or shortcut past an unstored key; closing asks. */
  adw_preferences_window_set_can_navigate_back (ADW_PREFERENCES_WINDOW (self), FALSE);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), subpage);
  koers_recovery_page_focus (KOERS_RECOVERY_PAGE (page));
}

static void
person_saved (KoersPreferencesWindow *self,
              SlotCall               *call)
{
  g_autofree char *message = NULL;

  message = call->work == SLOT_WORK_SET_PASSPHRASE
            ? g_strdup_printf (_("New passphrase set for %s"), call->name)
            : g_strdup_printf (_("%s can now open the vault"), call->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  set_reset_mode (self, NULL);
  reload_people (self);
  toast (self, message);
}

static gboolean
finish_slot_call (KoersVault    *vault,
                  GAsyncResult  *result,
                  SlotCall      *call,
                  char         **recovery_key,
                  GError       **error)
{
  switch (call->work)
    {
    case SLOT_WORK_ADD_PERSON:
      return koers_vault_add_slot_finish (vault, result, error);
    case SLOT_WORK_SET_PASSPHRASE:
      return koers_vault_set_passphrase_finish (vault, result, error);
    case SLOT_WORK_NEW_RECOVERY_KEY:
      return koers_vault_reset_recovery_key_finish (vault, result, recovery_key, error);
    }
  g_return_val_if_reached (FALSE);
}

static void
on_slot_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  KoersPreferencesWindow *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) recovery_key = NULL;

  if (!finish_slot_call (KOERS_VAULT (source), result, call, &recovery_key, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE, call->work);
      if (call->work == SLOT_WORK_NEW_RECOVERY_KEY)
        toast (self, error->message);
      else
        show_error (self, error->message);
      return;
    }
  set_busy (self, FALSE, call->work);
  if (call->work == SLOT_WORK_NEW_RECOVERY_KEY)
    show_new_recovery_key (self, recovery_key);
  else
    person_saved (self, call);
}

/* Starts @work on the vault's worker thread (the vault copies and wipes
 * the passphrase). */
static void
run_slot_work (KoersPreferencesWindow *self,
               SlotWork                work,
               const char             *name,
               const char             *passphrase)
{
  KoersKdfParams params = koers_session_kdf_params ();
  SlotCall *call = g_new0 (SlotCall, 1);

  call->self = g_object_ref (self);
  call->work = work;
  call->name = g_strdup (name);
  set_busy (self, TRUE, work);
  switch (work)
    {
    case SLOT_WORK_ADD_PERSON:
      koers_vault_add_slot_async (unlocked_vault (self), name, passphrase, &params, self->cancellable,
                                  on_slot_done, call);
      break;
    case SLOT_WORK_SET_PASSPHRASE:
      koers_vault_set_passphrase_async (unlocked_vault (self), name, passphrase, &params, self->cancellable,
                                        on_slot_done, call);
      break;
    case SLOT_WORK_NEW_RECOVERY_KEY:
      koers_vault_reset_recovery_key_async (unlocked_vault (self), self->cancellable, on_slot_done, call);
      break;
    }
}

static gboolean
has_slot (KoersVault *vault,
          const char *name)
{
  g_auto(GStrv) names = koers_vault_list_slots (vault);

  return names != NULL && g_strv_contains ((const char *const *) names, name);
}

static void
save_person_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (widget);
  g_autofree char *name = NULL;
  const char *passphrase = koers_secret_entry_get_text (self->passphrase_row);
  const char *repeat = koers_secret_entry_get_text (self->repeat_row);
  KoersPassphraseStrength strength = koers_passphrase_strength (passphrase);

  if (unlocked_vault (self) == NULL || self->busy)
    return;
  name = g_strstrip (g_strdup (self->reset_name != NULL ? self->reset_name
                                                        : gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (*name == '\0')
    {
      show_error (self, _("Type the name this person will choose when opening Koers."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  if (!koers_passphrase_is_acceptable (strength))
    {
      show_error (self, koers_passphrase_hint (strength));
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }
  if (g_strcmp0 (passphrase, repeat) != 0)
    {
      show_error (self, _("The two passphrases are not the same."));
      gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
      return;
    }
  show_error (self, NULL);
  if (self->reset_name == NULL && has_slot (unlocked_vault (self), name))
    {
      g_autofree char *message = g_strdup_printf (_("%s can already open the vault; their role is in the list above."), name);
      show_error (self, message);
      return;
    }
  if (self->reset_name == NULL && open_store (self) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!save_role (self, name, (KoersRole) adw_combo_row_get_selected (self->role_row), &error))
        {
          show_error (self, error->message);
          return;
        }
    }

  run_slot_work (self, self->reset_name != NULL ? SLOT_WORK_SET_PASSPHRASE : SLOT_WORK_ADD_PERSON,
                 name, passphrase);
  /* The passphrase lives on only in the worker's wiped copy. */
  koers_secret_entry_clear (self->passphrase_row);
  koers_secret_entry_clear (self->repeat_row);
}

/* Recovery key ------------------------------------------------------------ */

static void
on_new_key_response (AdwMessageDialog       *dialog,
                     const char             *response,
                     KoersPreferencesWindow *self)
{
  if (!g_str_equal (response, "new-key") || unlocked_vault (self) == NULL || self->busy)
    return;
  run_slot_work (self, SLOT_WORK_NEW_RECOVERY_KEY, NULL, NULL);
}

static void
new_recovery_key_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  if (unlocked_vault (self) == NULL || self->busy)
    return;
  dialog = GTK_WIDGET (koers_ask (GTK_WINDOW (self), _("Make a New Recovery Key?"),
                                  _("The old recovery key stops working at once: the printed sheet "
                                    "will no longer open the vault. The new key is shown only once, "
                                    "so have a printer or a pen ready."),
                                  "cancel", _("_Cancel"), "new-key", _("_Make New Key"),
                                  ADW_RESPONSE_DESTRUCTIVE, FALSE));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_key_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_reset_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  set_reset_mode (KOERS_PREFERENCES_WINDOW (widget), NULL);
}

/* GObject ----------------------------------------------------------------- */

static void
koers_preferences_window_dispose (GObject *object)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (koers_preferences_window_parent_class)->dispose (object);
}

static void
koers_preferences_window_finalize (GObject *object)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  g_free (self->reset_name);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (koers_preferences_window_parent_class)->finalize (object);
}

static void
on_close_unstored_response (AdwMessageDialog       *dialog,
                            const char             *response,
                            KoersPreferencesWindow *self)
{
  if (!g_str_equal (response, "close"))
    return;
  if (self->new_key_page != NULL)
    koers_recovery_page_clear (self->new_key_page);
  self->new_key_page = NULL;
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The old key is already dead when the new one shows: closing before it
 * is stored would leave the vault without a working recovery key. */
static gboolean
koers_preferences_window_close_request (GtkWindow *window)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (window);
  GtkWidget *dialog;

  if (self->new_key_page == NULL)
    return GTK_WINDOW_CLASS (koers_preferences_window_parent_class)->close_request (window);

  dialog = GTK_WIDGET (koers_ask (window, _("Close Without Storing the Key?"),
                                  _("The new recovery key is shown only this once, and the old one no "
                                    "longer works. Print it or write it down first."),
                                  "keep", _("_Keep Showing"), "close", _("_Close Anyway"),
                                  ADW_RESPONSE_DESTRUCTIVE, FALSE));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_unstored_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
koers_preferences_window_class_init (KoersPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_preferences_window_dispose;
  object_class->finalize = koers_preferences_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = koers_preferences_window_close_request;

  g_type_ensure (KOERS_TYPE_SECRET_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, auto_lock_spin);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, steunpunt_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, steunpunt_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, people_page);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, people_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, person_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, person_button);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, recovery_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, recovery_spinner);

  gtk_widget_class_install_action (widget_class, "prefs.add-person", NULL, save_person_action);
  gtk_widget_class_install_action (widget_class, "prefs.cancel-reset", NULL, cancel_reset_action);
  gtk_widget_class_install_action (widget_class, "prefs.new-recovery-key", NULL, new_recovery_key_action);
}

static void
on_repeat_activated (KoersPreferencesWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.add-person", NULL);
}

/* AdwEntryRow 1.2 labels the row, not the text inside that takes the
 * focus: a screen reader would announce a nameless text field. */
static void
label_entry_text (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

static void
koers_preferences_window_init (KoersPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = koers_settings_new ();
  if (self->settings != NULL)
    g_settings_bind (self->settings, "auto-lock-minutes",
                     gtk_spin_button_get_adjustment (self->auto_lock_spin), "value",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->auto_lock_spin), FALSE);
  setup_language_row (self);
  {
    g_autoptr(GListModel) roles = role_model ();
    adw_combo_row_set_model (self->role_row, roles);
  }
  koers_a11y_describe_choice (GTK_WIDGET (self->role_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->language_row));

  label_entry_text (self->steunpunt_row);
  label_entry_text (self->name_row);
  g_signal_connect_swapped (self->steunpunt_row, "apply", G_CALLBACK (on_steunpunt_apply), self);
  g_signal_connect_swapped (self->repeat_row, "activate", G_CALLBACK (on_repeat_activated), self);
}

/* Enrollment and the batches held back: a coordinator's, on a page of
 * its own. */
static void
add_sync_page (KoersPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());

  adw_preferences_page_set_title (page, _("Sync"));
  adw_preferences_page_set_icon_name (page, "emblem-synchronizing-symbolic");
  gtk_widget_set_name (GTK_WIDGET (page), "sync");
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (koers_sync_group_new (self->session)));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

KoersPreferencesWindow *
koers_preferences_window_new (GtkWindow    *parent,
                              KoersSession *session,
                              gboolean      coordinator)
{
  KoersPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session == NULL || KOERS_IS_SESSION (session), NULL);

  self = g_object_new (KOERS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  if (session != NULL)
    self->session = g_object_ref (session);
  if (open_store (self) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersSteunpunt) steunpunt = first_steunpunt (open_store (self), &error);

      if (error != NULL)
        show_error (self, error->message);
      if (steunpunt != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->steunpunt_row), steunpunt->name);
    }
  gtk_widget_set_visible (self->steunpunt_group, open_store (self) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->role_row), open_store (self) != NULL);
  gtk_widget_set_visible (self->people_page, coordinator && unlocked_vault (self) != NULL);
  if (coordinator && unlocked_vault (self) != NULL)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->people_page),
                              ADW_PREFERENCES_GROUP (koers_backup_group_new (unlocked_vault (self))));
  if (coordinator && open_store (self) != NULL)
    {
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (koers_orgs_page_new (open_store (self))));
      add_sync_page (self);
    }
  reload_people (self);
  koers_a11y_name_preferences (GTK_WIDGET (self));
  return self;
}

gboolean
koers_preferences_window_is_busy (KoersPreferencesWindow *self)
{
  g_return_val_if_fail (KOERS_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->busy;
}
