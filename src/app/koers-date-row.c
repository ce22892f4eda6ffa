/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-date-row"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-date-row.h"
#include "koers-labels.h"
#include "store/koers-date.h"

struct _KoersDateRow
{
  AdwActionRow  parent_instance;

  GtkEntry     *entry;
  GtkMenuButton *calendar_button;
  GtkCalendar  *calendar;
  gboolean      failed;   /* the last read failed: say so until it reads */
  int           shown_month;   /* year * 12 + month the calendar shows */
};

enum { SIGNAL_ENTRY_ACTIVATED, SIGNAL_COUNT };
static guint signals[SIGNAL_COUNT];

G_DEFINE_FINAL_TYPE (KoersDateRow, koers_date_row, ADW_TYPE_ACTION_ROW)

/* What a Dutch person types: day first, with dashes. koers_date_parse
 * reads it back in either language. */
static char *
typed_form (const char *iso)
{
  GDate date;

  if (!koers_date_read_iso (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  return g_strdup_printf ("%02d-%02d-%04d", g_date_get_day (&date), g_date_get_month (&date),
                          g_date_get_year (&date));
}

void
koers_date_row_set_message (KoersDateRow *self,
                            const char   *message)
{
  g_autofree char *read_as = NULL;

  g_return_if_fail (KOERS_IS_DATE_ROW (self));

  if (message == NULL)
    {
      g_autofree char *iso = koers_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), NULL);

      /* How the date was read: 10-12 is December here, not October. */
      read_as = koers_label_date (iso);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), message != NULL ? message : read_as != NULL ? read_as : "");
  koers_a11y_tell_error (GTK_WIDGET (self->entry), message);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
    }
}

void
koers_date_row_set_date (KoersDateRow *self,
                         const char   *iso)
{
  g_autofree char *text = typed_form (iso);

  g_return_if_fail (KOERS_IS_DATE_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  self->failed = FALSE;
  koers_date_row_set_message (self, NULL);
}

/* What is typed, read; the row says why when it cannot be read. */
static gboolean
read_date (KoersDateRow  *self,
           char         **iso,
           GError       **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  g_autoptr(GError) local_error = NULL;
  char *date;

  *iso = NULL;
  if (*text == '\0')
    {
      self->failed = FALSE;
      koers_date_row_set_message (self, NULL);
      return TRUE;
    }
  date = koers_date_parse (text, &local_error);
  self->failed = date == NULL;
  koers_date_row_set_message (self, date == NULL ? local_error->message : NULL);
  if (date == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *iso = date;
  return TRUE;
}

gboolean
koers_date_row_read (KoersDateRow  *self,
                     char         **iso,
                     GError       **error)
{
  g_return_val_if_fail (KOERS_IS_DATE_ROW (self), FALSE);
  g_return_val_if_fail (iso != NULL, FALSE);

  if (read_date (self, iso, error))
    return TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  return FALSE;
}

GtkEditable *
koers_date_row_get_editable (KoersDateRow *self)
{
  g_return_val_if_fail (KOERS_IS_DATE_ROW (self), NULL);
  return GTK_EDITABLE (self->entry);
}

/* While typing: how the date reads once it can be read; a message that
 * was shown stays until the date reads (no nagging half-way). */
static void
on_changed (KoersDateRow *self)
{
  g_autofree char *iso = koers_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), NULL);

  if (iso != NULL || !self->failed)
    {
      self->failed = FALSE;
      koers_date_row_set_message (self, NULL);
    }
}

/* Leaving the field says at once when it cannot be read. */
static void
on_focus_leave (KoersDateRow *self)
{
  g_autofree char *iso = NULL;

  if (!read_date (self, &iso, NULL))
    return; /* the row says why; the keyboard may go on */
}

static void
on_activate (KoersDateRow *self)
{
  g_signal_emit (self, signals[SIGNAL_ENTRY_ACTIVATED], 0);
}

static void
on_day_selected (KoersDateRow *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *iso = g_date_time_format (day, "%Y-%m-%d");

  int month = g_date_time_get_year (day) * 12 + g_date_time_get_month (day);

  koers_date_row_set_date (self, iso);
  /* A day clicked in the month shown closes the calendar; the arrows to
   * another month (which select a day there too) keep it open. */
  if (month == self->shown_month)
    {
      gtk_menu_button_popdown (self->calendar_button);
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
    }
  self->shown_month = month;
}

/* The calendar opens on the date typed (or today). */
static void
on_calendar_shown (KoersDateRow *self)
{
  g_autofree char *iso = koers_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->entry)), NULL);
  GDate date;
  g_autoptr(GDateTime) day = NULL;

  if (koers_date_read_iso (iso, &date))
    day = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
                                 12, 0, 0);
  else
    day = g_date_time_new_now_local ();
  self->shown_month = g_date_time_get_year (day) * 12 + g_date_time_get_month (day);
  g_signal_handlers_block_by_func (self->calendar, on_day_selected, self);
  gtk_calendar_select_day (self->calendar, day);
  g_signal_handlers_unblock_by_func (self->calendar, on_day_selected, self);
}

static void
koers_date_row_class_init (KoersDateRowClass *klass)
{
  /* Enter in the field (a form adds its step with it). */
  signals[SIGNAL_ENTRY_ACTIVATED] = g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_date_row_init (KoersDateRow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->entry), GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 10);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 12);
  gtk_entry_set_placeholder_text (self->entry, _("dd-mm-yyyy"));
  gtk_entry_set_input_hints (self->entry, GTK_INPUT_HINT_NO_SPELLCHECK);

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  self->calendar_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->calendar_button, "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (self->calendar_button, popover);
  gtk_widget_set_valign (GTK_WIDGET (self->calendar_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->calendar_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->calendar_button), _("Choose in a calendar"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->calendar_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose in a calendar"), -1);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->entry));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->calendar_button));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->entry));

  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (on_calendar_shown), self);
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (on_day_selected), self);
}

GtkWidget *
koers_date_row_new (const char *title)
{
  KoersDateRow *self = g_object_new (KOERS_TYPE_DATE_ROW, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  return GTK_WIDGET (self);
}
