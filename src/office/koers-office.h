/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office.h: the national office's side of sync (issue 11, DESIGN §9).
 *
 * Overview
 *   The office keeps everything in its own vault (the same encrypted vault
 *   and KoersStore as a laptop). KoersOffice is given that unlocked store
 *   and adds:
 *     keys      the office's X25519 sealing key and Ed25519 signing key,
 *               and one X25519 team key per steunpunt: their seeds live in
 *               the store's sync settings (never outside the vault):
 *                 "office.seal-seed", "office.sign-seed",
 *                 "office.team-seed.<steunpunt-uuid>"
 *     tables    made by koers_office_new() through the store's private API
 *               (CREATE TABLE IF NOT EXISTS, no store migration):
 *       office_steunpunt (id TEXT PK uuid, name TEXT UNIQUE, team_public BLOB,
 *                         team_generation INT, created_ms INT)
 *       office_device    (id TEXT PK uuid, steunpunt_id TEXT, name TEXT,
 *                         sign_public BLOB, registered_ms INT,
 *                         revoked_ms INT (0: active), revoked_after_seq INT,
 *                         revoked_epoch INT,
 *                         chain_epoch INT, chain_last_seq INT, chain_hash BLOB
 *                           (last batch imported: KoersChainState),
 *                         acked_epoch INT, acked_seq INT (last ack on the drop),
 *                         last_batch TEXT, last_seen_ms INT, pending INT
 *                           (batches seen on the drop, not yet imported))
 *       office_batch     (device_id, name, steunpunt_id, epoch, first_seq,
 *                         last_seq, hash BLOB, n_changes, imported_ms,
 *                         deleted_ms INT (0: still on the drop);
 *                         PK (device_id, name)): every batch imported.
 *       office_change    (device_id, epoch, seq, change TEXT; PK (device_id,
 *                         epoch, seq)): the changes as received, beside
 *                         the case records they were merged into.
 *       office_quarantine(id INTEGER PK, steunpunt TEXT, device TEXT, name
 *                         TEXT, reason_code TEXT, reason TEXT, file BLOB,
 *                         hash BLOB, at_ms INT, dropped INT; UNIQUE (steunpunt, device,
 *                         name, hash)): batches held for a person.
 *     Reports (office-reports) read the merged case model through the
 *     store's public API, and office_steunpunt / office_device for names.
 *
 *   The drop: <drop>/<steunpunt-uuid>/<device-uuid>/<batch name> and the
 *   office's <drop>/<steunpunt-uuid>/<device-uuid>/ack.
 *
 * Pull (koers_office_pull): per device, in chain order: GET, verify
 * (koers_envelope_open against the registered devices), merge + record in
 * one transaction, and only after the commit PUT the signed ack. A batch
 * after a missing one is held (not quarantined); one that fails a check is
 * quarantined with its reason and the others go on.
 */
#pragma once

#include <gio/gio.h>

#include "koers-dav-client.h"
#include "koers-store.h"
#include "koers-sync-keys.h"

G_BEGIN_DECLS

#define KOERS_OFFICE_ERROR (koers_office_error_quark ())

typedef enum
{
  KOERS_OFFICE_ERROR_NOT_INITIALISED, /* `koers-office init` has not run */
  KOERS_OFFICE_ERROR_EXISTS,          /* already there (init, a name taken) */
  KOERS_OFFICE_ERROR_NOT_FOUND,       /* no such steunpunt, device, quarantine entry */
  KOERS_OFFICE_ERROR_INVALID,         /* an argument that makes no sense */
} KoersOfficeError;

GQuark koers_office_error_quark (void);

#define KOERS_TYPE_OFFICE (koers_office_get_type ())
G_DECLARE_FINAL_TYPE (KoersOffice, koers_office, KOERS, OFFICE, GObject)

/* Takes @store (kept; its vault must stay unlocked) and makes the office
 * tables when missing. */
G_GNUC_WARN_UNUSED_RESULT
KoersOffice   *koers_office_new              (KoersStore   *store,
                                              GError      **error);
KoersStore    *koers_office_get_store        (KoersOffice  *self);

/* Makes the office's two key pairs; fails with EXISTS when it has them. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_init_keys        (KoersOffice  *self,
                                              GError      **error);
/* The office's keys, with their secrets (free them). */
G_GNUC_WARN_UNUSED_RESULT
KoersSyncKey  *koers_office_get_key          (KoersOffice      *self,
                                              KoersSyncKeyKind  kind,
                                              GError          **error);

/* Steunpunten ------------------------------------------------------------ */

/* A new steunpunt with its team key pair; returns its id (uuid). */
G_GNUC_WARN_UNUSED_RESULT
char          *koers_office_add_steunpunt    (KoersOffice  *self,
                                              const char   *name,
                                              GError      **error);
/* The id of the steunpunt named (or with the id) @name_or_id. */
G_GNUC_WARN_UNUSED_RESULT
char          *koers_office_find_steunpunt   (KoersOffice  *self,
                                              const char   *name_or_id,
                                              GError      **error);

