/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-unlock-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-secret-entry.h"
#include "koers-passphrase.h"
#include "koers-unlock-page.h"

struct _KoersUnlockPage
{
  GtkWidget      parent_instance;

  GtkWidget     *scroller;
  GtkLabel      *title_label;
  GtkLabel      *description_label;
  GtkStack      *mode_stack;
  /* Passphrase */
  AdwComboRow   *name_row;
  GtkStringList *names;
  KoersSecretEntry *passphrase_row;
  /* Recovery key */
  KoersSecretEntry *key_row;
  /* New passphrase */
  AdwComboRow   *person_row;
  GtkStringList *person_names;  /* the names, then "Someone New" */
  AdwEntryRow   *new_name_row;
  KoersSecretEntry *new_passphrase_row;
  KoersSecretEntry *repeat_row;
  GtkLevelBar   *strength_bar;
  GtkLabel      *strength_label;
  GtkLabel      *match_label;

  GtkLabel      *error_label;
  GtkWidget     *back_button;
  GtkWidget     *cancel_button;
  GtkWidget     *unlock_button;
  GtkWidget     *use_key_button;
  GtkWidget     *save_button;
  GtkWidget     *busy_box;
  GtkSpinner    *spinner;
  GtkLabel      *busy_label;
  GtkWidget     *forgot_button;

  KoersUnlockMode mode;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (KoersUnlockPage, koers_unlock_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_UNLOCK,
  SIGNAL_UNLOCK_WITH_KEY,
  SIGNAL_TAKE_OVER,
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static const char *
secret_text (KoersSecretEntry *entry)
{
  return koers_secret_entry_get_text (entry);
}

/* Emptied, never selected: a screen reader reads a selection aloud. */
static void
empty_field (GtkWidget *field)
{
  if (KOERS_IS_SECRET_ENTRY (field))
    koers_secret_entry_clear (KOERS_SECRET_ENTRY (field));
  else
    gtk_editable_set_text (GTK_EDITABLE (field), "");
}

static void
clear_secret (KoersSecretEntry *entry)
{
  koers_secret_entry_clear (entry);
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static void
clear_row (AdwEntryRow *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* The row an error message is about, in the current mode. */
static GtkWidget *
error_row (KoersUnlockPage *self)
{
  switch (self->mode)
    {
    case KOERS_UNLOCK_MODE_RECOVERY_KEY:
      return GTK_WIDGET (self->key_row);
    case KOERS_UNLOCK_MODE_NEW_PASSPHRASE:
      return GTK_WIDGET (self->new_passphrase_row);
    case KOERS_UNLOCK_MODE_PASSPHRASE:
    default:
      return GTK_WIDGET (self->passphrase_row);
    }
}

static gboolean
new_person_chosen (KoersUnlockPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->person_names));

  return n > 0 && adw_combo_row_get_selected (self->person_row) == n - 1;
}

static gboolean
take_over_is_complete (KoersUnlockPage         *self,
                       KoersPassphraseStrength  strength)
{
  g_autofree char *name = g_strdup (koers_unlock_page_get_new_name (self));

  return name != NULL && *g_strstrip (name) != '\0'
         && koers_passphrase_is_acceptable (strength)
         && g_strcmp0 (secret_text (self->new_passphrase_row), secret_text (self->repeat_row)) == 0;
}

static void
update_strength (KoersUnlockPage         *self,
                 KoersPassphraseStrength  strength)
{
  static const char *classes[] = {
    [KOERS_PASSPHRASE_EMPTY] = "dim-label",
    [KOERS_PASSPHRASE_TOO_SHORT] = "error",
    [KOERS_PASSPHRASE_WEAK] = "error",
    [KOERS_PASSPHRASE_FAIR] = "warning",
    [KOERS_PASSPHRASE_STRONG] = "success",
  };
  const char *css[] = { classes[strength], NULL };

  gtk_level_bar_set_value (self->strength_bar, strength);
  gtk_label_set_label (self->strength_label, koers_passphrase_hint (strength));
  gtk_widget_set_css_classes (GTK_WIDGET (self->strength_label), css);
  gtk_widget_add_css_class (GTK_WIDGET (self->strength_label), "caption");
}

/* The repeat is wrong once it is no longer the start of the passphrase. */
static void
update_match (KoersUnlockPage *self)
{
  const char *repeat = secret_text (self->repeat_row);
  gboolean mismatch = *repeat != '\0' && !g_str_has_prefix (secret_text (self->new_passphrase_row), repeat);

  gtk_widget_set_visible (GTK_WIDGET (self->match_label), mismatch);
  koers_a11y_tell (GTK_WIDGET (self->repeat_row), mismatch ? gtk_label_get_text (self->match_label) : NULL);
  if (mismatch)
    gtk_widget_add_css_class (GTK_WIDGET (self->repeat_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->repeat_row), "error");
}

static void
update_actions (KoersUnlockPage *self)
{
  KoersPassphraseStrength strength = koers_passphrase_strength (secret_text (self->new_passphrase_row));
  gboolean can_unlock = koers_unlock_page_get_name (self) != NULL && *secret_text (self->passphrase_row) != '\0';
  gboolean can_use_key = *secret_text (self->key_row) != '\0';

  update_strength (self, strength);
  update_match (self);
  gtk_widget_set_visible (GTK_WIDGET (self->new_name_row), new_person_chosen (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.unlock", !self->busy && can_unlock);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.use-key", !self->busy && can_use_key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.save",
                                 !self->busy && take_over_is_complete (self, strength));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.forgot", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.back", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.cancel", !self->busy);
}

static void
hide_error (KoersUnlockPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  koers_a11y_tell (GTK_WIDGET (self->passphrase_row), NULL);
  koers_a11y_tell (GTK_WIDGET (self->key_row), NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->passphrase_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->new_passphrase_row), "error");
}

static void
on_field_changed (KoersUnlockPage *self)
{
  if (!self->busy)
    hide_error (self);
  update_actions (self);
}

static void
on_passphrase_activated (KoersUnlockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.unlock", NULL);
}

static void
on_key_activated (KoersUnlockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.use-key", NULL);
}

static void
on_new_name_activated (KoersUnlockPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->new_passphrase_row));
}

