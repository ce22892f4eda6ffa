/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-ack.h: the office's acknowledgement of a device's batches
 * (docs/sync-format.md, "Acknowledgement").
 *
 * API overview
 *   Office, after the import of a device's batches has committed:
 *     KoersAck ack = { steunpunt, device, { epoch, last_seq, hash }, now_ms };
 *     GBytes *file = koers_ack_write (&ack, office_sign_key);
 *     → PUT to <drop>/<steunpunt>/<device>/ack
 *   Laptop, each round:
 *     if (koers_ack_read (file, enrolled_office_sign_public, my_steunpunt,
 *                         my_device, &ack, &error)
 *         && koers_ack_names_batch (&ack, &kept_info, kept_hash))
 *       forget the batches up to that one (the outbox looks up its batch
 *       with ack.acked's epoch and last sequence); an ack naming a batch
 *       the outbox never sent: warn and change nothing.
 */
#pragma once

#include <glib.h>

#include "koers-envelope.h"
#include "koers-sync-keys.h"

G_BEGIN_DECLS

#define KOERS_ACK_ERROR (koers_ack_error_quark ())

typedef enum
{
  KOERS_ACK_ERROR_SIZE,       /* not the size of an acknowledgement */
  KOERS_ACK_ERROR_FORMAT,     /* not an acknowledgement, another version */
  KOERS_ACK_ERROR_SIGNATURE,  /* not signed by the office */
  KOERS_ACK_ERROR_DEVICE,     /* for another device or steunpunt */
} KoersAckError;

GQuark koers_ack_error_quark (void);

#define KOERS_ACK_BYTES 158

typedef struct
{
  guint8          steunpunt_id[KOERS_SYNC_ID_BYTES];
  guint8          device_id[KOERS_SYNC_ID_BYTES];
  KoersChainState acked;   /* the last batch of the contiguous run imported */
  gint64          at_ms;   /* when the office committed the import (Unix ms) */
} KoersAck;

/* The signed acknowledgement (KOERS_ACK_BYTES). @office_key: Ed25519 with
 * its secret. */
GBytes  *koers_ack_write (const KoersAck     *ack,
                          const KoersSyncKey *office_key);

/* Verifies @file against the office's Ed25519 public key and, when not
 * NULL, the expected steunpunt and device; fills @ack only on success. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_ack_read  (GBytes        *file,
                          const guint8  *office_sign_public,
                          const guint8  *steunpunt_id,
                          const guint8  *device_id,
                          KoersAck      *ack,
                          GError       **error);

/* TRUE if @ack acknowledges exactly the batch @info whose file hashes to
 * @hash: the same steunpunt, device, epoch, last sequence and hash. */
gboolean koers_ack_names_batch (const KoersAck       *ack,
                                const KoersBatchInfo *info,
                                const guint8         *hash);

G_END_DECLS
