/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-setup-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-secret-entry.h"
#include "koers-passphrase.h"
#include "koers-setup-page.h"

struct _KoersSetupPage
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  AdwEntryRow *steunpunt_row;
  AdwEntryRow *name_row;
  KoersSecretEntry *passphrase_row;
  KoersSecretEntry *repeat_row;
  GtkLevelBar *strength_bar;
  GtkLabel    *strength_label;
  GtkLabel    *match_label;
  GtkLabel    *error_label;
  GtkSpinner  *spinner;
  GtkWidget   *create_button;

  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (KoersSetupPage, koers_setup_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_CREATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
row_is_blank (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (row_text (row)));

  return *text == '\0';
}

/* The repeat is wrong once it is no longer the start of the passphrase:
 * while the person is still typing it we say nothing. */
static gboolean
repeat_mismatch_visible (KoersSetupPage *self)
{
  const char *passphrase = koers_secret_entry_get_text (self->passphrase_row);
  const char *repeat = koers_secret_entry_get_text (self->repeat_row);

  if (*repeat == '\0')
    return FALSE;
  return !g_str_has_prefix (passphrase, repeat);
}

static void
update_strength (KoersSetupPage          *self,
                 KoersPassphraseStrength  strength)
{
  GtkWidget *label = GTK_WIDGET (self->strength_label);

  gtk_level_bar_set_value (self->strength_bar, strength);
  gtk_label_set_label (self->strength_label, koers_passphrase_hint (strength));

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "dim-label");
  if (strength == KOERS_PASSPHRASE_EMPTY)
    gtk_widget_add_css_class (label, "dim-label");
  else if (strength == KOERS_PASSPHRASE_TOO_SHORT || strength == KOERS_PASSPHRASE_WEAK)
    gtk_widget_add_css_class (label, "error");
  else if (strength == KOERS_PASSPHRASE_FAIR)
    gtk_widget_add_css_class (label, "warning");
  else
    gtk_widget_add_css_class (label, "success");
}

static gboolean
form_is_complete (KoersSetupPage          *self,
                  KoersPassphraseStrength  strength)
{
  return !row_is_blank (self->steunpunt_row)
         && !row_is_blank (self->name_row)
         && koers_passphrase_is_acceptable (strength)
         && g_strcmp0 (koers_secret_entry_get_text (self->passphrase_row), koers_secret_entry_get_text (self->repeat_row)) == 0;
}

static void
update_form (KoersSetupPage *self)
{
  KoersPassphraseStrength strength = koers_passphrase_strength (koers_secret_entry_get_text (self->passphrase_row));
  gboolean mismatch = repeat_mismatch_visible (self);

  update_strength (self, strength);
  gtk_widget_set_visible (GTK_WIDGET (self->match_label), mismatch);
  koers_a11y_tell (GTK_WIDGET (self->repeat_row), mismatch ? gtk_label_get_text (self->match_label) : NULL);
  if (mismatch)
    gtk_widget_add_css_class (GTK_WIDGET (self->repeat_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->repeat_row), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create",
                                 !self->busy && form_is_complete (self, strength));
}

static void
on_field_changed (KoersSetupPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_form (self);
}

static void
on_steunpunt_activated (KoersSetupPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_name_activated (KoersSetupPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
on_passphrase_activated (KoersSetupPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
}

static void
on_repeat_activated (KoersSetupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.create", NULL);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersSetupPage *self = KOERS_SETUP_PAGE (widget);

  if (self->busy)
    return;
  g_signal_emit (self, signals[SIGNAL_CREATE], 0);
}

static void
koers_setup_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_SETUP_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (koers_setup_page_parent_class)->dispose (object);
}

static void
koers_setup_page_class_init (KoersSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_setup_page_dispose;

  signals[SIGNAL_CREATE] = g_signal_new ("create", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (KOERS_TYPE_SECRET_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, scroller);
  /* For koers_a11y_name_page (), which finds it by name. */
  gtk_widget_class_bind_template_child_full (widget_class, "title_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, steunpunt_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, strength_bar);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, strength_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, match_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KoersSetupPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_steunpunt_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_repeat_activated);

  gtk_widget_class_install_action (widget_class, "setup.create", NULL, create_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_setup_page_init (KoersSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name_page (GTK_WIDGET (self), KOERS_TYPE_SETUP_PAGE);
  update_form (self);
}

const char *
koers_setup_page_get_steunpunt (KoersSetupPage *self)
{
  g_return_val_if_fail (KOERS_IS_SETUP_PAGE (self), NULL);

  return row_text (self->steunpunt_row);
}

const char *
koers_setup_page_get_name (KoersSetupPage *self)
{
  g_return_val_if_fail (KOERS_IS_SETUP_PAGE (self), NULL);

  return row_text (self->name_row);
}

const char *
koers_setup_page_get_passphrase (KoersSetupPage *self)
{
  g_return_val_if_fail (KOERS_IS_SETUP_PAGE (self), NULL);

  return koers_secret_entry_get_text (self->passphrase_row);
}

void
koers_setup_page_set_busy (KoersSetupPage *self,
                           gboolean        busy)
{
  g_return_if_fail (KOERS_IS_SETUP_PAGE (self));

  /* Fields become read-only rather than insensitive: the focus stays
   * where it was (GTK 4.8 loses track of a focused text that turns
   * insensitive). */
  self->busy = !!busy;
  gtk_editable_set_editable (GTK_EDITABLE (self->steunpunt_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), !busy);
  koers_secret_entry_set_editable (self->passphrase_row, !busy);
  koers_secret_entry_set_editable (self->repeat_row, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_form (self);
}

void
koers_setup_page_show_error (KoersSetupPage *self,
                             const char     *message)
{
  g_return_if_fail (KOERS_IS_SETUP_PAGE (self));

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
koers_setup_page_clear (KoersSetupPage *self)
{
  g_return_if_fail (KOERS_IS_SETUP_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->steunpunt_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  koers_secret_entry_clear (self->passphrase_row);
  koers_secret_entry_clear (self->repeat_row);
  koers_setup_page_show_error (self, NULL);
  update_form (self);
}

void
koers_setup_page_focus (KoersSetupPage *self)
{
  g_return_if_fail (KOERS_IS_SETUP_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->steunpunt_row));
}