static void
on_new_passphrase_activated (KoersUnlockPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
}

static void
on_repeat_activated (KoersUnlockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.save", NULL);
}

static void
emit_unless_busy (GtkWidget *widget,
                  guint      signal_id)
{
  if (!KOERS_UNLOCK_PAGE (widget)->busy)
    g_signal_emit (widget, signal_id, 0);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  emit_unless_busy (widget, signals[SIGNAL_UNLOCK]);
}

static void
use_key_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  emit_unless_busy (widget, signals[SIGNAL_UNLOCK_WITH_KEY]);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  emit_unless_busy (widget, signals[SIGNAL_TAKE_OVER]);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  emit_unless_busy (widget, signals[SIGNAL_CANCEL]);
}

static void
forgot_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  koers_unlock_page_set_mode (KOERS_UNLOCK_PAGE (widget), KOERS_UNLOCK_MODE_RECOVERY_KEY);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  koers_unlock_page_set_mode (KOERS_UNLOCK_PAGE (widget), KOERS_UNLOCK_MODE_PASSPHRASE);
}

static void
koers_unlock_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_UNLOCK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (koers_unlock_page_parent_class)->dispose (object);
}

static void
bind_children (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, names);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, person_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, person_names);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, new_name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, new_passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, strength_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, match_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, use_key_button);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, busy_box);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, forgot_button);
}

