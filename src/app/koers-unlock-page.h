/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-unlock-page.h: choose your name, type your passphrase. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KOERS_TYPE_UNLOCK_PAGE (koers_unlock_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersUnlockPage, koers_unlock_page, KOERS, UNLOCK_PAGE, GtkWidget)

/* Emits "unlock" when the person asks to open the vault; the window reads
 * the name and passphrase and does the work. */
void        koers_unlock_page_set_names      (KoersUnlockPage    *self,
                                              const char * const *names);
const char *koers_unlock_page_get_name       (KoersUnlockPage    *self);
const char *koers_unlock_page_get_passphrase (KoersUnlockPage    *self);

void        koers_unlock_page_set_busy       (KoersUnlockPage    *self,
                                              gboolean            busy);
/* Shows @message under the passphrase and gives the passphrase the focus
 * with its text selected, so the next attempt replaces it. */
void        koers_unlock_page_show_error     (KoersUnlockPage    *self,
                                              const char         *message);
void        koers_unlock_page_clear          (KoersUnlockPage    *self);
void        koers_unlock_page_focus          (KoersUnlockPage    *self);

G_END_DECLS
