/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-status.h: the sync place in the main view's header bar.
 *
 * A compact button ("12 changes not sent", "Offline", "Synced 10:42")
 * with a popover that explains: changes not sent, the last sync, whether
 * this laptop is online. It counts the store's change log after the last
 * sent sequence, again after every commit and on network changes. It
 * shows counts and times only, never client data.
 *
 * The sync code (to come) calls set_last_sync() and set_sent_seq() after
 * a batch is acknowledged, and refresh() when it wants a new count. */
#pragma once

#include <gio/gio.h>
#include <gtk/gtk.h>

#include "store/koers-store.h"
#include "sync/koers-sync-engine.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SYNC_STATUS (koers_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncStatus, koers_sync_status, KOERS, SYNC_STATUS, GtkWidget)

/* @monitor NULL: g_network_monitor_get_default() (tests pass their own). */
KoersSyncStatus *koers_sync_status_new          (KoersStore      *store,
                                                 GNetworkMonitor *monitor);
/* NULL while the vault is locked: the button then shows nothing. */
void             koers_sync_status_set_store    (KoersSyncStatus *self,
                                                 KoersStore      *store);
/* When the office last acknowledged a batch (NULL: never). */
void             koers_sync_status_set_last_sync (KoersSyncStatus *self,
                                                  GDateTime       *last_sync);
/* The last change-log sequence the office has (0: none). */
void             koers_sync_status_set_sent_seq (KoersSyncStatus *self,
                                                 gint64           seq);
void             koers_sync_status_refresh      (KoersSyncStatus *self);
/* Whether sync with the office is set up (FALSE at first): until it is,
 * the button says everything stays on this laptop and counts nothing. */
void             koers_sync_status_set_configured (KoersSyncStatus *self,
                                                   gboolean         configured);
/* The session's engine (NULL: not set up). The button then shows its
 * state: sending with a progress bar, a problem in words with what to
 * do, and "Sync Now" in the popover. */
void             koers_sync_status_set_engine   (KoersSyncStatus *self,
                                                 KoersSyncEngine *engine);

/* What the button says, and the count behind it (-1: unknown). */
const char      *koers_sync_status_get_text     (KoersSyncStatus *self);
gint64           koers_sync_status_get_pending  (KoersSyncStatus *self);
/* Open conflicts in clients' files, as the popover counts them (-1: not
 * counted); its row opens the file of the oldest. */
gint64           koers_sync_status_get_conflicts (KoersSyncStatus *self);

G_END_DECLS
