/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-backup-group.h: "Make a Backup" in Preferences: an encrypted copy
 * of the vault into a new folder inside one the coordinator picks (a USB
 * stick), made in a worker thread with a progress bar. */
#pragma once

#include <adwaita.h>

#include "vault/koers-vault.h"

G_BEGIN_DECLS

#define KOERS_TYPE_BACKUP_GROUP (koers_backup_group_get_type ())
G_DECLARE_FINAL_TYPE (KoersBackupGroup, koers_backup_group, KOERS, BACKUP_GROUP, AdwPreferencesGroup)

/* @vault must be unlocked. */
KoersBackupGroup *koers_backup_group_new        (KoersVault       *vault);

/* Makes the backup in a new folder ("Koers backup DATE TIME") inside
 * @folder, as after choosing @folder in the file chooser. */
void              koers_backup_group_back_up_to (KoersBackupGroup *self,
                                                 const char       *folder);

/* Whether a backup is being written (tests wait on it). */
gboolean          koers_backup_group_is_busy    (KoersBackupGroup *self);

/* The folder of the last backup made, or NULL. */
const char       *koers_backup_group_get_last   (KoersBackupGroup *self);

G_END_DECLS