typedef struct
{
  const char *steunpunt;      /* name or id */
  const char *device_name;
  const char *drop_url;
  const char *drop_user;
  const char *drop_password;
  GBytes     *ca_pem;         /* or NULL */
  const char *pin;            /* "sha256//BASE64" or NULL */
} KoersOfficeEnrollRequest;

/* The signed enrollment file for a laptop of the steunpunt. */
G_GNUC_WARN_UNUSED_RESULT
GBytes        *koers_office_enroll           (KoersOffice                    *self,
                                              const KoersOfficeEnrollRequest *request,
                                              GError                        **error);

/* Devices ---------------------------------------------------------------- */

/* Registers the device @device_id (uuid) with its Ed25519 public key in
 * base64 (both as `koers-cli enroll` prints them) or hex. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_register_device  (KoersOffice  *self,
                                              const char   *steunpunt,
                                              const char   *device_id,
                                              const char   *sign_public_hex,
                                              const char   *name,
                                              GError      **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_rename_device    (KoersOffice  *self,
                                              const char   *device_id,
                                              const char   *name,
                                              GError      **error);
/* Revokes a device: what it sent up to the last imported batch stays;
 * any later batch is quarantined. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_revoke_device    (KoersOffice  *self,
                                              const char   *device_id,
                                              GError      **error);

typedef struct
{
  char    *id;
  char    *steunpunt_id;
  char    *steunpunt_name;
  char    *name;
  gboolean revoked;
  char    *last_batch;     /* NULL: none yet */
  gint64   last_seen_ms;   /* 0: never */
  gint64   pending;        /* batches on the drop not imported (last pull) */
  gint64   acked_seq;
} KoersOfficeDevice;

void koers_office_device_free (KoersOfficeDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOfficeDevice, koers_office_device_free)

G_GNUC_WARN_UNUSED_RESULT
GPtrArray     *koers_office_list_devices     (KoersOffice  *self,
                                              GError      **error);

/* Publishes the signed device list (docs/sync-format.md, "Device list")
 * of @steunpunt (name or id; NULL: of every steunpunt) at
 * <drop>/<steunpunt>/devices: its devices' public keys, the revoked ones,
 * and the team key sealed to each active device. Each list has a higher
 * serial than the last (kept in the vault before the upload), so a
 * laptop never takes an older one. koers_office_pull() publishes every
 * steunpunt's list at its end. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_publish_devices  (KoersOffice    *self,
                                              KoersDavClient *drop,
                                              const char     *steunpunt,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* Team key generations (koers-office-rotate.c; docs/office.md "A lost or
 * stolen laptop") ---------------------------------------------------------- */

/* Replaces the team key of @steunpunt (name or id) with the next
 * generation of its chain (koers-team-keys.h), in one transaction; the
 * older secrets stay in the vault ("office.team-seed.<id>.<generation>").
 * The next device list (koers_office_publish_devices(), every pull)
 * carries the new key sealed to each active device. @generation: the new
 * one, or NULL. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_rotate_team_key  (KoersOffice  *self,
                                              const char   *steunpunt,
                                              guint32      *generation,
                                              GError      **error);
/* The team key of @steunpunt (name or id) of @generation (0: the current
 * one), with its secret; NOT_FOUND when the vault has no such generation. */
G_GNUC_WARN_UNUSED_RESULT
KoersSyncKey  *koers_office_get_team_key     (KoersOffice  *self,
                                              const char   *steunpunt,
                                              guint32       generation,
                                              GError      **error);
/* The current generation of @steunpunt's (name or id) team key; 0 with
 * @error when there is no such steunpunt. */
guint32        koers_office_team_generation  (KoersOffice  *self,
                                              const char   *steunpunt,
                                              GError      **error);

/* Pull ------------------------------------------------------------------- */

typedef struct
{
  guint imported;     /* batches merged now */
  guint changes;      /* their changes */
  guint skipped;      /* already imported (the same bytes) */
  guint held;         /* waiting for an earlier batch */
  guint quarantined;  /* new in quarantine */
  guint acks;         /* acks written */
  guint sent;         /* batches written to the laptops (the office folders) */
} KoersOfficePullResult;

/* Called after each batch: done of total batches seen on the drop. */
typedef void (*KoersOfficeProgress) (guint    done,
                                     guint    total,
                                     gpointer user_data);

/* Pulls the whole drop once. Fails only when the drop cannot be read or
 * the vault cannot be written; a bad batch is quarantined, not an error. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_pull             (KoersOffice           *self,
                                              KoersDavClient        *drop,
                                              KoersOfficeProgress    progress,
                                              gpointer               progress_data,
                                              KoersOfficePullResult *result,
                                              GCancellable          *cancellable,
                                              GError               **error);

/* The merge of one verified batch into the office vault's case records
 * (koers_store_merge_changes()), inside the pull's transaction; the
 * changes are also kept as received in office_change. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_merge_batch      (KoersOffice  *self,
                                              const char   *device_id,
                                              guint32       epoch,
                                              GBytes       *jsonl,
                                              GError      **error);

/* Quarantine ------------------------------------------------------------- */

