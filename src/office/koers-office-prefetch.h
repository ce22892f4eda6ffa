/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-prefetch.h: the pull's batch files fetched ahead of the
 * merge by a thread of its own (internal to koers-office-pull.c).
 *
 * The pull plans every file it will ask for, in order, then starts the
 * thread, which GETs them over a connection of its own into a bounded
 * queue while the pull verifies and merges the ones before. The pull
 * still takes them one at a time in its own order: what is merged, when it
 * commits and when an ack is written do not change, only the wait for the
 * network goes. A file the pull asks for that was not planned (or whose
 * device was held back) is fetched then, on the pull's own client.
 *
 *   g_autoptr(KoersOfficePrefetch) ahead = koers_office_prefetch_new (drop, cancellable, &error);
 *   koers_office_prefetch_plan (ahead, "sp/dev/name", group);  ... for each
 *   koers_office_prefetch_start (ahead);
 *   file = koers_office_prefetch_get (ahead, "sp/dev/name", &error);
 *   koers_office_prefetch_skip_group (ahead, group);  (its later files are not needed)
 *   the free stops the thread (cancels a GET under way) and joins it.
 */
#pragma once

#include "koers-dav-client.h"

G_BEGIN_DECLS

typedef struct _KoersOfficePrefetch KoersOfficePrefetch;

G_GNUC_WARN_UNUSED_RESULT
KoersOfficePrefetch *koers_office_prefetch_new        (KoersDavClient      *drop,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
void                 koers_office_prefetch_plan       (KoersOfficePrefetch *self,
                                                       const char          *path,
                                                       gconstpointer        group);
void                 koers_office_prefetch_start      (KoersOfficePrefetch *self);
/* The file at @path (at most KOERS_ENVELOPE_MAX_FILE bytes), or NULL with
 * the error of its GET. */
G_GNUC_WARN_UNUSED_RESULT
GBytes              *koers_office_prefetch_get        (KoersOfficePrefetch *self,
                                                       const char          *path,
                                                       GError             **error);
void                 koers_office_prefetch_skip_group (KoersOfficePrefetch *self,
                                                       gconstpointer        group);
void                 koers_office_prefetch_free       (KoersOfficePrefetch *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOfficePrefetch, koers_office_prefetch_free)

G_END_DECLS
