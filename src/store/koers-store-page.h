/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-page.h: the client list in pages, for a list view that
 * fetches rows as they scroll into sight. Read-only queries over the
 * store's connection; the app's KoersClientList uses them. */
#pragma once

#include "koers-store.h"

G_BEGIN_DECLS

/* What the list shows; -1 / NULL: any. */
typedef struct
{
  int         phase;         /* KoersPhase or -1 */
  int         outcome;       /* KoersOutcome or -1 */
  const char *steunpunt_id;  /* or NULL */
} KoersClientFilter;

#define KOERS_CLIENT_FILTER_ANY ((KoersClientFilter) { -1, -1, NULL })

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
/* The row of one client (NULL if there is none, or it does not match
 * @filter, which may be NULL). */
G_GNUC_WARN_UNUSED_RESULT
KoersClientRow *koers_store_get_client_row (KoersStore              *self,
                                            const char              *client_id,
                                            const KoersClientFilter *filter,
                                            GError                 **error);

G_END_DECLS
