/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sync-fixture.h: the parties of the sync format tests — an office, a
 * steunpunt with its team key, devices — and their batches. */
#pragma once

#include <glib.h>

#include "koers-envelope.h"
#include "koers-sync-keys.h"

G_BEGIN_DECLS

typedef struct
{
  KoersSyncKey      *office_seal;   /* X25519 */
  KoersSyncKey      *office_sign;   /* Ed25519 */
  KoersSyncKey      *team_seal;     /* X25519 */
  KoersSyncKey      *device;        /* Ed25519 */
  KoersSyncKey      *other_device;  /* Ed25519, of another steunpunt */
  guint8             steunpunt[KOERS_SYNC_ID_BYTES];
  guint8             other_steunpunt[KOERS_SYNC_ID_BYTES];
  guint8             device_id[KOERS_SYNC_ID_BYTES];
  guint8             other_device_id[KOERS_SYNC_ID_BYTES];
  KoersKnownDevices *devices;       /* both devices, each in its steunpunt */
} SyncFixture;

void        sync_fixture_set_up    (SyncFixture *f, gconstpointer data);
void        sync_fixture_tear_down (SyncFixture *f, gconstpointer data);

/* @n changes as JSON Lines with seqs from @first, in the change log's form,
 * with a note in several scripts. */
GBytes     *sync_fixture_jsonl     (guint64 first,
                                    guint   n);
/* The info of the device's batch @first..@first+@n-1 in @epoch after @prev
 * (NULL: the first batch). */
KoersBatchInfo sync_fixture_info   (SyncFixture  *f,
                                    guint32       epoch,
                                    guint64       first,
                                    guint         n,
                                    const guint8 *prev);
/* A sealed batch of @n changes, sealed to the office and the team. */
GBytes     *sync_fixture_seal      (SyncFixture          *f,
                                    const KoersBatchInfo *info);
/* Options that open as the office, with nothing else checked. */
KoersEnvelopeOpenOptions sync_fixture_office (SyncFixture *f);

G_END_DECLS
