/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-ack.c: a fixed-size record, signed by the office. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-ack.h"

G_DEFINE_QUARK (koers-ack-error-quark, koers_ack_error)

#define MAGIC   "KOERSACK"
#define VERSION 1

enum
{
  OFF_VERSION = 8,
  OFF_STEUNPUNT = 10,
  OFF_DEVICE = 26,
  OFF_EPOCH = 42,
  OFF_SEQ = 46,
  OFF_HASH = 54,
  OFF_TIME = 86,
  OFF_SIGNATURE = 94,
};

G_STATIC_ASSERT (OFF_SIGNATURE + KOERS_SYNC_SIGNATURE_BYTES == KOERS_ACK_BYTES);

#define FAIL(error, code, ...) \
  (g_set_error (error, KOERS_ACK_ERROR, KOERS_ACK_ERROR_##code, __VA_ARGS__), FALSE)

GBytes *
koers_ack_write (const KoersAck     *ack,
                 const KoersSyncKey *office_key)
{
  guint8 *out = g_malloc0 (KOERS_ACK_BYTES);

  g_return_val_if_fail (ack != NULL && koers_sync_key_has_secret (office_key), NULL);
  memcpy (out, MAGIC, 8);
  koers_sync_put_be (out + OFF_VERSION, VERSION, 2);
  memcpy (out + OFF_STEUNPUNT, ack->steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (out + OFF_DEVICE, ack->device_id, KOERS_SYNC_ID_BYTES);
  koers_sync_put_be (out + OFF_EPOCH, ack->acked.epoch, 4);
  koers_sync_put_be (out + OFF_SEQ, ack->acked.last_seq, 8);
  memcpy (out + OFF_HASH, ack->acked.hash, KOERS_SYNC_HASH_BYTES);
  koers_sync_put_be (out + OFF_TIME, (guint64) ack->at_ms, 8);
  koers_sync_sign (office_key, out, OFF_SIGNATURE, out + OFF_SIGNATURE);
  return g_bytes_new_take (out, KOERS_ACK_BYTES);
}

gboolean
koers_ack_read (GBytes        *file,
                const guint8  *office_sign_public,
                const guint8  *steunpunt_id,
                const guint8  *device_id,
                KoersAck      *ack,
                GError       **error)
{
  gsize len;
  const guint8 *d;

  g_return_val_if_fail (file != NULL && office_sign_public != NULL && ack != NULL, FALSE);
  d = g_bytes_get_data (file, &len);
  if (len != KOERS_ACK_BYTES)
    {
      g_autofree char *size = g_format_size_full (len, G_FORMAT_SIZE_LONG_FORMAT);
      return FAIL (error, SIZE, _("The office's acknowledgement has the wrong size (%s)."), size);
    }
  if (memcmp (d, MAGIC, 8) != 0 || koers_sync_get_be (d + OFF_VERSION, 2) != VERSION)
    return FAIL (error, FORMAT, _("This is not an acknowledgement this program can read."));
  if (!koers_sync_verify (office_sign_public, d, OFF_SIGNATURE, d + OFF_SIGNATURE))
    return FAIL (error, SIGNATURE, _("The acknowledgement is not signed by the office: it is ignored."));
  if ((steunpunt_id != NULL && memcmp (d + OFF_STEUNPUNT, steunpunt_id, KOERS_SYNC_ID_BYTES) != 0)
      || (device_id != NULL && memcmp (d + OFF_DEVICE, device_id, KOERS_SYNC_ID_BYTES) != 0))
    return FAIL (error, DEVICE, _("The acknowledgement is for another device: it is ignored."));
  memcpy (ack->steunpunt_id, d + OFF_STEUNPUNT, KOERS_SYNC_ID_BYTES);
  memcpy (ack->device_id, d + OFF_DEVICE, KOERS_SYNC_ID_BYTES);
  ack->acked.epoch = (guint32) koers_sync_get_be (d + OFF_EPOCH, 4);
  ack->acked.last_seq = koers_sync_get_be (d + OFF_SEQ, 8);
  memcpy (ack->acked.hash, d + OFF_HASH, KOERS_SYNC_HASH_BYTES);
  ack->at_ms = (gint64) koers_sync_get_be (d + OFF_TIME, 8);
  return TRUE;
}

gboolean
koers_ack_names_batch (const KoersAck       *ack,
                       const KoersBatchInfo *info,
                       const guint8         *hash)
{
  g_return_val_if_fail (ack != NULL && info != NULL && hash != NULL, FALSE);
  return memcmp (ack->steunpunt_id, info->steunpunt_id, KOERS_SYNC_ID_BYTES) == 0
         && memcmp (ack->device_id, info->device_id, KOERS_SYNC_ID_BYTES) == 0
         && ack->acked.epoch == info->epoch
         && ack->acked.last_seq == info->last_seq
         && memcmp (ack->acked.hash, hash, KOERS_SYNC_HASH_BYTES) == 0;
}
