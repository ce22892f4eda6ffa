/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-keyfile.h"
#include "koers-vault.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#define SLOT_AD_MAGIC "KoersSlot1"
#define CROCKFORD "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#define RECOVERY_BYTES 25   /* 200 bits: 40 base32 characters */
#define RECOVERY_GROUP 5

void
koers_slot_free (KoersSlot *slot)
{
  if (slot == NULL)
    return;
  g_free (slot->name);
  sodium_memzero (slot, sizeof *slot);
  g_free (slot);
}

KoersKeyring *
koers_keyring_new (const guint8 *db_id)
{
  KoersKeyring *ring = g_new0 (KoersKeyring, 1);

  memcpy (ring->db_id, db_id, KOERS_DB_ID_BYTES);
  ring->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_slot_free);
  return ring;
}

void
koers_keyring_free (KoersKeyring *ring)
{
  if (ring == NULL)
    return;
  g_ptr_array_unref (ring->slots);
  g_free (ring);
}

KoersSlot *
koers_keyring_find (KoersKeyring *ring,
                    KoersSlotKind kind,
                    const char   *name)
{
  for (guint i = 0; i < ring->slots->len; i++)
    {
      KoersSlot *slot = g_ptr_array_index (ring->slots, i);

      if (slot->kind != kind)
        continue;
      if (kind == KOERS_SLOT_RECOVERY || g_strcmp0 (slot->name, name) == 0)
        return slot;
    }
  return NULL;
}

void
koers_keyfile_free (KoersKeyfile *keyfile)
{
  if (keyfile == NULL)
    return;
  koers_keyring_free (keyfile->current);
  koers_keyring_free (keyfile->pending);
  g_free (keyfile);
}

