/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-setup-page.h: the first-run form that creates a vault. */
#pragma once

#include <gtk/gtk.h>

/* KoersRole: the store's roles. */
#include "store/koers-records.h"

G_BEGIN_DECLS


#define KOERS_TYPE_SETUP_PAGE (koers_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersSetupPage, koers_setup_page, KOERS, SETUP_PAGE, GtkWidget)

/* The page emits "create" when the form is complete and the person asks
 * for the vault; the window reads the fields and does the work. */
const char *koers_setup_page_get_steunpunt  (KoersSetupPage *self);
const char *koers_setup_page_get_name       (KoersSetupPage *self);
const char *koers_setup_page_get_passphrase (KoersSetupPage *self);

void        koers_setup_page_set_busy       (KoersSetupPage *self,
                                             gboolean        busy);
void        koers_setup_page_show_error     (KoersSetupPage *self,
                                             const char     *message);
void        koers_setup_page_clear          (KoersSetupPage *self);
void        koers_setup_page_focus          (KoersSetupPage *self);

G_END_DECLS