typedef struct
{
  gint64  id;
  char   *steunpunt_id;
  char   *device_id;
  char   *name;
  char   *reason_code;   /* "unknown-device", "revoked", "signature", ... */
  char   *reason;        /* in words */
  gint64  at_ms;
  gsize   size;
} KoersQuarantined;

void koers_quarantined_free (KoersQuarantined *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersQuarantined, koers_quarantined_free)

G_GNUC_WARN_UNUSED_RESULT
GPtrArray     *koers_office_list_quarantine  (KoersOffice  *self,
                                              GError      **error);
/* Retry: forgets the entry; the next pull looks at the batch again (after
 * a device was registered, say). Drop: the batch is given up for good; the
 * entry stays (without the file) so no later pull takes it in. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_retry_quarantined (KoersOffice *self,
                                               gint64       id,
                                               GError     **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_drop_quarantined (KoersOffice  *self,
                                              gint64        id,
                                              GError      **error);
/* What the quarantine reason @reason_code means for a person and what to
 * do about it, in words (translated); never NULL. */
const char    *koers_office_quarantine_advice (const char *reason_code);
/* The file as it was on the drop. */
G_GNUC_WARN_UNUSED_RESULT
GBytes        *koers_office_get_quarantined_file (KoersOffice *self,
                                                  gint64       id,
                                                  GError     **error);

/* A person's rights --------------------------------------------------------- */

/* Removes the clients' files from the office vault for good: the merged
 * records (koers_store_purge(), free pages included) and the changes as
 * received. The erasure is recorded (koers_store_record_erasures()): no
 * later batch brings the files back, and the next pull sends it to the
 * laptops of every steunpunt (koers_office_publish_outbox()). */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_erase            (KoersOffice       *self,
                                              const char *const *client_ids,
                                              GError           **error);

/* Retention: erases the files closed more than @days ago, as an erasure
 * "retention" that reaches the laptops too. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_purge            (KoersOffice  *self,
                                              guint         days,
                                              guint        *n_purged,
                                              GError      **error);

/* From the office to the laptops (koers-office-outbox.c) ------------------ */

/* Cuts, seals (office key, sealed to the team key) and uploads to
 * <steunpunt>/office/ each steunpunt's new office batch
 * (docs/sync-format.md "Office batch"): reference data not brought by
 * its own devices, the office's resolutions of its conflicts, every
 * erasure. Each batch is recorded with the folder's sequence before it
 * is uploaded; batches a kill left unsent go first. koers_office_pull()
 * calls it at its end. @sent: batches uploaded (may be NULL). */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_publish_outbox   (KoersOffice    *self,
                                              KoersDavClient *drop,
                                              guint          *sent,
                                              GCancellable   *cancellable,
                                              GError        **error);
/* Reads each active device's read note (<steunpunt>/<device>/read,
 * docs/sync-format.md "Read note") and keeps the newest that verifies;
 * koers_office_pull() calls it. A missing or bad note counts as nothing
 * read. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_read_notes       (KoersOffice    *self,
                                              KoersDavClient *drop,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* The drop --------------------------------------------------------------- */

/* What a batch on the drop waits for: @reader has not read @batches of
 * @writer's batches (@writer_id KOERS_SYNC_OFFICE_UUID, @writer_name NULL:
 * the office folder's). */
typedef struct
{
  char  *steunpunt_id;
  char  *reader_id;
  char  *reader_name;
  char  *writer_id;
  char  *writer_name;
  guint  batches;
} KoersOfficeDropWait;

void koers_office_drop_wait_free (KoersOfficeDropWait *wait);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOfficeDropWait, koers_office_drop_wait_free)

/* Per steunpunt, reader and writer: the batches still on the drop that an
 * active device has not read (by its latest read note). */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray     *koers_office_drop_waiting     (KoersOffice  *self,
                                              GError      **error);

typedef struct
{
  char    *steunpunt_id;
  guint64  bytes;     /* every file in its folders */
  guint    batches;   /* batch files */
  guint    waiting;   /* batch files not imported (held, quarantined or new) */
} KoersOfficeDropUsage;

void koers_office_drop_usage_free (KoersOfficeDropUsage *usage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOfficeDropUsage, koers_office_drop_usage_free)

/* The drop's size per steunpunt folder and what waits there. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray     *koers_office_drop_status      (KoersOffice    *self,
                                              KoersDavClient *drop,
                                              GCancellable   *cancellable,
                                              GError        **error);

/* Deletes from the drop the batches imported and acknowledged more than
 * @grace_days ago and read by every active device of their steunpunt
 * (read notes), and the office folders' batches uploaded more than
 * @grace_days ago and read by every active device. */
G_GNUC_WARN_UNUSED_RESULT
gboolean       koers_office_clean_drop       (KoersOffice    *self,
                                              KoersDavClient *drop,
                                              guint           grace_days,
                                              guint          *n_deleted,
                                              GCancellable   *cancellable,
                                              GError        **error);

G_END_DECLS
