/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-toasts.h: toasts in the window's AdwToastOverlay from any widget
 * inside it (plain functions, no class). A toast names no client: it says
 * what happened, never to whom. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows @title in the toast overlay @widget is in. Returns the toast
 * (owned by the overlay), or NULL when @widget is in none. */
AdwToast *koers_toast_show      (GtkWidget  *widget,
                                 const char *title);
/* The same with an "Undo" button: @undo runs when it is pressed, and
 * @destroy frees @data when the toast is gone, pressed or not. Without an
 * overlay @data is freed at once and there is no undo. */
AdwToast *koers_toast_show_undo (GtkWidget      *widget,
                                 const char     *title,
                                 GCallback       undo,
                                 gpointer        data,
                                 GDestroyNotify  destroy);

/* A read failed: @page (an AdwStatusPage in place of @content) shows
 * @title, what happened (@error's message: the store and the vault name no
 * client) and what to do. NULL @error: @content is shown again. NULL
 * @content: the caller shows @page. */
void      koers_show_read_error (AdwStatusPage *page,
                                 GtkWidget     *content,
                                 const char    *title,
                                 const GError  *error);

G_END_DECLS
