/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-unlock-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-unlock-page.h"

struct _KoersUnlockPage
{
  GtkWidget      parent_instance;

  GtkWidget     *scroller;
  AdwComboRow   *name_row;
  GtkStringList *names;
  AdwEntryRow   *passphrase_row;
  GtkLabel      *error_label;
  GtkSpinner    *spinner;
  GtkWidget     *unlock_button;

  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (KoersUnlockPage, koers_unlock_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_UNLOCK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (KoersUnlockPage *self)
{
  gboolean ready = koers_unlock_page_get_name (self) != NULL
                   && *gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.unlock", !self->busy && ready);
}

static void
hide_error (KoersUnlockPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->passphrase_row), "error");
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
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersUnlockPage *self = KOERS_UNLOCK_PAGE (widget);

  if (self->busy)
    return;
  g_signal_emit (self, signals[SIGNAL_UNLOCK], 0);
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
koers_unlock_page_class_init (KoersUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_unlock_page_dispose;

  signals[SIGNAL_UNLOCK] = g_signal_new ("unlock", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, names);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KoersUnlockPage, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_activated);

  gtk_widget_class_install_action (widget_class, "unlock.unlock", NULL, unlock_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_unlock_page_init (KoersUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
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

  return gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
}

/* While busy the passphrase stays focused but cannot be edited, so the
 * focus is where it should be if the attempt fails. */
void
koers_unlock_page_set_busy (KoersUnlockPage *self,
                            gboolean         busy)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  self->busy = !!busy;
  if (busy)
    hide_error (self);
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

void
koers_unlock_page_show_error (KoersUnlockPage *self,
                              const char      *message)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->passphrase_row), "error");
  koers_unlock_page_focus (self);
  gtk_editable_select_region (GTK_EDITABLE (self->passphrase_row), 0, -1);
}

void
koers_unlock_page_clear (KoersUnlockPage *self)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  hide_error (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->names)) > 0)
    adw_combo_row_set_selected (self->name_row, 0);
  update_actions (self);
}

void
koers_unlock_page_focus (KoersUnlockPage *self)
{
  g_return_if_fail (KOERS_IS_UNLOCK_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}
