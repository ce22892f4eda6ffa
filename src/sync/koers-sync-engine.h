/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-engine.h: runs sync rounds on a worker thread and tells the
 * main loop how it goes.
 *
 * The engine owns a second connection to the vault (its own KoersStore:
 * the store is not thread-safe), used only by the round running on the
 * worker thread (koers_sync_run_round(), one at a time, with a WebDAV
 * client made from the enrollment for each round: a new enrollment counts
 * from the next round). Everything a widget binds to is a property, changed and notified
 * on the main context the engine was made on:
 *
 *   state                   KoersSyncState (below)
 *   fraction                0..1 while UPLOADING (batches done and the
 *                           current upload's bytes), else 0
 *   busy                    a round runs (a spinner; "Sync Now" greyed out)
 *   last-success            Unix ms of the last successful round (0: never)
 *   error-message           the last round's error in words with what to
 *                           do (NULL after a success); names nobody
 *   unsent-changes          changes not yet in a batch (after a round
 *                           that uploaded everything: made since)
 *   unacknowledged-changes  changes the office has not acknowledged yet
 *   uploaded-batches        on the drop, not yet acknowledged
 *   quarantined-batches     held back for a person (reasons: the store's
 *                           koers_store_sync_list_batches (QUARANTINED))
 *
 * and one signal, "round-finished" (gboolean ok), after every round.
 *
 * When: koers_sync_engine_start() runs a round now, on GNetworkMonitor
 * going online, and every few minutes while online; after a failure that
 * is worth retrying (offline, a busy server) again after a backoff with
 * jitter (no limit); after one a person must fix (wrong password, a
 * certificate, a full drop) not until "Sync Now" or the network changes.
 * koers_sync_engine_shutdown() before the vault is locked (and on quit).
 */
#pragma once

#include <gio/gio.h>

#include "koers-sync-round.h"
#include "koers-vault.h"

G_BEGIN_DECLS

typedef enum
{
  KOERS_SYNC_STATE_NOT_ENROLLED, /* no enrollment: sync is off */
  KOERS_SYNC_STATE_IDLE,         /* enrolled, no round yet */
  KOERS_SYNC_STATE_OFFLINE,      /* no network or the drop is unreachable: normal, retried */
  KOERS_SYNC_STATE_UPLOADING,    /* a round runs; see fraction */
  KOERS_SYNC_STATE_SYNCED,       /* the last round uploaded everything (at last-success) */
  KOERS_SYNC_STATE_ERROR,        /* a person must act: see error-message */
} KoersSyncState;

GType koers_sync_state_get_type (void) G_GNUC_CONST;
#define KOERS_TYPE_SYNC_STATE (koers_sync_state_get_type ())

#define KOERS_TYPE_SYNC_ENGINE (koers_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncEngine, koers_sync_engine, KOERS, SYNC_ENGINE, GObject)

/* @vault: unlocked; the engine opens its own connection on the worker. */
KoersSyncEngine *koers_sync_engine_new            (KoersVault      *vault);

/* Begins: a round now, then the triggers above. */
void             koers_sync_engine_start          (KoersSyncEngine *self);
/* "Sync Now": a round at once (or right after the running one). */
void             koers_sync_engine_sync_now       (KoersSyncEngine *self);

/* Tests: the timer's interval and the first backoff (milliseconds). */
void             koers_sync_engine_set_intervals  (KoersSyncEngine *self,
                                                   guint            timer_ms,
                                                   guint            backoff_base_ms);

/* Quit: one short round (if enrolled and none runs), waiting at most
 * @timeout_ms on the main context, then cancels what still runs (a
 * transfer stops within about a second), closes the engine's vault
 * connection and stops every trigger. TRUE when the round completed. */
gboolean         koers_sync_engine_shutdown       (KoersSyncEngine *self,
                                                   guint            timeout_ms);

KoersSyncState   koers_sync_engine_get_state      (KoersSyncEngine *self);
double           koers_sync_engine_get_fraction   (KoersSyncEngine *self);
gboolean         koers_sync_engine_get_busy       (KoersSyncEngine *self);
gint64           koers_sync_engine_get_last_success (KoersSyncEngine *self);
const char      *koers_sync_engine_get_error_message (KoersSyncEngine *self);
/* What came in from colleagues' laptops in the last round, if it went
 * well (KoersSyncArrival, koers-sync-round.h): read it in "round-finished". */
const KoersSyncArrival *koers_sync_engine_get_arrivals (KoersSyncEngine *self,
                                                        guint           *n_arrivals);

G_END_DECLS
