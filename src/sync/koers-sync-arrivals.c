/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-arrivals.c: the round's summary of what came in from each
 * colleague's laptop (koers-sync-round.h, KoersSyncArrival), added up
 * from the merge's counts of each batch the pull merged. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <string.h>

#include "koers-sync-round.h"

/* The slot of @device_id: its own, a new one, or — past the last slot —
 * the last, which then stands for "more laptops" (device ""). */
static KoersSyncArrival *
slot_of (KoersSyncArrival *arrivals,
         guint            *n_arrivals,
         const char       *device_id)
{
  KoersSyncArrival *slot;

  for (guint i = 0; i < *n_arrivals; i++)
    if (strcmp (arrivals[i].device_id, device_id) == 0)
      return &arrivals[i];
  if (*n_arrivals == KOERS_SYNC_MAX_ARRIVALS)
    {
      slot = &arrivals[KOERS_SYNC_MAX_ARRIVALS - 1];
      slot->device_id[0] = '\0';
      return slot;
    }
  slot = &arrivals[(*n_arrivals)++];
  memset (slot, 0, sizeof *slot);
  g_strlcpy (slot->device_id, device_id, sizeof slot->device_id);
  return slot;
}

void
koers_sync_arrivals_add (KoersSyncArrival      *arrivals,
                         guint                 *n_arrivals,
                         const char            *device_id,
                         const KoersMergeStats *stats)
{
  KoersSyncArrival *slot;

  g_return_if_fail (arrivals != NULL && n_arrivals != NULL && device_id != NULL && stats != NULL);

  /* A batch of changes this vault had already brings nothing new. */
  if (stats->applied == 0)
    return;
  slot = slot_of (arrivals, n_arrivals, device_id);
  slot->changes += stats->applied;
  for (guint kind = 0; kind < KOERS_N_ENTITIES; kind++)
    slot->inserted[kind] += stats->inserted[kind];
  if (stats->last_worker_id[0] != '\0')
    g_strlcpy (slot->worker_id, stats->last_worker_id, sizeof slot->worker_id);
}
