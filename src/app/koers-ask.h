/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-ask.h: one question with two answers, as an AdwMessageDialog. The
 * safe answer is what Escape and closing give; @act_id is the other one,
 * shown with @appearance and the default only when @act_is_default. The
 * caller connects "response" and presents the dialog. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *koers_ask (GtkWindow             *parent,
                             const char            *heading,
                             const char            *body,
                             const char            *safe_id,
                             const char            *safe_label,
                             const char            *act_id,
                             const char            *act_label,
                             AdwResponseAppearance  appearance,
                             gboolean               act_is_default);

/* Presents @dialog over the window of @from and destroys it with @from:
 * locking drops the pages (and the store), so a dialog that holds the
 * store goes with the page that opened it. */
void              koers_present_over (GtkWindow *dialog,
                                      GtkWidget *from);

G_END_DECLS