static guint
new_signal (KoersUnlockPageClass *klass,
            const char           *name)
{
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_unlock_page_class_init (KoersUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_unlock_page_dispose;
  g_type_ensure (KOERS_TYPE_SECRET_ENTRY);

  signals[SIGNAL_UNLOCK] = new_signal (klass, "unlock");
  signals[SIGNAL_UNLOCK_WITH_KEY] = new_signal (klass, "unlock-with-key");
  signals[SIGNAL_TAKE_OVER] = new_signal (klass, "take-over");
  signals[SIGNAL_CANCEL] = new_signal (klass, "cancel");

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-unlock-page.ui");
  bind_children (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_key_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_new_name_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_new_passphrase_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_repeat_activated);

  gtk_widget_class_install_action (widget_class, "unlock.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "unlock.forgot", NULL, forgot_action);
  gtk_widget_class_install_action (widget_class, "unlock.use-key", NULL, use_key_action);
  gtk_widget_class_install_action (widget_class, "unlock.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "unlock.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "unlock.cancel", NULL, cancel_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_unlock_page_init (KoersUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name_page (GTK_WIDGET (self), KOERS_TYPE_UNLOCK_PAGE);
  koers_a11y_describe_choice (GTK_WIDGET (self->name_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->person_row));
  koers_unlock_page_set_mode (self, KOERS_UNLOCK_MODE_PASSPHRASE);
}

void
koers_unlock_page_set_names (KoersUnlockPage    *self,
                             const char * const *names)
{
  guint n_old;

  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->names));
  gtk_string_list_splice (self->names, 0, n_old, names);
  adw_combo_row_set_selected (self->name_row, 0);

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->person_names));
  gtk_string_list_splice (self->person_names, 0, n_old, names);
  gtk_string_list_append (self->person_names, _("Someone New"));
  adw_combo_row_set_selected (self->person_row, 0);
  update_actions (self);
}

const char *
koers_unlock_page_get_name (KoersUnlockPage *self)
{
  guint selected;

  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), NULL);

  selected = adw_combo_row_get_selected (self->name_row);
  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->names, selected);
}

const char *
koers_unlock_page_get_passphrase (KoersUnlockPage *self)
{
  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), NULL);

  return secret_text (self->passphrase_row);
}

const char *
koers_unlock_page_get_recovery_key (KoersUnlockPage *self)
{
  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), NULL);

  return secret_text (self->key_row);
}

const char *
koers_unlock_page_get_new_name (KoersUnlockPage *self)
{
  guint selected;

  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), NULL);

  if (new_person_chosen (self))
    return row_text (self->new_name_row);
  selected = adw_combo_row_get_selected (self->person_row);
  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->person_names, selected);
}

gboolean
koers_unlock_page_get_new_person (KoersUnlockPage *self)
{
  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), FALSE);

  return new_person_chosen (self);
}

const char *
koers_unlock_page_get_new_passphrase (KoersUnlockPage *self)
{
  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), NULL);

  return secret_text (self->new_passphrase_row);
}

KoersUnlockMode
koers_unlock_page_get_mode (KoersUnlockPage *self)
{
  g_return_val_if_fail (KOERS_IS_UNLOCK_PAGE (self), KOERS_UNLOCK_MODE_PASSPHRASE);

  return self->mode;
}

static void
show_texts (KoersUnlockPage *self)
{
  const char *title, *description;

  switch (self->mode)
    {
    case KOERS_UNLOCK_MODE_RECOVERY_KEY:
      title = _("Use the Recovery Key");
      description = _("Type the recovery key from the printed sheet. Spaces and capital letters do not matter.");
      break;
    case KOERS_UNLOCK_MODE_NEW_PASSPHRASE:
      title = _("Choose a New Passphrase");
      description = _("The vault is open. Choose your name and a new passphrase before you continue.");
      break;
    case KOERS_UNLOCK_MODE_PASSPHRASE:
    default:
      title = _("Open the Vault");
      description = _("Choose your name and type your passphrase.");
      break;
    }
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->description_label, description);
}

