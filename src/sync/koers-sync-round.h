/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-round.h: enrollment on the laptop, one sync round, and the
 * office's acknowledgement onto the drop.
 *
 * API overview
 *   koers_sync_enroll()     imports an enrollment file into the vault
 *                           (settings "enrollment" and "device-key"; never
 *                           GSettings or a file) and makes the device's
 *                           Ed25519 key there the first time.
 *   koers_sync_run_round()  one round (BLOCKS: a worker thread with its own
 *                           store, or koers-cli): remove leftover temporary
 *                           files, read the office's ack (verify, apply,
 *                           restore check), cut the change log into sealed
 *                           batches (≤ KOERS_SYNC_BATCH_CAP bytes each),
 *                           upload them in order, write once, read the
 *                           ack again, then read the other devices of the
 *                           steunpunt (team sync, koers-sync-pull.h), and
 *                           record the round's result in the store.
 *                           KoersSyncEngine runs it; koers-cli sync too.
 *   koers_sync_write_ack()  the office's side: writes a signed ack for a
 *                           device onto the drop (tests call it now).
 *
 * A failed round returns the error that stopped it: KOERS_DAV_ERROR
 * (koers_dav_error_is_retryable() tells "try later" from "tell a
 * person"), KOERS_SYNC_ERROR, KOERS_STORE_ERROR, G_IO_ERROR_CANCELLED.
 */
#pragma once

#include <gio/gio.h>

#include "koers-ack.h"
#include "koers-dav-client.h"
#include "koers-store.h"

G_BEGIN_DECLS

#define KOERS_SYNC_ERROR (koers_sync_error_quark ())

typedef enum
{
  KOERS_SYNC_ERROR_NOT_ENROLLED,  /* no enrollment in this vault */
  KOERS_SYNC_ERROR_SETTINGS,      /* the stored enrollment or key is damaged */
} KoersSyncError;

GQuark koers_sync_error_quark (void);

/* A sealed batch is at most this large (a poor mobile link uploads it in
 * well under a minute); only a single change larger than that comes alone. */
#define KOERS_SYNC_BATCH_CAP (256 * 1024)

/* Setting keys in the vault (koers_store_sync_get_setting()). */
#define KOERS_SYNC_SETTING_ENROLLMENT "enrollment"
#define KOERS_SYNC_SETTING_DEVICE_KEY "device-key"

/* Imports @file: it is checked whole first (koers_enrollment_parse(),
 * against the office key of an earlier enrollment if there is one: a file
 * of another office is "foreign"); a bad file changes nothing. Re-enrolling
 * replaces the settings and keeps the device's key (the office knows it).
 * @device_id: this device's id (UUID); @public_key: its Ed25519 public key
 * in base64 — both for the office to register. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_enroll      (KoersStore   *store,
                                 GBytes       *file,
                                 char        **device_id,
                                 char        **public_key,
                                 GError      **error);

gboolean koers_sync_is_enrolled (KoersStore   *store);

/* Called from the round's thread: @done of @total batches uploaded, and
 * the bytes of the current upload. */
typedef void (*KoersSyncProgressFunc) (guint    done,
                                       guint    total,
                                       guint64  bytes_done,
                                       guint64  bytes_total,
                                       gpointer user_data);

/* What came in from one colleague's laptop in a round (issue 12: the
 * app's "3 new conversations from …"). Fixed size, so the round's result
 * stays a plain struct on the stack. */
#define KOERS_SYNC_MAX_ARRIVALS 8

typedef struct
{
  char  device_id[40];   /* the laptop (UUID); "" in the last slot: more laptops than slots */
  char  worker_id[40];   /* who made the last change merged from it ("": not known) */
  guint changes;         /* changes new to this vault */
  guint inserted[KOERS_N_ENTITIES];  /* of them, new records by kind */
} KoersSyncArrival;

/* Adds a merged batch's @stats of @device_id to @arrivals (*@n_arrivals
 * of KOERS_SYNC_MAX_ARRIVALS used). */
void koers_sync_arrivals_add (KoersSyncArrival      *arrivals,
                              guint                 *n_arrivals,
                              const char            *device_id,
                              const KoersMergeStats *stats);

typedef struct
{
  guint n_cut;           /* batches sealed this round */
  guint n_uploaded;      /* uploaded this round */
  guint n_quarantined;   /* held back this round, with a reason */
  guint n_acknowledged;  /* acknowledged by the office's ack this round */
  gboolean new_epoch;    /* a restored vault began a new epoch */
  gboolean bogus_ack;    /* an ack that did not verify was ignored */
  /* team sync: the other devices' batches read (koers-sync-pull.h) */
  guint n_read;              /* colleagues' batches merged this round */
  guint n_read_changes;      /* their changes new to this vault */
  guint n_held;              /* waiting for an earlier batch of their device */
  guint n_peer_quarantined;  /* refused this round, with a reason */
  gboolean team_waiting;     /* no usable device list yet, or this laptop not in it */
  gboolean bogus_device_list; /* a device list that did not verify was ignored */
  /* the office's batches to the steunpunt (koers-sync-office-feed.h) */
  guint n_office_read;       /* the office's batches applied this round */
  guint n_erased;            /* files erased by the office's decision */
  guint n_arrivals;          /* laptops that brought new changes this round */
  KoersSyncArrival arrivals[KOERS_SYNC_MAX_ARRIVALS];
} KoersSyncRoundResult;

/* Test builds only (KOERS_SYNC_CRASH_AT=N in the environment): the
 * process dies at the N-th crash point of its rounds (or of the office's
 * pull, src/office/koers-office-pull.c). */
void     koers_sync_crash_point (void);

/* One round on @store (owned by the calling thread). Records the result
 * in the store (koers_store_sync_record_round()) except when cancelled.
 * @client: NULL makes one from the enrollment; tests pass one with short
 * timeouts. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_run_round   (KoersStore            *store,
                                 KoersDavClient        *client,
                                 KoersSyncProgressFunc  progress,
                                 gpointer               user_data,
                                 KoersSyncRoundResult  *result,
                                 GCancellable          *cancellable,
                                 GError               **error);

/* The client for the enrolled drop. */
G_GNUC_WARN_UNUSED_RESULT
KoersDavClient *koers_sync_make_client (KoersStore  *store,
                                        GError     **error);

/* The office: writes @ack (signed with @office_key, Ed25519 with its
 * secret) to <steunpunt>/<device>/ack on the drop of @client. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_sync_write_ack   (KoersDavClient     *client,
                                 const KoersAck     *ack,
                                 const KoersSyncKey *office_key,
                                 GCancellable       *cancellable,
                                 GError            **error);

G_END_DECLS
