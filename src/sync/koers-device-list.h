/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-device-list.h: the devices of one steunpunt, published by the
 * office on the drop at <steunpunt>/devices and signed by its Ed25519 key
 * (docs/sync-format.md, "Device list"): which devices' batches a laptop
 * may read (their public keys, revoked ones and how far they count), and
 * the team's secret key sealed to each active device.
 *
 * API overview
 *   Office (koers-office pull, devices register|revoke):
 *     KoersDeviceList *list = koers_device_list_new (steunpunt, serial, now,
 *                                                    generation, team_public);
 *     koers_device_list_add (list, id, sign_public, revoked, epoch, seq);
 *     GBytes *file = koers_device_list_write (list, team_key, office_key, &error);
 *   Laptop, each round:
 *     list = koers_device_list_read (file, office_sign_public, my_steunpunt,
 *                                    last_serial, &error);
 *     team = koers_device_list_open_team_key (list, my_device, my_key, &error);
 *     known = koers_device_list_known (list);   → koers_envelope_open()
 */
#pragma once

#include <glib.h>

#include "koers-sync-keys.h"

G_BEGIN_DECLS

#define KOERS_DEVICE_LIST_ERROR (koers_device_list_error_quark ())

typedef enum
{
  KOERS_DEVICE_LIST_ERROR_SIZE,       /* too short, too long, not its count of devices */
  KOERS_DEVICE_LIST_ERROR_FORMAT,     /* not a device list, another version, bad fields */
  KOERS_DEVICE_LIST_ERROR_SIGNATURE,  /* not signed by the office */
  KOERS_DEVICE_LIST_ERROR_STEUNPUNT,  /* the list of another steunpunt */
  KOERS_DEVICE_LIST_ERROR_STALE,      /* older than a list already accepted */
  KOERS_DEVICE_LIST_ERROR_NOT_LISTED, /* this device is not in it, or revoked */
  KOERS_DEVICE_LIST_ERROR_TEAM_KEY,   /* the sealed team key does not open */
} KoersDeviceListError;

GQuark koers_device_list_error_quark (void);

#define KOERS_DEVICE_LIST_MAX_DEVICES 1024
#define KOERS_DEVICE_LIST_SEALED_BYTES 80  /* crypto_box_seal of 32 bytes */
#define KOERS_DEVICE_LIST_MAX_FILE (80 + KOERS_DEVICE_LIST_MAX_DEVICES * 141 + 64)

typedef struct
{
  guint8   device_id[KOERS_SYNC_ID_BYTES];
  guint8   sign_public[KOERS_SYNC_PUBLIC_BYTES];
  gboolean revoked;
  guint32  revoked_epoch;      /* batches up to (epoch, seq) still count */
  guint64  revoked_after_seq;
  guint8   sealed_team[KOERS_DEVICE_LIST_SEALED_BYTES]; /* zeros when revoked */
} KoersDeviceEntry;

typedef struct
{
  guint8   steunpunt_id[KOERS_SYNC_ID_BYTES];
  guint64  serial;             /* grows with every list the office publishes */
  gint64   issued_at_ms;
  guint32  team_generation;
  guint8   team_public[KOERS_SYNC_PUBLIC_BYTES];
  GArray  *devices;            /* KoersDeviceEntry, by id */
} KoersDeviceList;

KoersDeviceList *koers_device_list_new   (const guint8 *steunpunt_id,
                                          guint64       serial,
                                          gint64        issued_at_ms,
                                          guint32       team_generation,
                                          const guint8 *team_public);
void             koers_device_list_free  (KoersDeviceList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersDeviceList, koers_device_list_free)

void             koers_device_list_add   (KoersDeviceList *list,
                                          const guint8    *device_id,
                                          const guint8    *sign_public,
                                          gboolean         revoked,
                                          guint32          revoked_epoch,
                                          guint64          revoked_after_seq);

/* The signed file: @team_key (X25519 with its secret, matching the
 * list's team public key) is sealed to every device not revoked. */
G_GNUC_WARN_UNUSED_RESULT
GBytes          *koers_device_list_write (KoersDeviceList    *list,
                                          const KoersSyncKey *team_key,
                                          const KoersSyncKey *office_key,
                                          GError            **error);

/* Checks, in this order: size, format, the office's signature, the
 * steunpunt (when @steunpunt_id is not NULL), the serial (not below
 * @min_serial), then every entry. All or nothing. */
G_GNUC_WARN_UNUSED_RESULT
KoersDeviceList *koers_device_list_read  (GBytes        *file,
                                          const guint8  *office_sign_public,
                                          const guint8  *steunpunt_id,
                                          guint64        min_serial,
                                          GError       **error);

const KoersDeviceEntry *koers_device_list_lookup (const KoersDeviceList *list,
                                                  const guint8          *device_id);

/* Whether the batch of @device ending at (@epoch, @last_seq) is after its
 * revocation (TRUE also for a device not in the list). */
gboolean         koers_device_list_refuses (const KoersDeviceList *list,
                                            const guint8          *device_id,
                                            guint32                epoch,
                                            guint64                last_seq);

/* The team key (X25519 with its secret) sealed to @device_id, opened with
 * that device's Ed25519 key (with its secret). */
G_GNUC_WARN_UNUSED_RESULT
KoersSyncKey    *koers_device_list_open_team_key (const KoersDeviceList *list,
                                                  const guint8          *device_id,
                                                  const KoersSyncKey    *device_key,
                                                  GError               **error);

/* The listed devices (revoked ones too: their earlier batches count) for
 * koers_envelope_open(). */
KoersKnownDevices *koers_device_list_known (const KoersDeviceList *list);

G_END_DECLS
