/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-clients-page.h: the "Clients" tab: search as you type, filters for
 * phase, outcome, steunpunt and what is due, and the list of clients.
 * It navigates by the main view's actions: a row activates
 * "view.open-client" (s: the client's id), "New Client" "view.new-client". */
#pragma once

#include <gtk/gtk.h>

#include "koers-client-list.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CLIENTS_PAGE (koers_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersClientsPage, koers_clients_page, KOERS, CLIENTS_PAGE, GtkWidget)

/* NULL: drop the store and every row (before the vault locks). The list
 * reads keys and search hits with @reader (NULL with a NULL @store). */
void             koers_clients_page_set_store    (KoersClientsPage *self,
                                                  KoersStore       *store,
                                                  KoersStoreReader *reader);
KoersClientList *koers_clients_page_get_list     (KoersClientsPage *self);
void             koers_clients_page_focus_search (KoersClientsPage *self);
/* Reads the list again (a client was added or changed). */
void             koers_clients_page_refresh      (KoersClientsPage *self);

G_END_DECLS