gboolean
koers_slot_derive_key (const KoersSlot *slot,
                       const char      *secret,
                       guint8          *slot_key)
{
  return crypto_pwhash (slot_key, KOERS_KEY_BYTES, secret, strlen (secret),
                        slot->salt, slot->opslimit, slot->memlimit,
                        crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* The wrapped key is bound to this vault and to the slot's KDF settings. */
static gsize
slot_ad (const KoersSlot *slot, const guint8 *db_id, guint8 *ad)
{
  guint64 ops = GUINT64_TO_LE (slot->opslimit);
  guint64 mem = GUINT64_TO_LE ((guint64) slot->memlimit);
  gsize len = 0;

  memcpy (ad, SLOT_AD_MAGIC, strlen (SLOT_AD_MAGIC));
  len += strlen (SLOT_AD_MAGIC);
  memcpy (ad + len, db_id, KOERS_DB_ID_BYTES);
  len += KOERS_DB_ID_BYTES;
  ad[len++] = (guint8) slot->kind;
  memcpy (ad + len, &ops, 8);
  len += 8;
  memcpy (ad + len, &mem, 8);
  len += 8;
  memcpy (ad + len, slot->salt, KOERS_SALT_BYTES);
  return len + KOERS_SALT_BYTES;
}

void
koers_slot_wrap (KoersSlot    *slot,
                 const guint8 *db_id,
                 const guint8 *slot_key,
                 const guint8 *master_key)
{
  guint8 ad[64];
  gsize ad_len = slot_ad (slot, db_id, ad);

  randombytes_buf (slot->nonce, sizeof slot->nonce);
  crypto_aead_xchacha20poly1305_ietf_encrypt (slot->wrapped, NULL, master_key, KOERS_KEY_BYTES,
                                              ad, ad_len, NULL, slot->nonce, slot_key);
}

gboolean
koers_slot_unwrap (const KoersSlot *slot,
                   const guint8    *db_id,
                   const guint8    *slot_key,
                   guint8          *master_key)
{
  guint8 ad[64];
  gsize ad_len = slot_ad (slot, db_id, ad);

  return crypto_aead_xchacha20poly1305_ietf_decrypt (master_key, NULL, NULL, slot->wrapped,
                                                     sizeof slot->wrapped, ad, ad_len,
                                                     slot->nonce, slot_key) == 0;
}

KoersSlot *
koers_slot_new (KoersSlotKind kind,
                const char   *name,
                const char   *secret,
                guint64       opslimit,
                gsize         memlimit,
                const guint8 *db_id,
                const guint8 *master_key,
                guint8       *slot_key)
{
  KoersSlot *slot = g_new0 (KoersSlot, 1);
  guint8 *key = slot_key ? slot_key : sodium_malloc (KOERS_KEY_BYTES);
  gboolean ok;

  slot->kind = kind;
  slot->name = g_strdup (name);
  slot->opslimit = opslimit;
  slot->memlimit = memlimit;
  randombytes_buf (slot->salt, sizeof slot->salt);
  ok = koers_slot_derive_key (slot, secret, key);
  if (ok)
    koers_slot_wrap (slot, db_id, key, master_key);
  if (key != slot_key)
    sodium_free (key);
  if (!ok)
    {
      koers_slot_free (slot);
      return NULL;  /* out of memory for Argon2id */
    }
  return slot;
}

/* --- file format ------------------------------------------------------ */

static void
set_hex (GKeyFile *kf, const char *group, const char *key, const guint8 *bin, gsize len)
{
  g_autofree char *hex = g_malloc (len * 2 + 1);

  sodium_bin2hex (hex, len * 2 + 1, bin, len);
  g_key_file_set_string (kf, group, key, hex);
}

static gboolean
get_hex (GKeyFile *kf, const char *group, const char *key, guint8 *bin, gsize len)
{
  g_autofree char *hex = g_key_file_get_string (kf, group, key, NULL);
  gsize got = 0;

  return hex != NULL && strlen (hex) == len * 2 &&
         sodium_hex2bin (bin, len, hex, len * 2, NULL, &got, NULL) == 0 && got == len;
}

static void
save_slot (GKeyFile *kf, const char *group, const KoersSlot *slot)
{
  g_key_file_set_string (kf, group, "kind", slot->kind == KOERS_SLOT_RECOVERY ? "recovery" : "person");
  if (slot->name)
    g_key_file_set_string (kf, group, "name", slot->name);
  g_key_file_set_string (kf, group, "kdf", "argon2id13");
  g_key_file_set_uint64 (kf, group, "opslimit", slot->opslimit);
  g_key_file_set_uint64 (kf, group, "memlimit", slot->memlimit);
  set_hex (kf, group, "salt", slot->salt, sizeof slot->salt);
  set_hex (kf, group, "nonce", slot->nonce, sizeof slot->nonce);
  set_hex (kf, group, "wrapped", slot->wrapped, sizeof slot->wrapped);
}

static void
save_ring (GKeyFile *kf, const char *prefix, const KoersKeyring *ring)
{
  g_autofree char *ring_group = g_strdup_printf ("%s", prefix);

  set_hex (kf, ring_group, "id", ring->db_id, sizeof ring->db_id);
  for (guint i = 0; i < ring->slots->len; i++)
    {
      g_autofree char *group = g_strdup_printf ("%s slot %u", prefix, i + 1);
      save_slot (kf, group, g_ptr_array_index (ring->slots, i));
    }
}

/* The page AEAD, named beside the format: the format line alone is one bit
 * flip away from another format ('2' and '3'), and a vault read with the
 * wrong page AEAD would take its log's frames for a torn tail. */
static const char *
page_cipher_name (guint format)
{
  return format == KOERS_FORMAT_AES_GCM ? "aes256gcm-hchacha20" : "xchacha20poly1305-ietf";
}

gboolean
koers_keyfile_save (KoersKeyfile *keyfile,
                    const char   *path,
                    GError      **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (keyfile->format >= KOERS_FORMAT_OLDEST &&
                        keyfile->format <= KOERS_FORMAT_NEWEST, FALSE);
  g_key_file_set_comment (kf, NULL, NULL,
                          " Koers vault key slots. Holds no client data; see docs/vault-format.md.", NULL);
  g_key_file_set_integer (kf, "vault", "format", (gint) keyfile->format);
  g_key_file_set_string (kf, "vault", "cipher", page_cipher_name (keyfile->format));
  g_key_file_set_integer (kf, "vault", "page-size", KOERS_PAGE_SIZE);
  g_key_file_set_integer (kf, "vault", "page-reserve", KOERS_PAGE_RESERVE);
  save_ring (kf, "current", keyfile->current);
  if (keyfile->pending)
    save_ring (kf, "pending", keyfile->pending);
  data = g_key_file_to_data (kf, &len, NULL);
  /* Atomic and durable: a crash leaves the old or the new file, whole. */
  if (!g_file_set_contents_full (path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_prefix_error (error, _("Could not save the vault’s keys: "));
      return FALSE;
    }
  return TRUE;
}

static KoersSlot *
load_slot (GKeyFile *kf, const char *group)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kind = g_key_file_get_string (kf, group, "kind", NULL);
  g_autofree char *kdf = g_key_file_get_string (kf, group, "kdf", NULL);
  KoersSlot *slot = g_new0 (KoersSlot, 1);
  gboolean ok;

  slot->kind = g_strcmp0 (kind, "recovery") == 0 ? KOERS_SLOT_RECOVERY : KOERS_SLOT_PERSON;
  slot->name = g_key_file_get_string (kf, group, "name", NULL);
  slot->opslimit = g_key_file_get_uint64 (kf, group, "opslimit", &error);
  if (error == NULL)
    slot->memlimit = (gsize) g_key_file_get_uint64 (kf, group, "memlimit", &error);
  ok = error == NULL && g_strcmp0 (kdf, "argon2id13") == 0 &&
       (g_strcmp0 (kind, "person") == 0 ? slot->name != NULL : g_strcmp0 (kind, "recovery") == 0) &&
       slot->opslimit >= crypto_pwhash_OPSLIMIT_MIN && slot->memlimit >= crypto_pwhash_MEMLIMIT_MIN &&
       get_hex (kf, group, "salt", slot->salt, sizeof slot->salt) &&
       get_hex (kf, group, "nonce", slot->nonce, sizeof slot->nonce) &&
       get_hex (kf, group, "wrapped", slot->wrapped, sizeof slot->wrapped);
  if (!ok)
    g_clear_pointer (&slot, koers_slot_free);
  return slot;
}

static KoersKeyring *
load_ring (GKeyFile *kf, const char *prefix, GError **error)
{
  guint8 id[KOERS_DB_ID_BYTES];
  g_autoptr(KoersKeyring) ring = NULL;

  if (!get_hex (kf, prefix, "id", id, sizeof id))
    goto damaged;
  ring = koers_keyring_new (id);
  for (guint i = 1;; i++)
    {
      g_autofree char *group = g_strdup_printf ("%s slot %u", prefix, i);
      KoersSlot *slot;

      if (!g_key_file_has_group (kf, group))
        break;
      if (!(slot = load_slot (kf, group)))
        goto damaged;
      g_ptr_array_add (ring->slots, slot);
    }
  if (ring->slots->len > 0)
    return g_steal_pointer (&ring);
damaged:
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
               _("The vault’s key file is damaged."));
  return NULL;
}

/* Is @group one this file consists of? A slot's group header that a bit
 * flip turned into something else must not make the slot quietly vanish
 * (with the slots after it): every group must be known and every slot
 * group must have been loaded. */
static gboolean
group_is_known (const char *group, const KoersKeyfile *keyfile)
{
  static const char *const rings[] = { "current", "pending" };

  if (g_str_equal (group, "vault"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (rings); i++)
    {
      KoersKeyring *ring = i == 0 ? keyfile->current : keyfile->pending;
      g_autofree char *prefix = g_strconcat (rings[i], " slot ", NULL);
      guint64 n = 0;

      if (g_str_equal (group, rings[i]))
        return ring != NULL;
      if (g_str_has_prefix (group, prefix) &&
          g_ascii_string_to_unsigned (group + strlen (prefix), 10, 1, G_MAXUINT, &n, NULL))
        return ring != NULL && n <= ring->slots->len;
    }
  return FALSE;
}

/* GKeyFile merges a group header that appears twice (a slot number
 * flipped into another's) into one: count the headers themselves. */
static guint
count_group_headers (const char *text)
{
  guint n = 0;

  for (const char *line = text; line; line = strchr (line, '\n'))
    {
      line += *line == '\n';
      while (*line == ' ' || *line == '\t')
        line++;
      n += *line == '[';
    }
  return n;
}

static gboolean
all_groups_known (GKeyFile *kf, const char *text, const KoersKeyfile *keyfile, GError **error)
{
  gsize n_groups = 0;
  g_auto(GStrv) groups = g_key_file_get_groups (kf, &n_groups);

  if (count_group_headers (text) != n_groups)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                   _("The vault’s key file is damaged: a section appears twice. "
                     "Put back a copy of koers.keys from a backup."));
      return FALSE;
    }
  for (guint i = 0; groups[i] != NULL; i++)
    if (!group_is_known (groups[i], keyfile))
      {
        g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                     _("The vault’s key file is damaged: it has a section it should not "
                       "have (“[%s]”). Put back a copy of koers.keys from a backup."), groups[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean
names_page_cipher (GKeyFile *kf, guint format)
{
  g_autofree char *cipher = g_key_file_get_string (kf, "vault", "cipher", NULL);

  return g_strcmp0 (cipher, page_cipher_name (format)) == 0;
}

KoersKeyfile *
koers_keyfile_load (const char *path,
                    GError    **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(KoersKeyfile) keyfile = g_new0 (KoersKeyfile, 1);
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  int format;

  if (!g_file_get_contents (path, &text, NULL, &local) ||
      !g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, &local))
    {
      gboolean missing = g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, KOERS_VAULT_ERROR,
                   missing ? KOERS_VAULT_ERROR_NOT_FOUND : KOERS_VAULT_ERROR_CORRUPT,
                   missing ? _("There is no vault in this folder.") : _("The vault’s key file is damaged."));
      return NULL;
    }
  format = g_key_file_get_integer (kf, "vault", "format", NULL);
  if (format > KOERS_FORMAT_NEWEST)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_FORMAT,
                   _("This vault was made by a newer version of Koers (format %d). Update Koers to open it."),
                   format);
      return NULL;
    }
  if (format < KOERS_FORMAT_OLDEST ||
      g_key_file_get_integer (kf, "vault", "page-reserve", NULL) != KOERS_PAGE_RESERVE ||
      !names_page_cipher (kf, (guint) format))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                   _("The vault’s key file is damaged."));
      return NULL;
    }
  if (!koers_cipher_format_is_usable ((guint) format))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_FORMAT,
                   _("This vault is encrypted with AES, and this computer’s processor has no AES "
                     "instructions (AES-NI), so Koers cannot open it here. Open it on a computer "
                     "with a newer processor."));
      return NULL;
    }
  keyfile->format = (guint) format;
  if (!(keyfile->current = load_ring (kf, "current", error)))
    return NULL;
  if (g_key_file_has_group (kf, "pending") && !(keyfile->pending = load_ring (kf, "pending", error)))
    return NULL;
  if (!all_groups_known (kf, text, keyfile, error))
    return NULL;
  return g_steal_pointer (&keyfile);
}

