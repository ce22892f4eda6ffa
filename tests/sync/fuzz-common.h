/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: what the sync format fuzz targets share — fixed keys (the
 * seed corpus is made with them), the replay of a corpus as a TAP test
 * when there is no libFuzzer, and the corpus maker. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "koers-sync-keys.h"

G_BEGIN_DECLS

typedef struct
{
  KoersSyncKey      *device;       /* Ed25519 */
  KoersSyncKey      *office_seal;  /* X25519 */
  KoersSyncKey      *office_sign;  /* Ed25519 */
  KoersSyncKey      *team_seal;    /* X25519 */
  guint8             steunpunt[KOERS_SYNC_ID_BYTES];
  guint8             device_id[KOERS_SYNC_ID_BYTES];
  KoersKnownDevices *devices;
} FuzzKeys;

/* How many inputs the reader accepted (the replay reports it). */
extern guint fuzz_accepted;

/* Made once, kept for the process (libFuzzer runs millions of inputs). */
const FuzzKeys *fuzz_keys          (void);

/* The last 64 bytes of @data replaced by the signature of the rest by
 * @key (inputs shorter than a signature come back as they are). */
GBytes         *fuzz_resign        (const guint8       *data,
                                    gsize               len,
                                    const KoersSyncKey *key);

/* Asserts that @error is a one-line refusal of @domain. */
void            fuzz_assert_refusal (const GError *error,
                                     GQuark        domain);

/* Each target's: writes its seed corpus into @dir (mode byte first). */
void            fuzz_make_corpus   (const char *dir);
void            fuzz_write_seed    (const char   *dir,
                                    const char   *name,
                                    guint8        mode,
                                    const guint8 *data,
                                    gsize         len);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

G_END_DECLS
