/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-envelope.h: a batch of changes, sealed for the office and the team,
 * signed by its device, chained to the device's previous batch. The byte
 * layout, the checks and the test vectors: docs/sync-format.md.
 *
 * API overview
 *   Laptop (outbox → seal → upload):
 *     KoersBatchInfo info = { steunpunt, device, epoch, first, last, prev_hash };
 *     GBytes *file = koers_envelope_seal (&info, jsonl, device_key,
 *                                         recipients, 2, &error);
 *     koers_sync_hash (file) is the next batch's prev_hash, and what an
 *     acknowledgement names; koers_envelope_file_name (&info) its name
 *     on the drop. The same bytes are kept and re-sent until acknowledged.
 *   Office (download → open → merge → ack):
 *     KoersEnvelopeOpenOptions opts = { .recipient = office_seal_key,
 *       .devices = known, .steunpunt_id = folder, .name = file_name,
 *       .chain = &last_accepted };
 *     KoersBatch *batch = koers_envelope_open (file, &opts, &error);
 *     error->code names the first check that failed (KoersEnvelopeError);
 *     the chain codes tell hold (GAP) from skip (DUPLICATE) from a person's
 *     problem (FORK). After the merge commits: koers_chain_advance().
 *   Team sync (later) opens with .recipient = the team key.
 */
#pragma once

#include <glib.h>

#include "koers-sync-keys.h"

G_BEGIN_DECLS

#define KOERS_ENVELOPE_ERROR (koers_envelope_error_quark ())

/* In the order the reader checks. */
typedef enum
{
  KOERS_ENVELOPE_ERROR_SIZE,            /* too large, too short, too many recipients */
  KOERS_ENVELOPE_ERROR_FORMAT,          /* not a batch, another version, bad fields */
  KOERS_ENVELOPE_ERROR_SIGNATURE,       /* unknown device, or the signature does not verify */
  KOERS_ENVELOPE_ERROR_STEUNPUNT,       /* signed by a device of another steunpunt */
  KOERS_ENVELOPE_ERROR_RECIPIENT,       /* not sealed to our key */
  KOERS_ENVELOPE_ERROR_KEY_COMMITMENT,  /* the file key does not match its commitment */
  KOERS_ENVELOPE_ERROR_NAME,            /* stored under another name than its contents */
  KOERS_ENVELOPE_ERROR_CHAIN_GAP,       /* earlier batches are missing: hold it */
  KOERS_ENVELOPE_ERROR_CHAIN_DUPLICATE, /* already accepted, the same bytes: skip it */
  KOERS_ENVELOPE_ERROR_CHAIN_STALE,     /* older than the last accepted: compare with its hash */
  KOERS_ENVELOPE_ERROR_CHAIN_FORK,      /* another history for the same changes: a person */
  KOERS_ENVELOPE_ERROR_DECRYPT,         /* a chunk does not authenticate, is missing or extra */
  KOERS_ENVELOPE_ERROR_DECOMPRESS,      /* not deflate, or larger than the cap */
  KOERS_ENVELOPE_ERROR_JSON,            /* a line is not a change, or out of the range */
  KOERS_ENVELOPE_ERROR_INVALID,         /* sealing: arguments that make no batch */
} KoersEnvelopeError;

GQuark koers_envelope_error_quark (void);

/* A short code for @error, for quarantine lists ("signature", "fork",
 * ...; "unreadable" for an error of another domain). */
const char *koers_envelope_error_code (const GError *error);

/* Caps: the reader never holds more than this (docs/sync-format.md). */
#define KOERS_ENVELOPE_MAX_FILE        (16 * 1024 * 1024)
#define KOERS_ENVELOPE_MAX_PLAIN       (64 * 1024 * 1024)
#define KOERS_ENVELOPE_MAX_RECIPIENTS  8
#define KOERS_ENVELOPE_CHUNK           65536
#define KOERS_ENVELOPE_MIN_PADDED      4096

