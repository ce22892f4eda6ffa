/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-country-row"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-country-row.h"
#include "koers-labels.h"
#include "store/koers-country.h"

struct _KoersCountryRow
{
  AdwActionRow    parent_instance;

  GtkMenuButton  *button;
  GtkSearchEntry *search;
  GtkListBox     *list;
  char           *country;
};

enum { PROP_0, PROP_COUNTRY, N_PROPS };
enum { SIGNAL_CHOSEN, SIGNAL_COUNT };
static GParamSpec *properties[N_PROPS];
static guint signals[SIGNAL_COUNT];

G_DEFINE_FINAL_TYPE (KoersCountryRow, koers_country_row, ADW_TYPE_ACTION_ROW)

static void
show_country (KoersCountryRow *self)
{
  gtk_menu_button_set_label (self->button, self->country != NULL ? koers_label_country (self->country)
                                                                 : _("Choose…"));
}

void
koers_country_row_set_country (KoersCountryRow *self,
                               const char      *code)
{
  g_return_if_fail (KOERS_IS_COUNTRY_ROW (self));

  if (g_strcmp0 (self->country, code) == 0)
    return;
  g_free (self->country);
  self->country = g_strdup (code);
  show_country (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTRY]);
}

const char *
koers_country_row_get_country (KoersCountryRow *self)
{
  g_return_val_if_fail (KOERS_IS_COUNTRY_ROW (self), NULL);
  return self->country;
}

static void
clear_list (KoersCountryRow *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);
}

guint
koers_country_row_search (KoersCountryRow *self,
                          const char      *typed)
{
  g_auto(GStrv) codes = NULL;
  guint n;

  g_return_val_if_fail (KOERS_IS_COUNTRY_ROW (self), 0);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search)), typed) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search), typed); /* searches again */
  clear_list (self);
  codes = typed != NULL && *typed != '\0' ? koers_country_find (typed, koers_ui_language (), 0)
                                          : koers_country_list (koers_ui_language (), FALSE);
  n = codes != NULL ? g_strv_length (codes) : 0;
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *label = gtk_label_new (koers_label_country (codes[i]));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      g_object_set_data_full (G_OBJECT (label), "code", g_strdup (codes[i]), g_free);
      gtk_list_box_append (self->list, label);
      /* GTK 4.8 reads a list box row by nothing. */
      koers_a11y_name (gtk_widget_get_parent (label), koers_label_country (codes[i]));
    }
  return n;
}

static void
choose_row (KoersCountryRow *self,
            GtkListBoxRow   *row)
{
  const char *code = g_object_get_data (G_OBJECT (gtk_list_box_row_get_child (row)), "code");

  koers_country_row_set_country (self, code);
  gtk_menu_button_popdown (self->button);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0);
}

void
koers_country_row_choose_first (KoersCountryRow *self)
{
  GtkListBoxRow *first;

  g_return_if_fail (KOERS_IS_COUNTRY_ROW (self));

  first = gtk_list_box_get_row_at_index (self->list, 0);
  if (first != NULL)
    choose_row (self, first);
}

static void
on_search_changed (KoersCountryRow *self)
{
  koers_country_row_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search)));
}

/* Each time it opens: the whole list, typing narrows it. */
static void
on_popover_shown (KoersCountryRow *self)
{
  koers_country_row_search (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

static void
koers_country_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KoersCountryRow *self = KOERS_COUNTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_country_row_finalize (GObject *object)
{
  g_free (KOERS_COUNTRY_ROW (object)->country);
  G_OBJECT_CLASS (koers_country_row_parent_class)->finalize (object);
}

/* The field is named by the row's title for a screen reader (also when
 * the title comes from a template). */
static void
on_title (KoersCountryRow *self)
{
  koers_a11y_name (GTK_WIDGET (self->button), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
}

static void
koers_country_row_class_init (KoersCountryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = koers_country_row_get_property;
  object_class->finalize = koers_country_row_finalize;

  properties[PROP_COUNTRY] = g_param_spec_string ("country", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* A person chose a country in the list. */
  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_country_row_init (KoersCountryRow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Type the country’s name"), -1);
  g_object_set (self->search, "placeholder-text", _("Type the name"), NULL);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Countries"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_accessible_update_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Countries"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->button));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->button));
  show_country (self);

  g_signal_connect (self, "notify::title", G_CALLBACK (on_title), NULL);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search, "activate", G_CALLBACK (koers_country_row_choose_first), self);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (choose_row), self);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_popover_shown), self);
}

GtkWidget *
koers_country_row_new (const char *title)
{
  KoersCountryRow *self = g_object_new (KOERS_TYPE_COUNTRY_ROW, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  return GTK_WIDGET (self);
}
