/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-pull.h: team sync's pull, the second half of a round
 * (internal to src/sync; koers_sync_run_round() calls it after the
 * upload). docs/sync-format.md, "Team sync".
 *
 * Reads the office's device list <steunpunt>/devices (verified against
 * the enrolled office key, never older than the one kept in the vault;
 * fetched by koers_sync_refresh_team() before the round's cut, so new
 * batches are sealed to the newest team key), checks that it lists this
 * device, opens each batch with the team key generation it names (the
 * vault's ring, koers-team-keys.h), lists this device's
 * own steunpunt folder only, and reads every other device's batches it
 * has not read yet, in chain order: verify (koers_envelope_open() with
 * the team key and the listed devices), merge and remember how far
 * (koers_store_peer_merge_batch(), one transaction per batch). A gap
 * holds that device's later batches; a duplicate is skipped; a batch that
 * fails a check is quarantined (koers_store_peer_quarantine()) and the
 * others go on. */
#pragma once

#include "koers-enrollment.h"
#include "koers-sync-round.h"

G_BEGIN_DECLS

/* The vault setting that keeps the last device list accepted. */
#define KOERS_SYNC_SETTING_DEVICE_LIST "team.device-list"

/* Before the round cuts its batches: GET <steunpunt>/devices, keep it when
 * it verifies and is newer than the kept one, and keep the team key it
 * seals to this device in the vault's ring (koers-team-keys.h) with its
 * generation. koers_sync_pull_team() then reads with the kept list. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_refresh_team (KoersStore            *store,
                                  KoersDavClient        *client,
                                  const KoersEnrollment *enrollment,
                                  const KoersSyncKey    *device_key,
                                  const guint8          *device_id,
                                  KoersSyncRoundResult  *result,
                                  GCancellable          *cancellable,
                                  GError               **error);

G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_pull_team (KoersStore            *store,
                               KoersDavClient        *client,
                               const KoersEnrollment *enrollment,
                               const KoersSyncKey    *device_key,
                               const guint8          *device_id,
                               KoersSyncRoundResult  *result,
                               GCancellable          *cancellable,
                               GError               **error);

G_END_DECLS
