/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-client-list.h: a GListModel of KoersClientItems fed by the store in
 * pages. Browsing, it reads the clients' row keys in name order once (8
 * bytes a client) and fetches a page of rows by key only when a row of it
 * is asked for (a list view asks for what scrolls into sight);
 * with search text it holds the store's search hits (any script,
 * diacritics ignored) that pass the filter. With each page of rows (and
 * with the hits) it asks the reader, in one query, whether those clients'
 * changes have reached the office (KoersClientItem's "delivery").
 *
 * The key list and the search hits are read by a KoersStoreReader off the
 * main thread: while "loading", the list keeps its previous rows, and a
 * newer search or filter drops an older one's results unseen. */
#pragma once

#include <gio/gio.h>

#include "koers-store-reader.h"
#include "store/koers-store-page.h"

G_BEGIN_DECLS

#define KOERS_CLIENT_LIST_PAGE_SIZE 50
/* Search hits shown at most. */
#define KOERS_CLIENT_LIST_MAX_HITS 200

#define KOERS_TYPE_CLIENT_LIST (koers_client_list_get_type ())
G_DECLARE_FINAL_TYPE (KoersClientList, koers_client_list, KOERS, CLIENT_LIST, GObject)

/* Pages of rows come from @store, key lists and hits from @reader. */
KoersClientList *koers_client_list_new              (KoersStore       *store,
                                                     KoersStoreReader *reader);

/* Drops the store, the reader, any read under way and every row (before
 * the vault locks). */
void             koers_client_list_close            (KoersClientList *self);

/* NULL or blank: browse every client by name. */
void             koers_client_list_set_search       (KoersClientList *self,
                                                     const char      *typed);
const char      *koers_client_list_get_search       (KoersClientList *self);
void             koers_client_list_set_filter       (KoersClientList         *self,
                                                     const KoersClientFilter *filter);
/* Reads the count (or the hits) again, e.g. after a client was added. */
void             koers_client_list_refresh          (KoersClientList *self);
/* Reads again whether the clients of the rows read so far have reached
 * the office (their items' "delivery"): a query per page of rows, on the
 * reader's thread. The list reads it by itself for each page it reads. */
void             koers_client_list_refresh_delivery (KoersClientList *self);
/* TRUE from a new search, filter or refresh until its rows are in. */
gboolean         koers_client_list_is_loading       (KoersClientList *self);

/* Pages of rows read from the store since the last refresh (tests). */
guint            koers_client_list_get_n_fetched_pages (KoersClientList *self);
/* The last error reading the store (NULL: none). */
const GError    *koers_client_list_get_error        (KoersClientList *self);

G_END_DECLS
