/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-checkin-dialog"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-ask.h"
#include "koers-checkin-dialog.h"
#include "koers-date-row.h"
#include "koers-labels.h"
#include "koers-toasts.h"

/* The answers a person can give, in button order. */
static const KoersAnswer answers[] = { KOERS_ANSWER_YES, KOERS_ANSWER_NO, KOERS_ANSWER_NOT_KNOWN };

struct _KoersCheckinDialog
{
  AdwWindow       parent_instance;

  KoersDateRow   *date_row;
  GtkToggleButton *social[G_N_ELEMENTS (answers)];
  GtkToggleButton *economic[G_N_ELEMENTS (answers)];
  GtkTextView    *notes_view;
  GtkLabel       *error_label;
  GtkWidget      *save_button;

  KoersStore     *store;
  char           *checkin_id;
};

G_DEFINE_FINAL_TYPE (KoersCheckinDialog, koers_checkin_dialog, ADW_TYPE_WINDOW)

static KoersAnswer
chosen (GtkToggleButton **buttons)
{
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    if (gtk_toggle_button_get_active (buttons[i]))
      return answers[i];
  return KOERS_ANSWER_UNKNOWN;
}

/* Both indicators must be answered: "not known" is an answer, nothing is not. */
static void
update_save (KoersCheckinDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.save",
                                 chosen (self->social) != KOERS_ANSWER_UNKNOWN &&
                                 chosen (self->economic) != KOERS_ANSWER_UNKNOWN);
}

void
koers_checkin_dialog_choose (KoersCheckinDialog *self,
                             gboolean            social,
                             KoersAnswer         answer)
{
  GtkToggleButton **buttons;

  g_return_if_fail (KOERS_IS_CHECKIN_DIALOG (self));

  buttons = social ? self->social : self->economic;
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    if (answers[i] == answer)
      gtk_toggle_button_set_active (buttons[i], TRUE);
}

static void
show_error (KoersCheckinDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

gboolean
koers_checkin_dialog_save (KoersCheckinDialog  *self,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *held_on = NULL;
  g_autofree char *notes = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (KOERS_IS_CHECKIN_DIALOG (self), FALSE);

  if (!koers_date_row_read (self->date_row, &held_on, error))
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (!koers_store_record_checkin (self->store, self->checkin_id, held_on, chosen (self->social),
                                   chosen (self->economic), *notes != '\0' ? notes : NULL, &local_error))
    {
      show_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  if (!koers_checkin_dialog_save (KOERS_CHECKIN_DIALOG (widget), NULL))
    return; /* the dialog says why */
}

GtkEditable *
koers_checkin_dialog_get_date_editable (KoersCheckinDialog *self)
{
  g_return_val_if_fail (KOERS_IS_CHECKIN_DIALOG (self), NULL);
  return koers_date_row_get_editable (self->date_row);
}

/* A row with the question and three linked buttons, one of which may be
 * down (none: not recorded yet). */
static GtkWidget *
answer_row (KoersCheckinDialog *self,
            const char         *title,
            const char         *question,
            GtkToggleButton   **buttons,
            KoersAnswer         answer)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), question);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s: %s", title, koers_label_answer (answers[i]));

      buttons[i] = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (koers_label_answer (answers[i])));
      if (i > 0)
        gtk_toggle_button_set_group (buttons[i], buttons[0]);
      gtk_toggle_button_set_active (buttons[i], answers[i] == answer);
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_signal_connect_swapped (buttons[i], "toggled", G_CALLBACK (update_save), self);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (buttons[i]));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  return row;
}

static GtkWidget *
header_bar (KoersCheckinDialog *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "checkin.save");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  koers_a11y_name_buttons (header);  /* "Cancel", not "_Cancel Cancel" */
  return header;
}

static GtkWidget *
notes_frame (KoersCheckinDialog *self)
{
  GtkWidget *frame = gtk_frame_new (NULL);

  self->notes_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->notes_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->notes_view, 8);
  gtk_text_view_set_bottom_margin (self->notes_view, 8);
  gtk_text_view_set_left_margin (self->notes_view, 8);
  gtk_text_view_set_right_margin (self->notes_view, 8);
  gtk_widget_set_size_request (GTK_WIDGET (self->notes_view), -1, 100);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->notes_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Notes"), -1);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->notes_view));
  return frame;
}

/* The form for @checkin. */
static void
build (KoersCheckinDialog *self,
       const KoersCheckin *checkin)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *notes_group = adw_preferences_group_new ();
  g_autofree char *title = koers_label_checkin (checkin->month);
  g_autofree char *today = koers_store_today (self->store);

  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Not shown: the name of its scrolled window for a screen reader. */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), title);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  self->date_row = KOERS_DATE_ROW (koers_date_row_new (_("Held on")));
  koers_date_row_set_date (self->date_row, checkin->held_on != NULL ? checkin->held_on : today);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->date_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             answer_row (self, _("Social contacts"), _("Does the client have people to rely on?"),
                                         self->social, checkin->social_contacts));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             answer_row (self, _("Economic activity"), _("Does the client have work or an income?"),
                                         self->economic, checkin->economic_activity));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (notes_group), _("Notes"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (notes_group), notes_frame (self));
  if (checkin->notes != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), checkin->notes, -1);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (notes_group), GTK_WIDGET (self->error_label));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (notes_group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header_bar (self));
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
  koers_a11y_name_preferences (box);
  update_save (self);
}

static void
koers_checkin_dialog_finalize (GObject *object)
{
  KoersCheckinDialog *self = KOERS_CHECKIN_DIALOG (object);

  g_clear_object (&self->store);
  g_free (self->checkin_id);
  G_OBJECT_CLASS (koers_checkin_dialog_parent_class)->finalize (object);
}

static void
koers_checkin_dialog_class_init (KoersCheckinDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = koers_checkin_dialog_finalize;
  gtk_widget_class_install_action (widget_class, "checkin.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "checkin.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
koers_checkin_dialog_init (KoersCheckinDialog *self)
{
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 560);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

KoersCheckinDialog *
koers_checkin_dialog_open (GtkWidget  *from,
                           KoersStore *store,
                           const char *checkin_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCheckin) checkin = NULL;
  KoersCheckinDialog *self;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (checkin_id != NULL, NULL);

  checkin = koers_store_get_checkin (store, checkin_id, &error);
  if (checkin == NULL)
    {
      koers_toast_show (from, g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND)
                              ? _("This check-in is no longer in the plan.") : error->message);
      return NULL;
    }
  self = g_object_new (KOERS_TYPE_CHECKIN_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->checkin_id = g_strdup (checkin_id);
  build (self, checkin);
  koers_present_over (GTK_WINDOW (self), from);
  return self;
}