/* --- recovery key ----------------------------------------------------- */

char *
koers_recovery_key_generate (void)
{
  guint8 raw[RECOVERY_BYTES];
  GString *out = g_string_new (NULL);
  guint bits = 0, acc = 0, n = 0;

  randombytes_buf (raw, sizeof raw);
  for (guint i = 0; i < sizeof raw; i++)
    {
      acc = (acc << 8) | raw[i];
      bits += 8;
      while (bits >= 5)
        {
          if (n > 0 && n % RECOVERY_GROUP == 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, CROCKFORD[(acc >> (bits - 5)) & 31]);
          bits -= 5;
          n++;
        }
    }
  sodium_memzero (raw, sizeof raw);
  acc = 0;
  return g_string_free (out, FALSE);
}

char *
koers_recovery_key_normalize (const char *typed)
{
  GString *out = g_string_new (NULL);

  for (const char *p = typed; *p; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '\r')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      if (strchr (CROCKFORD, c) == NULL || c == '\0')
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (out->len > 0 && out->len % (RECOVERY_GROUP + 1) == RECOVERY_GROUP)
        g_string_append_c (out, '-');
      g_string_append_c (out, c);
    }
  if (out->len != RECOVERY_BYTES * 8 / 5 + (RECOVERY_BYTES * 8 / 5 / RECOVERY_GROUP - 1))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}
