/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-ask"

#include "koers-ask.h"

AdwMessageDialog *
koers_ask (GtkWindow             *parent,
           const char            *heading,
           const char            *body,
           const char            *safe_id,
           const char            *safe_label,
           const char            *act_id,
           const char            *act_label,
           AdwResponseAppearance  appearance,
           gboolean               act_is_default)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));

  adw_message_dialog_add_responses (dialog, safe_id, safe_label, act_id, act_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, act_id, appearance);
  adw_message_dialog_set_default_response (dialog, act_is_default ? act_id : safe_id);
  adw_message_dialog_set_close_response (dialog, safe_id);
  return dialog;
}

void
koers_present_over (GtkWindow *dialog,
                    GtkWidget *from)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WINDOW (dialog));
  g_return_if_fail (GTK_IS_WIDGET (from));

  g_signal_connect_object (from, "destroy", G_CALLBACK (gtk_window_destroy), dialog, G_CONNECT_SWAPPED);
  root = gtk_widget_get_root (from);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (dialog, GTK_WINDOW (root));
  gtk_window_present (dialog);
}
