/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-envelope-private.h: the steps of sealing, for the tests, the
 * benchmark and the fuzzers' corpus (they make batches the public sealer
 * refuses to: bad JSON, a decompression bomb). */
#pragma once

#include "koers-envelope.h"

G_BEGIN_DECLS

/* Layout (docs/sync-format.md). */
#define KOERS_ENVELOPE_MAGIC          "KOERSBAT"
#define KOERS_ENVELOPE_VERSION        1
#define KOERS_ENVELOPE_DEFLATE        1
#define KOERS_ENVELOPE_FIXED_HEADER   152
#define KOERS_ENVELOPE_STANZA         113
#define KOERS_ENVELOPE_OFF_NRECIP     11
#define KOERS_ENVELOPE_OFF_STREAM     96
#define KOERS_ENVELOPE_OFF_COMMIT     120
#define KOERS_ENVELOPE_ZLIB_LEVEL     6

/* Raw deflate (RFC 1951) of @len bytes at @data. */
GBytes *koers_envelope_deflate         (const guint8 *data,
                                        gsize         len);

/* Seals already-compressed bytes as they are: no JSON check. */
GBytes *koers_envelope_seal_compressed (const KoersBatchInfo      *info,
                                        GBytes                    *compressed,
                                        const KoersSyncKey        *device_key,
                                        const KoersSyncKey *const *recipients,
                                        guint                      n_recipients,
                                        GError                   **error);

G_END_DECLS