static const char *
mode_name (KoersUnlockMode mode)
{
  static const char *names[] = {
    [KOERS_UNLOCK_MODE_PASSPHRASE] = "passphrase",
    [KOERS_UNLOCK_MODE_RECOVERY_KEY] = "recovery",
    [KOERS_UNLOCK_MODE_NEW_PASSPHRASE] = "new-passphrase",
  };

  return names[mode];
}

/* Leaving a mode forgets what was typed in it. */
void
koers_unlock_page_set_mode (KoersUnlockPage *self,
                            KoersUnlockMode  mode)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));
  g_return_if_fail (mode <= KOERS_UNLOCK_MODE_NEW_PASSPHRASE);

  self->mode = mode;
  clear_secret (self->passphrase_row);
  clear_secret (self->key_row);
  clear_row (self->new_name_row);
  clear_secret (self->new_passphrase_row);
  clear_secret (self->repeat_row);
  hide_error (self);
  gtk_stack_set_visible_child_name (self->mode_stack, mode_name (mode));
  koers_a11y_hide_other_pages (self->mode_stack);
  show_texts (self);

  gtk_widget_set_visible (self->unlock_button, mode == KOERS_UNLOCK_MODE_PASSPHRASE);
  gtk_widget_set_visible (self->forgot_button, mode == KOERS_UNLOCK_MODE_PASSPHRASE);
  gtk_widget_set_visible (self->use_key_button, mode == KOERS_UNLOCK_MODE_RECOVERY_KEY);
  gtk_widget_set_visible (self->back_button, mode == KOERS_UNLOCK_MODE_RECOVERY_KEY);
  gtk_widget_set_visible (self->save_button, mode == KOERS_UNLOCK_MODE_NEW_PASSPHRASE);
  gtk_widget_set_visible (self->cancel_button, mode == KOERS_UNLOCK_MODE_NEW_PASSPHRASE);
  update_actions (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    koers_unlock_page_focus (self);
}

/* While busy the fields keep the focus but cannot be edited, so the focus
 * is where it should be if the attempt fails. */
void
koers_unlock_page_set_busy (KoersUnlockPage *self,
                            gboolean         busy)
{
  KoersSecretEntry *secrets[] = { self->passphrase_row, self->key_row, self->new_passphrase_row,
                                  self->repeat_row };

  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  self->busy = !!busy;
  if (busy)
    hide_error (self);
  gtk_editable_set_editable (GTK_EDITABLE (self->new_name_row), !busy);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    koers_secret_entry_set_editable (secrets[i], !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->person_row), !busy);
  gtk_label_set_label (self->busy_label, self->mode == KOERS_UNLOCK_MODE_NEW_PASSPHRASE
                                           ? _("Saving the new passphrase…")
                                           : _("Opening the vault…"));
  gtk_widget_set_visible (self->busy_box, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

void
koers_unlock_page_show_error (KoersUnlockPage *self,
                              const char      *message)
{
  GtkWidget *row;

  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));
  g_return_if_fail (message != NULL);

  /* Emptied first (its "changed" hides the previous error), never
   * selected: a screen reader reads a selection aloud. The message is told
   * through the field, where the focus is. */
  row = error_row (self);
  empty_field (row);
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
  koers_a11y_tell (row, message);
}

void
koers_unlock_page_clear (KoersUnlockPage *self)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  koers_unlock_page_set_mode (self, KOERS_UNLOCK_MODE_PASSPHRASE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->names)) > 0)
    adw_combo_row_set_selected (self->name_row, 0);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->person_names)) > 0)
    adw_combo_row_set_selected (self->person_row, 0);
  update_actions (self);
}

void
koers_unlock_page_focus (KoersUnlockPage *self)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  if (self->mode == KOERS_UNLOCK_MODE_NEW_PASSPHRASE)
    gtk_widget_grab_focus (GTK_WIDGET (self->person_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (error_row (self)));
}
