/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-conflict-banner"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-conflict-banner.h"
#include "koers-conflict-dialog.h"

struct _KoersConflictBanner
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *detail;
  GtkWidget  *button;

  KoersStore *store;
  GPtrArray  *conflicts;  /* KoersConflictItem * */
};

G_DEFINE_FINAL_TYPE (KoersConflictBanner, koers_conflict_banner, GTK_TYPE_WIDGET)

GtkWidget *
koers_conflict_banner_open_dialog (KoersConflictBanner *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICT_BANNER (self), NULL);

  if (self->store == NULL || self->conflicts == NULL || self->conflicts->len == 0)
    return NULL;
  return GTK_WIDGET (koers_conflict_dialog_open (GTK_WIDGET (self), self->store, self->conflicts));
}

void
koers_conflict_banner_set (KoersConflictBanner *self,
                           KoersStore          *store,
                           GPtrArray           *conflicts)
{
  g_autofree char *detail = NULL;
  guint n;

  g_return_if_fail (KOERS_IS_CONFLICT_BANNER (self));
  g_return_if_fail (store == NULL || KOERS_IS_STORE (store));

  g_set_object (&self->store, store);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  if (conflicts != NULL)
    self->conflicts = g_ptr_array_ref (conflicts);
  n = conflicts != NULL ? conflicts->len : 0;
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u field has two values. Koers kept both until you choose one.",
                                         "%u fields have two values. Koers kept both until you choose.", n),
                            n);
  gtk_label_set_label (self->detail, detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail, -1);
}

static void
koers_conflict_banner_dispose (GObject *object)
{
  KoersConflictBanner *self = KOERS_CONFLICT_BANNER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  G_OBJECT_CLASS (koers_conflict_banner_parent_class)->dispose (object);
}

static void
koers_conflict_banner_class_init (KoersConflictBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_conflict_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
wrapped_label (const char *text,
               const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, style);
  return label;
}

/* Not colour alone: an icon, a title in words, and the count. */
static void
koers_conflict_banner_init (KoersConflictBanner *self)
{
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  const char *title = _("Changed on two laptops");

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_margin_start (icon, 12);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), icon);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_margin_top (text, 12);
  gtk_widget_set_margin_bottom (text, 12);
  gtk_box_append (GTK_BOX (text), wrapped_label (title, "heading"));
  self->detail = GTK_LABEL (wrapped_label (NULL, "caption"));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->detail));
  gtk_box_append (GTK_BOX (self->box), text);
  self->button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (self->button, 12);
  gtk_box_append (GTK_BOX (self->box), self->button);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (koers_conflict_banner_open_dialog), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  koers_a11y_name_buttons (self->box);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
