/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-page.h: the client list in pages, for a list view that
 * fetches rows as they scroll into sight. Read-only queries over the
 * store's connection; the app's KoersClientList uses them. */
#pragma once

#include "koers-store.h"

G_BEGIN_DECLS

/* Clients with something open (a next step or return-plan step not done,
 * a check-in not held: what koers_store_list_due() lists) due by when,
 * from the store's today (koers_store_today()). */
typedef enum
{
  KOERS_DUE_ANY,        /* no condition */
  KOERS_DUE_OVERDUE,    /* due before today */
  KOERS_DUE_THIS_WEEK,  /* due by today + 6 days, overdue included */
} KoersDueFilter;

/* What the list shows; -1 / NULL / KOERS_DUE_ANY: any. */
typedef struct
{
  int             phase;         /* KoersPhase or -1 */
  int             outcome;       /* KoersOutcome or -1 */
  const char     *steunpunt_id;  /* or NULL */
  KoersDueFilter  due;
} KoersClientFilter;

#define KOERS_CLIENT_FILTER_ANY ((KoersClientFilter) { -1, -1, NULL, KOERS_DUE_ANY })

/* One row of the list: enough to draw it, no more. */
typedef struct
{
  char        *id;
  char        *name;
  KoersPhase   phase;
  KoersOutcome outcome;
  char        *country_of_origin;
  int          birth_year;
} KoersClientRow;

void koers_client_row_free (KoersClientRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersClientRow, koers_client_row_free)

/* How many clients match @filter. */
G_GNUC_WARN_UNUSED_RESULT
gboolean   koers_store_count_clients     (KoersStore              *self,
                                          const KoersClientFilter *filter,
                                          guint                   *n_clients,
                                          GError                 **error);
/* KoersClientRow *s of the clients matching @filter, by name, from
 * @offset, at most @limit. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray *koers_store_list_client_rows  (KoersStore              *self,
                                          const KoersClientFilter *filter,
                                          guint                    offset,
                                          guint                    limit,
                                          GError                 **error);
/* The rowids of the clients matching @filter, by name: a list keeps them
 * (8 bytes a client) and reads its rows a page at a time by rowid. */
G_GNUC_WARN_UNUSED_RESULT
GArray    *koers_store_list_client_keys  (KoersStore              *self,
                                          const KoersClientFilter *filter,
                                          GError                 **error);
/* KoersClientRow *s for @keys (rowids from koers_store_list_client_keys()),
 * in that order; a key whose client is gone gives a NULL element. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray *koers_store_get_client_rows   (KoersStore              *self,
                                          const gint64            *keys,
                                          guint                    n_keys,
                                          GError                 **error);
/* The row of one client (NULL if there is none, or it does not match
 * @filter, which may be NULL). */
G_GNUC_WARN_UNUSED_RESULT
KoersClientRow *koers_store_get_client_row (KoersStore              *self,
                                            const char              *client_id,
                                            const KoersClientFilter *filter,
                                            GError                 **error);

/* KoersClientRow *s of the clients that match what a person typed (as
 * koers_store_search(), names and notes, in its order) and pass @filter
 * (NULL: any), at most @limit (0: all). The filter applies before the
 * limit: a client that passes it is found however many others match. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray *koers_store_search_clients    (KoersStore              *self,
                                          const char              *typed,
                                          const KoersClientFilter *filter,
                                          guint                    limit,
                                          GError                 **error);

G_END_DECLS