/* What the clear header says about a batch. */
typedef struct
{
  guint8  steunpunt_id[KOERS_SYNC_ID_BYTES];
  guint8  device_id[KOERS_SYNC_ID_BYTES];
  guint32 epoch;                      /* ≥ 1; a new one after a restore */
  guint64 first_seq;                  /* the change-log range, ≥ 1 */
  guint64 last_seq;
  guint8  prev_hash[KOERS_SYNC_HASH_BYTES]; /* the device's previous batch; zeros for its first */
} KoersBatchInfo;

/* An opened batch. */
typedef struct
{
  KoersBatchInfo info;
  guint8         hash[KOERS_SYNC_HASH_BYTES];  /* of the whole file */
  GBytes        *jsonl;                        /* the changes, one JSON object a line */
  guint          n_changes;
} KoersBatch;

void koers_batch_free (KoersBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersBatch, koers_batch_free)

/* Seals @jsonl (one JSON object a line, each with its "seq" from
 * info->first_seq to info->last_seq ascending) for each of @recipients
 * (X25519 public keys) and signs it with @device_key (Ed25519, with its
 * secret). Returns the file, or NULL with KOERS_ENVELOPE_ERROR_INVALID. */
G_GNUC_WARN_UNUSED_RESULT
GBytes *koers_envelope_seal (const KoersBatchInfo      *info,
                             GBytes                    *jsonl,
                             const KoersSyncKey        *device_key,
                             const KoersSyncKey *const *recipients,
                             guint                      n_recipients,
                             GError                   **error);

/* The last batch accepted from a device: all zeros when none was. */
typedef struct
{
  guint32 epoch;
  guint64 last_seq;
  guint8  hash[KOERS_SYNC_HASH_BYTES];
} KoersChainState;

typedef struct
{
  const KoersSyncKey      *recipient;     /* X25519 with its secret: the office's or the team's */
  const KoersKnownDevices *devices;       /* whose signatures count */
  const guint8            *steunpunt_id;  /* the folder it came from; NULL: not checked */
  const char              *name;          /* its name there; NULL: not checked */
  const KoersChainState   *chain;         /* last accepted from its device; NULL: not checked */
  gsize                    max_file;      /* 0: KOERS_ENVELOPE_MAX_FILE (never more) */
  gsize                    max_plain;     /* 0: KOERS_ENVELOPE_MAX_PLAIN (never more) */
} KoersEnvelopeOpenOptions;

/* Verifies @file in the documented order and returns its changes, or NULL
 * with a KOERS_ENVELOPE_ERROR whose code is the first check that failed. */
G_GNUC_WARN_UNUSED_RESULT
KoersBatch *koers_envelope_open (GBytes                         *file,
                                 const KoersEnvelopeOpenOptions *options,
                                 GError                        **error);

/* Chain rules --------------------------------------------------------------- */

typedef enum
{
  KOERS_CHAIN_NEXT,       /* continues the chain: import it */
  KOERS_CHAIN_GAP,        /* something is missing before it: hold it */
  KOERS_CHAIN_DUPLICATE,  /* the last accepted batch again */
  KOERS_CHAIN_STALE,      /* older than the last accepted: compare with the hash kept for it */
  KOERS_CHAIN_FORK,       /* the same sequence numbers with other contents */
} KoersChainVerdict;

KoersChainVerdict koers_chain_check   (const KoersChainState *accepted,
                                       const KoersBatchInfo  *info,
                                       const guint8          *hash);
void              koers_chain_advance (KoersChainState       *accepted,
                                       const KoersBatchInfo  *info,
                                       const guint8          *hash);

/* Names on the drop ---------------------------------------------------------- */

/* "EEEEEEEE-FFFFFFFFFFFFFFFF-LLLLLLLLLLLLLLLL.batch" in lower-case hex:
 * epoch, first and last sequence; sorts in chain order. */
char     *koers_envelope_file_name       (const KoersBatchInfo *info);
gboolean  koers_envelope_parse_file_name (const char           *name,
                                          guint32              *epoch,
                                          guint64              *first_seq,
                                          guint64              *last_seq);

/* The padded size of @len bytes of compressed payload (Padmé buckets,
 * at least KOERS_ENVELOPE_MIN_PADDED). */
gsize     koers_envelope_padded_size     (gsize len);

G_END_DECLS
