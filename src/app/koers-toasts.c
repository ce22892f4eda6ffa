/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-toasts"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-toasts.h"

AdwToast *
koers_toast_show (GtkWidget  *widget,
                  const char *title)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return NULL;
  toast = adw_toast_new (title);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

AdwToast *
koers_toast_show_undo (GtkWidget      *widget,
                       const char     *title,
                       GCallback       undo,
                       gpointer        data,
                       GDestroyNotify  destroy)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (undo != NULL, NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      if (destroy != NULL)
        destroy (data);
      return NULL;
    }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  /* Long enough to read and reach with the keyboard; gone at once after Undo. */
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", undo, data, (GClosureNotify) (void (*) (void)) destroy, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

void
koers_show_read_error (AdwStatusPage *page,
                       GtkWidget     *content,
                       const char    *title,
                       const GError  *error)
{
  g_autofree char *description = NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  if (content != NULL)
    {
      gtk_widget_set_visible (content, error == NULL);
      gtk_widget_set_visible (GTK_WIDGET (page), error != NULL);
    }
  if (error == NULL)
    return;
  description = g_strdup_printf ("%s\n\n%s", error->message,
                                 _("Lock Koers and open it again. If this keeps happening, "
                                   "ask your coordinator for help."));
  adw_status_page_set_icon_name (page, "dialog-warning-symbolic");
  adw_status_page_set_title (page, title);
  adw_status_page_set_description (page, description);
  koers_a11y_name_status_pages (GTK_WIDGET (page));
}
