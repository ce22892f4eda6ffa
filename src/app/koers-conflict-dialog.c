/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-conflict-dialog"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-ask.h"
#include "koers-conflict-dialog.h"
#include "koers-conflict-view.h"
#include "koers-toasts.h"

struct _KoersConflictDialog
{
  AdwWindow   parent_instance;

  GtkWidget  *page;         /* AdwPreferencesPage: a group per conflict */
  GtkLabel   *error_label;
  GtkWidget  *from;         /* weak: where the toast goes */

  KoersStore *store;
  GPtrArray  *items;        /* KoersConflictItem *, shared with the banner */
  guint       n_open;
};

G_DEFINE_FINAL_TYPE (KoersConflictDialog, koers_conflict_dialog, ADW_TYPE_WINDOW)

/* What a "Keep This" button resolves. */
typedef struct
{
  gint64     id;
  char      *stamp;
  GtkWidget *group;
} Choice;

static void
choice_free (gpointer data, GClosure *closure)
{
  Choice *choice = data;

  g_free (choice->stamp);
  g_free (choice);
}

static void
on_keep (GtkButton *button,
         Choice    *choice)
{
  KoersConflictDialog *self = KOERS_CONFLICT_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));
  g_autoptr(GError) error = NULL;

  if (!koers_store_resolve_conflict (self->store, choice->id, choice->stamp, &error))
    {
      /* Resolved meanwhile (here or by a colleague's choice): the message says so. */
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (choice->group));
  if (--self->n_open > 0)
    return;
  if (self->from != NULL)
    koers_toast_show (self->from, _("Saved. The other laptops take your choice at their next sync."));
  gtk_window_destroy (GTK_WINDOW (self));
}

static GtkWidget *
caption (const char *text,
         const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, style);
  return label;
}

/* One value: what it says, who set it where and when, and its button. */
static GtkWidget *
choice_card (const KoersConflictItem   *item,
             const KoersConflictChoice *c,
             GtkWidget                 *group)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *value = caption (c->value, "title-4");
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Keep This"));
  /* Translators: who changed a value and on which laptop: "Fatima · another laptop". */
  g_autofree char *by = g_strdup_printf (_("%s · %s"), c->who, c->where);
  /* Translators: a value, who set it, on which laptop and when, for a screen reader. */
  g_autofree char *description = g_strdup_printf (_("%s, set by %s on %s, %s"), c->value, c->who, c->where,
                                                  c->when);
  Choice *choice = g_new0 (Choice, 1);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_hexpand (card, TRUE);
  gtk_widget_set_margin_top (value, 12);
  gtk_box_append (GTK_BOX (card), value);
  gtk_box_append (GTK_BOX (card), caption (by, "dim-label"));
  gtk_box_append (GTK_BOX (card), caption (c->when, "dim-label"));
  if (c->shown)
    gtk_box_append (GTK_BOX (card), caption (_("The file shows this one until you choose."), "caption"));
  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 12);
      gtk_widget_set_margin_end (child, 12);
    }
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_set_margin_bottom (button, 12);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_valign (button, GTK_ALIGN_END);
  gtk_widget_set_vexpand (button, TRUE);
  gtk_widget_set_margin_start (button, 12);
  gtk_widget_set_margin_end (button, 12);
  gtk_widget_add_css_class (button, "pill");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_box_append (GTK_BOX (card), button);
  choice->id = item->id;
  choice->stamp = g_strdup (c->stamp);
  choice->group = group;
  g_signal_connect_data (button, "clicked", G_CALLBACK (on_keep), choice, choice_free, 0);
  return card;
}

static GtkWidget *
conflict_group (const KoersConflictItem *item)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *values = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), item->title);
  gtk_box_set_homogeneous (GTK_BOX (values), TRUE);
  for (guint i = 0; i < item->choices->len; i++)
    gtk_box_append (GTK_BOX (values), choice_card (item, item->choices->pdata[i], group));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), values);
  return group;
}

static GtkWidget *
header_bar (void)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new (_("Changed on Two Laptops"), NULL);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  return header;
}

static void
build (KoersConflictDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *intro = adw_preferences_group_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Changed on Two Laptops"));
  self->page = adw_preferences_page_new ();
  /* Not shown: the name of its scrolled window for a screen reader. */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self->page), _("Changed on Two Laptops"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (intro),
    _("These fields were changed on two laptops before they synced. Koers kept both values. "
      "Choose the one that is right: the other laptops take your choice at their next sync."));
  self->error_label = GTK_LABEL (caption ("", "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (intro), GTK_WIDGET (self->error_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (intro));
  for (guint i = 0; i < self->items->len; i++)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                              ADW_PREFERENCES_GROUP (conflict_group (self->items->pdata[i])));
  self->n_open = self->items->len;
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (GTK_BOX (box), header_bar ());
  gtk_box_append (GTK_BOX (box), self->page);
  adw_window_set_content (ADW_WINDOW (self), box);
  koers_a11y_name_buttons (box);
  koers_a11y_name_preferences (box);
}

static void
koers_conflict_dialog_dispose (GObject *object)
{
  KoersConflictDialog *self = KOERS_CONFLICT_DIALOG (object);

  if (self->from != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->from), (gpointer *) &self->from);
  self->from = NULL;
  g_clear_object (&self->store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (koers_conflict_dialog_parent_class)->dispose (object);
}

static void
koers_conflict_dialog_class_init (KoersConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_conflict_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
koers_conflict_dialog_init (KoersConflictDialog *self)
{
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 560);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

KoersConflictDialog *
koers_conflict_dialog_open (GtkWidget  *from,
                            KoersStore *store,
                            GPtrArray  *items)
{
  KoersConflictDialog *self;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  self = g_object_new (KOERS_TYPE_CONFLICT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->items = g_ptr_array_ref (items);
  self->from = from;
  g_object_add_weak_pointer (G_OBJECT (from), (gpointer *) &self->from);
  build (self);
  koers_present_over (GTK_WINDOW (self), from);
  return self;
}

guint
koers_conflict_dialog_get_n_open (KoersConflictDialog *self)
{
  g_return_val_if_fail (KOERS_IS_CONFLICT_DIALOG (self), 0);
  return self->n_open;
}
