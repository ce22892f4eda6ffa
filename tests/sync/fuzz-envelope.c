/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the batch reader, koers_envelope_open(). The first byte
 * of an input picks what the rest is, so that mutations reach every check:
 *   0  a batch file, opened as it is (size, format, signature);
 *   1  a batch file, signed again by the device first (the key, the
 *      commitment, the chain, decryption);
 *   2  a compressed payload, sealed properly (decompression, its cap);
 *   3  JSON Lines, deflated and sealed (the JSON check).
 * Nothing may crash, leak, or allocate past the caps (-malloc_limit_mb). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-envelope-private.h"

#define PLAIN_CAP (1 << 20)   /* a lower cap than the default: faster runs */

static KoersBatchInfo
fuzz_info (const FuzzKeys *k)
{
  KoersBatchInfo info = { .epoch = 1, .first_seq = 1, .last_seq = 3 };

  memcpy (info.steunpunt_id, k->steunpunt, KOERS_SYNC_ID_BYTES);
  memcpy (info.device_id, k->device_id, KOERS_SYNC_ID_BYTES);
  return info;
}

static GBytes *
seal (const FuzzKeys *k, GBytes *compressed)
{
  const KoersSyncKey *to[] = { k->office_seal, k->team_seal };
  KoersBatchInfo info = fuzz_info (k);

  return koers_envelope_seal_compressed (&info, compressed, k->device, to, 2, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const FuzzKeys *k = fuzz_keys ();
  KoersChainState chain = { 0 };
  KoersEnvelopeOpenOptions opts = {
    .recipient = k->office_seal, .devices = k->devices, .max_plain = PLAIN_CAP,
  };
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GBytes) rest = NULL;
  g_autoptr (KoersBatch) batch = NULL;
  g_autoptr (GError) error = NULL;

  if (size == 0)
    return 0;
  rest = g_bytes_new (data + 1, size - 1);
  switch (data[0] & 3)
    {
    case 0:
      file = g_bytes_ref (rest);
      break;
    case 1:
      file = fuzz_resign (data + 1, size - 1, k->device);
      opts.chain = &chain;
      opts.recipient = k->team_seal;
      break;
    case 2:
      file = seal (k, rest);
      break;
    default:
      {
        g_autoptr (GBytes) deflated = koers_envelope_deflate (data + 1, size - 1);
        file = seal (k, deflated);
      }
    }
  if (file == NULL)
    return 0;   /* too large to seal */
  batch = koers_envelope_open (file, &opts, &error);
  if (batch == NULL)
    fuzz_assert_refusal (error, KOERS_ENVELOPE_ERROR);
  else
    {
      fuzz_accepted++;
      g_assert_cmpuint (batch->n_changes, >=, 1);
      g_assert_cmpuint (g_bytes_get_size (batch->jsonl), <=, PLAIN_CAP);
    }
  return 0;
}

void
fuzz_make_corpus (const char *dir)
{
  static const char jsonl[] =
    "{\"seq\":1,\"entity\":\"client\",\"op\":\"insert\",\"fields\":{\"given_names\":\"Amina\",\"x\":[1,2.5e3,true,null]}}\n"
    "{\"seq\":2,\"entity\":\"conversation\",\"op\":\"update\",\"fields\":{\"notes\":\"\\u0645 \\\" \\\\\"}}\n"
    "{\"seq\":3,\"op\":\"delete\",\"fields\":null}\n";
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (GBytes) text = g_bytes_new_static (jsonl, strlen (jsonl));
  g_autoptr (GBytes) deflated = koers_envelope_deflate ((const guint8 *) jsonl, strlen (jsonl));
  g_autoptr (GBytes) file = seal (k, deflated);
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);

  fuzz_write_seed (dir, "batch", 0, d, len);
  fuzz_write_seed (dir, "batch-resigned", 1, d, len);
  fuzz_write_seed (dir, "batch-header-only", 1, d, KOERS_ENVELOPE_FIXED_HEADER + 2 * KOERS_ENVELOPE_STANZA + 81);
  fuzz_write_seed (dir, "deflated", 2, g_bytes_get_data (deflated, NULL), g_bytes_get_size (deflated));
  fuzz_write_seed (dir, "jsonl", 3, g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  fuzz_write_seed (dir, "jsonl-bad", 3, (const guint8 *) "{\"seq\":1,\"a\":[[[{\"b\":-0.0e-1}]]]}\n{\"seq\":2}", 44);
}
