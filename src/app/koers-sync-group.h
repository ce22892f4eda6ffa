/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-group.h: "Sync" in Preferences, for a coordinator: import
 * the enrollment file the office made (checked and stored in the vault on
 * a worker thread), then show this laptop's device id and public key to
 * give the office, or the one-line reason a bad file was refused (it
 * changes nothing); and the batches held back, with their reasons. */
#pragma once

#include <adwaita.h>

#include "session/koers-session.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SYNC_GROUP (koers_sync_group_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncGroup, koers_sync_group, KOERS, SYNC_GROUP, AdwPreferencesGroup)

/* @session must be open. */
KoersSyncGroup *koers_sync_group_new            (KoersSession   *session);
/* Imports @file, as after choosing it in the file chooser. */
void            koers_sync_group_import         (KoersSyncGroup *self,
                                                 GFile          *file);
/* Whether an import runs (tests wait on it). */
gboolean        koers_sync_group_is_busy        (KoersSyncGroup *self);
/* After a good import: the device id shown (else NULL); after a bad one:
 * the reason shown (else NULL). */
const char     *koers_sync_group_get_device_id  (KoersSyncGroup *self);
const char     *koers_sync_group_get_error      (KoersSyncGroup *self);
/* How many held-back batches are listed. */
guint           koers_sync_group_get_n_quarantined (KoersSyncGroup *self);

G_END_DECLS
