/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-referral-status"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-labels.h"
#include "koers-referral-status.h"

GtkWidget *
koers_referral_status_dropdown_new (KoersReferralStatus status,
                                    GCallback           on_chosen,
                                    gpointer            user_data)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  g_return_val_if_fail (on_chosen != NULL, NULL);

  for (KoersReferralStatus s = KOERS_REFERRAL_PROPOSED; s <= KOERS_REFERRAL_DECLINED; s++)
    gtk_string_list_append (statuses, koers_label_referral_status (s));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&statuses)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), status);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status of the referral"), -1);
  gtk_widget_set_tooltip_text (dropdown, _("Status of the referral"));
  koers_a11y_describe_choice (dropdown);
  g_signal_connect (dropdown, "notify::selected", on_chosen, user_data);
  return dropdown;
}
