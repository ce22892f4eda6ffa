/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-office-feed.h: the end of a laptop's team sync (internal to
 * src/sync; koers_sync_pull_team() calls both after reading its
 * colleagues). docs/sync-format.md, "Office batch", "Read note", "Team
 * sync".
 *
 * koers_sync_pull_office_feed() reads the office's batches for this
 * steunpunt, <steunpunt>/office/, in chain order: verified with
 * koers_envelope_open() (signed by the office key of the enrollment,
 * sealed to the team key, the office's id in the header, the name, the
 * office folder's read state as the chain), then applied for good with
 * koers_store_peer_apply_office_batch() (erasures, the office's changes,
 * the read state: one transaction). A batch that fails a check is
 * quarantined with its reason and the next is looked at; a gap holds the
 * later ones.
 *
 * koers_sync_publish_read_note() writes <steunpunt>/<device>/read, this
 * device's signed note of how far it has read each device and the office
 * folder, when that changed since the last one it wrote. */
#pragma once

#include "koers-enrollment.h"
#include "koers-sync-round.h"
#include "koers-team-keys.h"

G_BEGIN_DECLS

/* The vault setting with the BLAKE2b of the last read note's entries. */
#define KOERS_SYNC_SETTING_READ_NOTE "team.read-note"

G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_pull_office_feed  (KoersStore            *store,
                                       KoersDavClient        *client,
                                       const KoersEnrollment *enrollment,
                                       const KoersTeamKeys   *keys,
                                       const KoersSyncKey    *team,
                                       KoersSyncRoundResult  *result,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_publish_read_note (KoersStore            *store,
                                       KoersDavClient        *client,
                                       const KoersEnrollment *enrollment,
                                       const KoersSyncKey    *device_key,
                                       const guint8          *device_id,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_END_DECLS
