/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-vault.h"
#include "koers-vault-private.h"
#include "koers-cipher.h"
#include "koers-keyfile.h"
#include "koers-vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#define DB_FILE      "koers.db"
#define KEYS_FILE    "koers.keys"
#define REKEY_SUFFIX ".rekey"
#define APPLICATION_ID_MAGIC 0x4b4f4552  /* "KOER" */
#define MAX_NAME_CHARS 100

struct _KoersVault
{
  GObject parent_instance;

  char         *dir;
  char         *db_path;     /* as SQLite names it */
  char         *keys_path;
  KoersKeyfile *keyfile;

  /* Only while unlocked: */
  guint8       *master_key;  /* sodium_malloc */
  guint8       *slot_key;    /* the unlocking slot's key, for a rekey */
  char         *unlocked_by;
  KoersCipher  *cipher;
  sqlite3      *db;
};

G_DEFINE_FINAL_TYPE (KoersVault, koers_vault, G_TYPE_OBJECT)
G_DEFINE_QUARK (koers-vault-error-quark, koers_vault_error)

static const char connection_setup[] =
  "PRAGMA temp_store=MEMORY;"   /* temp tables, sorts and statement journals stay in memory */
  "PRAGMA mmap_size=0;"
  "PRAGMA secure_delete=ON;"
  "PRAGMA cell_size_check=ON;"
  "PRAGMA trusted_schema=OFF;"
  "PRAGMA foreign_keys=ON;"
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=FULL;"    /* a laptop's battery dies: commits must survive it */
  /* Every page the cache misses costs a decryption (3-4 us); a larger
   * cache keeps a consultation hour's working set decrypted in memory.
   * The one setting for every connection (docs/vault-format.md). */
  "PRAGMA cache_size=-65536;";

KoersKdfParams
koers_kdf_params_default (void)
{
  /* About 0.7 s and 256 MiB on a 2-core laptop: see docs/benchmarks.md. */
  return (KoersKdfParams) { crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE };
}

KoersKdfParams
koers_kdf_params_minimum (void)
{
  return (KoersKdfParams) { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
}

/* The recovery key carries 200 random bits: a light KDF is enough. */
static KoersKdfParams
recovery_params (const KoersKdfParams *person)
{
  return (KoersKdfParams) {
    MIN (person->opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE),
    MIN (person->memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE),
  };
}

void
koers_vault_free_secret (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* --- errors ----------------------------------------------------------- */

static const char *
file_kind_name (KoersVfsFileKind kind)
{
  switch (kind)
    {
    case KOERS_VFS_FILE_WAL: return _("the write-ahead log");
    case KOERS_VFS_FILE_JOURNAL: return _("the rollback journal");
    case KOERS_VFS_FILE_DB:
    default: return _("the database");
    }
}

static void
set_tamper_error (GError **error, KoersVfsFileKind kind, guint32 pgno)
{
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED,
               _("The vault is damaged or has been tampered with (page %u of %s). "
                 "Nothing was read from it; restore a backup."),
               pgno, file_kind_name (kind));
}

void
koers_vault_set_sqlite_error (GError    **error,
                              sqlite3    *db,
                              int         rc,
                              const char *what)
{
  KoersVfsFileKind kind;
  guint32 pgno;
  gboolean auth_failed = koers_vfs_take_auth_failure (&kind, &pgno);

  /* The flag may be left from an earlier failure on this thread (SQLite
   * reads on after an error, e.g. while closing): another I/O error or a
   * full disk is what it says, not tampering. */
  if ((rc & 0xff) == SQLITE_FULL ||
      ((rc & 0xff) == SQLITE_IOERR && rc != SQLITE_IOERR && rc != SQLITE_IOERR_DATA))
    auth_failed = FALSE;
  if (auth_failed || (rc & 0xff) == SQLITE_NOTADB)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                     _("This file is not a Koers vault, or it is damaged."));
      else
        set_tamper_error (error, kind, pgno);
      return;
    }
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_DISK_FULL,
                   _("The disk is full while %s. Nothing saved earlier was lost; "
                     "free some space and try again."), what);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_BUSY,
                   _("The vault is in use by another program while %s."), what);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                   _("The vault is damaged (%s)."), what);
      break;
    default:
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_IO,
                   _("The disk reported an error while %s (%s). "
                     "Nothing saved earlier was lost."), what,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      break;
    }
}

static gboolean
require_unlocked (KoersVault *self, GError **error)
{
  if (self->master_key != NULL)
    return TRUE;
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED,
               _("The vault is locked."));
  return FALSE;
}

/* --- connections ------------------------------------------------------ */

static gboolean
exec_setup (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  koers_vault_set_sqlite_error (error, db, rc, what);
  return FALSE;
}

/* Opens @path through the vault's VFS (its cipher must be bound). A new
 * database gets its reserve bytes before the first page is written. */
sqlite3 *
koers_vault_open_db (const char *path,
                     gboolean    create,
                     GError    **error)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE | (create ? SQLITE_OPEN_CREATE : 0);
  sqlite3 *db = NULL;
  int rc;

  koers_vfs_ensure_registered ();
  rc = sqlite3_open_v2 (path, &db, flags, KOERS_VFS_NAME);
  if (rc != SQLITE_OK)
    {
      koers_vault_set_sqlite_error (error, db, rc, _("opening the vault"));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  if (create)
    {
      int reserve = KOERS_PAGE_RESERVE;

      sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
      if (!exec_setup (db, "PRAGMA page_size=" G_STRINGIFY (KOERS_PAGE_SIZE) ";", _("creating the vault"), error))
        goto fail;
    }
  if (!exec_setup (db, connection_setup, _("opening the vault"), error))
    goto fail;
  if (create && !exec_setup (db, "PRAGMA application_id=" G_STRINGIFY (APPLICATION_ID_MAGIC) ";",
                             _("creating the vault"), error))
    goto fail;
  if (!exec_setup (db, "SELECT count(*) FROM sqlite_schema;", _("opening the vault"), error))
    goto fail;
  return db;

fail:
  sqlite3_close (db);
  return NULL;
}

/* Is @path's page 1 sealed by @cipher? A raw read, outside SQLite, used to
 * tell which key a database has after an interrupted rekey. */
gboolean
koers_vault_db_file_matches (const char  *path,
                             KoersCipher *cipher)
{
  g_autofree guint8 *page = NULL;
  guint8 hdr[KOERS_CLEAR_HDR_END];
  guint32 page_size;
  gboolean ok = FALSE;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  if (pread (fd, hdr, sizeof hdr, 0) == (ssize_t) sizeof hdr)
    {
      page_size = (guint32) hdr[16] << 8 | hdr[17];
      page_size = page_size == 1 ? 65536 : page_size;
      if (page_size >= 1024 && page_size <= 65536)
        {
          page = g_malloc (page_size);
          ok = pread (fd, page, page_size, 0) == (ssize_t) page_size &&
               koers_cipher_open_page (cipher, page, page_size, 1);
          sodium_memzero (page, page_size);
        }
    }
  close (fd);
  return ok;
}

/* --- life cycle ------------------------------------------------------- */

static void
koers_vault_finalize (GObject *object)
{
  KoersVault *self = KOERS_VAULT (object);

  koers_vault_lock (self);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->keys_path);
  koers_keyfile_free (self->keyfile);
  G_OBJECT_CLASS (koers_vault_parent_class)->finalize (object);
}

static void
koers_vault_class_init (KoersVaultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_vault_finalize;
}

static void
koers_vault_init (KoersVault *self)
{
}

static KoersVault *
vault_new_for_dir (const char *dir)
{
  KoersVault *self = g_object_new (KOERS_TYPE_VAULT, NULL);
  g_autofree char *db = g_build_filename (dir, DB_FILE, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  self->dir = g_strdup (dir);
  self->db_path = koers_vfs_full_path (db);
  self->keys_path = g_build_filename (dir, KEYS_FILE, NULL);
  return self;
}

gboolean
koers_vault_exists (const char *dir)
{
  g_autofree char *keys = g_build_filename (dir, KEYS_FILE, NULL);

  return g_file_test (keys, G_FILE_TEST_EXISTS);
}

const char *
koers_vault_get_dir (KoersVault *self)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  return self->dir;
}

const char *
koers_vault_get_db_path (KoersVault *self)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  return self->db_path;
}

gboolean
koers_vault_is_unlocked (KoersVault *self)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  return self->master_key != NULL;
}

const char *
koers_vault_get_unlocked_by (KoersVault *self)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  return self->unlocked_by;
}

sqlite3 *
koers_vault_get_db (KoersVault *self)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  return self->db;
}

sqlite3 *
koers_vault_open_connection (KoersVault *self,
                             GError    **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  if (!require_unlocked (self, error))
    return NULL;
  return koers_vault_open_db (self->db_path, FALSE, error);
}

static void
close_db (KoersVault *self)
{
  if (self->db == NULL)
    return;
  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      /* Someone above still holds statements: let SQLite close it when
       * they are finalized, but say so, it is a bug there. */
      g_warning ("The vault was locked while statements were still open");
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
}

static void
forget_keys (KoersVault *self)
{
  g_clear_pointer (&self->master_key, sodium_free);
  g_clear_pointer (&self->slot_key, sodium_free);
  g_clear_pointer (&self->unlocked_by, g_free);
  g_clear_pointer (&self->cipher, koers_cipher_unref);
}

void
koers_vault_lock (KoersVault *self)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  close_db (self);
  if (self->cipher)
    koers_vfs_unbind (self->db_path);
  forget_keys (self);
}

/* Tests make vaults of an older format with this, and keep them at it. */
static guint format_for_testing;

void
koers_vault_set_format_for_testing (guint format)
{
  g_return_if_fail (format == 0 || koers_cipher_format_is_usable (format));
  format_for_testing = format;
}

static guint
new_vault_format (void)
{
  return format_for_testing != 0 ? format_for_testing : koers_cipher_format_for_new_vault ();
}

/* Does the WAL hold no frame? Then no byte on disk depends on the WAL
 * checksum mask, the one thing formats 1 and 2 differ in. */
static gboolean
wal_has_no_frames (KoersVault *self)
{
  g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
  GStatBuf st;

  if (g_stat (wal, &st) != 0)
    return errno == ENOENT;
  return st.st_size <= 32;  /* the WAL header alone, or nothing */
}

/* The format the vault's frames are written in, as koers.keys says it
 * now (another process may have raised it since this one read the file).
 * A format-1 vault takes format 2 (same page AEAD, the newer checksum
 * mask) when it is unlocked with no frame in its WAL (after a clean close, or right after a rekey). The
 * key file is saved, from what is on disk, before SQLite opens the
 * database, so no frame is ever written under the new mask while
 * koers.keys names the old one. When the save fails the vault stays at its
 * format; nothing is lost. A WAL with frames keeps the format: frames of
 * the old mask are read, recovered and written as before
 * (docs/vault-format.md, "Versioning"). */
static void
settle_format (KoersVault *self)
{
  g_autoptr(KoersKeyfile) on_disk = koers_keyfile_load (self->keys_path, NULL);
  g_autoptr(GError) local = NULL;
  guint old;

  if (on_disk == NULL)
    return;  /* keep the format read at open */
  old = on_disk->format;
  if (koers_cipher_format_upgraded (old) != old && format_for_testing == 0 && wal_has_no_frames (self))
    {
      on_disk->format = koers_cipher_format_upgraded (old);
      if (!koers_keyfile_save (on_disk, self->keys_path, &local))
        {
          g_debug ("The vault stays at format %u: %s", old, local->message);
          on_disk->format = old;
        }
    }
  self->keyfile->format = on_disk->format;
}

/* Takes ownership of the keys and opens the connection. */
static gboolean
finish_unlock (KoersVault *self,
               guint8     *master_key,
               guint8     *slot_key,
               const char *name,
               gboolean    create,
               GError    **error)
{
  self->master_key = master_key;
  self->slot_key = slot_key;
  self->unlocked_by = g_strdup (name);
  if (!create)
    settle_format (self);
  self->cipher = koers_cipher_new (master_key, self->keyfile->current->db_id, self->keyfile->format);
  koers_vfs_bind (self->db_path, self->cipher);
  if (!create && !koers_vault_check_wal (self->db_path, self->cipher, error))
    {
      koers_vault_lock (self);
      return FALSE;
    }
  self->db = koers_vault_open_db (self->db_path, create, error);
  if (self->db != NULL)
    return TRUE;
  koers_vault_lock (self);
  return FALSE;
}

/* --- create, open, unlock --------------------------------------------- */

static gboolean
validate_name (const char *name, GError **error)
{
  glong chars;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || *name == '\0')
    goto bad;
  chars = g_utf8_strlen (name, -1);
  if (chars > MAX_NAME_CHARS || g_unichar_isspace (g_utf8_get_char (name)))
    goto bad;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      goto bad;
  return TRUE;
bad:
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
               _("A name must be 1 to %d characters, without line breaks or leading spaces."),
               MAX_NAME_CHARS);
  return FALSE;
}

static gboolean
validate_passphrase (const char *passphrase, GError **error)
{
  if (passphrase != NULL && *passphrase != '\0' && g_utf8_validate (passphrase, -1, NULL))
    return TRUE;
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
               _("The passphrase must not be empty."));
  return FALSE;
}

static gboolean
save_keyfile (KoersVault *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (koers_keyfile_save (self->keyfile, self->keys_path, &local))
    return TRUE;
  /* The file on disk is still the old one, whole: go back to it. */
  koers_keyfile_free (self->keyfile);
  self->keyfile = koers_keyfile_load (self->keys_path, NULL);
  g_set_error (error, KOERS_VAULT_ERROR,
               g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ?
                 KOERS_VAULT_ERROR_DISK_FULL : KOERS_VAULT_ERROR_IO,
               "%s", local->message);
  g_return_val_if_fail (self->keyfile != NULL, FALSE);
  return FALSE;
}

static guint8 *
new_secret_key (void)
{
  guint8 *key = sodium_malloc (KOERS_KEY_BYTES);

  g_assert (key != NULL);
  randombytes_buf (key, KOERS_KEY_BYTES);
  return key;
}

static KoersSlot *
new_recovery_slot (const KoersKdfParams *params,
                   const guint8         *db_id,
                   const guint8         *master_key,
                   char                **recovery_key)
{
  KoersKdfParams rp = recovery_params (params);
  char *key = koers_recovery_key_generate ();
  KoersSlot *slot = koers_slot_new (KOERS_SLOT_RECOVERY, NULL, key, rp.opslimit, rp.memlimit,
                                    db_id, master_key, NULL);

  *recovery_key = key;
  return slot;
}

static gboolean
prepare_new_dir (const char *dir, GError **error)
{
  g_autofree char *db = g_build_filename (dir, DB_FILE, NULL);

  if (koers_vault_exists (dir) || g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS,
                   _("There is already a vault in this folder."));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, KOERS_VAULT_ERROR,
                   saved == ENOSPC ? KOERS_VAULT_ERROR_DISK_FULL : KOERS_VAULT_ERROR_IO,
                   _("Could not make the vault’s folder: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
remove_vault_files (const char *dir)
{
  static const char *const names[] = { DB_FILE, DB_FILE "-wal", DB_FILE "-shm",
                                       DB_FILE "-journal", KEYS_FILE };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
}

KoersVault *
koers_vault_create (const char           *dir,
                    const char           *name,
                    const char           *passphrase,
                    const KoersKdfParams *params,
                    char                **recovery_key,
                    GError              **error)
{
  KoersKdfParams kdf = params ? *params : koers_kdf_params_default ();
  g_autoptr(KoersVault) self = NULL;
  guint8 db_id[KOERS_DB_ID_BYTES];
  guint8 *master, *slot_key;
  KoersSlot *person, *recovery;

  g_return_val_if_fail (dir != NULL && recovery_key != NULL, NULL);
  if (!validate_name (name, error) || !validate_passphrase (passphrase, error) ||
      !prepare_new_dir (dir, error))
    return NULL;
  self = vault_new_for_dir (dir);
  randombytes_buf (db_id, sizeof db_id);
  master = new_secret_key ();
  slot_key = sodium_malloc (KOERS_KEY_BYTES);
  person = koers_slot_new (KOERS_SLOT_PERSON, name, passphrase, kdf.opslimit, kdf.memlimit,
                           db_id, master, slot_key);
  recovery = new_recovery_slot (&kdf, db_id, master, recovery_key);
  self->keyfile = g_new0 (KoersKeyfile, 1);
  self->keyfile->format = new_vault_format ();
  self->keyfile->current = koers_keyring_new (db_id);
  g_ptr_array_add (self->keyfile->current->slots, person);
  g_ptr_array_add (self->keyfile->current->slots, recovery);
  if (person == NULL || recovery == NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
                   _("Not enough memory to protect the passphrase."));
      goto fail_keys;
    }
  if (!koers_keyfile_save (self->keyfile, self->keys_path, error))
    goto fail_keys;
  /* From here the vault owns the keys and wipes them when it locks. */
  if (!finish_unlock (self, master, slot_key, name, TRUE, error))
    goto fail;
  return g_steal_pointer (&self);

fail_keys:
  sodium_free (master);
  sodium_free (slot_key);
fail:
  remove_vault_files (dir);
  g_clear_pointer (recovery_key, koers_vault_free_secret);
  return NULL;
}

KoersVault *
koers_vault_open (const char *dir,
                  GError    **error)
{
  g_autoptr(KoersVault) self = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  self = vault_new_for_dir (dir);
  if (!koers_vault_exists (dir) && g_file_test (self->db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NOT_FOUND,
                   _("This folder holds an unfinished vault: its key file is missing. "
                     "A backup that was cut off looks like this; make the backup again."));
      return NULL;
    }
  self->keyfile = koers_keyfile_load (self->keys_path, error);
  if (self->keyfile == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

char **
koers_vault_list_slots (KoersVault *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GPtrArray *slots;
  char **names;

  g_return_val_if_fail (KOERS_IS_VAULT (self), NULL);
  slots = self->keyfile->current->slots;
  for (guint i = 0; i < slots->len; i++)
    {
      KoersSlot *slot = g_ptr_array_index (slots, i);

      if (slot->kind == KOERS_SLOT_PERSON)
        g_strv_builder_add (builder, slot->name);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* Tries @secret on the slot (@kind, @name) of @ring. On success @master and
 * @slot_key (sodium memory) hold the keys. */
static gboolean
try_ring (KoersKeyring *ring, KoersSlotKind kind, const char *name, const char *secret,
          guint8 **master, guint8 **slot_key)
{
  KoersSlot *slot = ring ? koers_keyring_find (ring, kind, name) : NULL;
  guint8 *mk, *sk;

  if (slot == NULL)
    return FALSE;
  mk = sodium_malloc (KOERS_KEY_BYTES);
  sk = sodium_malloc (KOERS_KEY_BYTES);
  if (mk == NULL || sk == NULL || !koers_slot_derive_key (slot, secret, sk) ||
      !koers_slot_unwrap (slot, ring->db_id, sk, mk))
    {
      sodium_free (mk);
      sodium_free (sk);
      return FALSE;
    }
  *master = mk;
  *slot_key = sk;
  return TRUE;
}

static gboolean
ring_opens_db (KoersVault *self, KoersKeyring *ring, const guint8 *master)
{
  g_autoptr(KoersCipher) cipher = koers_cipher_new (master, ring->db_id, self->keyfile->format);

  return koers_vault_db_file_matches (self->db_path, cipher);
}

/* The new-key copy and what SQLite made beside it (a journal when its
 * first transaction spilled, in any journal mode). */
static void
remove_rekey_leftover (KoersVault *self)
{
  static const char *const suffixes[] = { REKEY_SUFFIX, REKEY_SUFFIX "-journal",
                                          REKEY_SUFFIX "-wal", REKEY_SUFFIX "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->db_path, suffixes[i], NULL);
      g_unlink (path);
    }
}

/* A rekey was interrupted: settle on the generation the database has.
 * Sets @use_pending when that is the new one. */
static gboolean
settle_pending_rekey (KoersVault *self, guint8 *cur_master, guint8 *pend_master,
                      gboolean *use_pending, GError **error)
{
  KoersKeyfile *kf = self->keyfile;

  *use_pending = pend_master && ring_opens_db (self, kf->pending, pend_master);
  if (*use_pending)
    {
      koers_keyring_free (kf->current);
      kf->current = g_steal_pointer (&kf->pending);
    }
  else if (cur_master && ring_opens_db (self, kf->current, cur_master))
    g_clear_pointer (&kf->pending, koers_keyring_free);
  else
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE,
                   _("A change of the vault’s key was interrupted. The person who started it "
                     "must unlock the vault first."));
      return FALSE;
    }
  remove_rekey_leftover (self);
  return save_keyfile (self, error);
}

static gboolean
unlock_with_secret (KoersVault *self, KoersSlotKind kind, const char *name, const char *secret,
                    GError **error)
{
  KoersKeyfile *kf = self->keyfile;
  guint8 *cur_m = NULL, *cur_k = NULL, *pend_m = NULL, *pend_k = NULL;
  gboolean use_pending = FALSE;
  gboolean opened;

  koers_vault_lock (self);
  try_ring (kf->current, kind, name, secret, &cur_m, &cur_k);
  try_ring (kf->pending, kind, name, secret, &pend_m, &pend_k);
  if (cur_m == NULL && pend_m == NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE,
                   kind == KOERS_SLOT_RECOVERY ? _("This recovery key does not open the vault.")
                                               : _("This name and passphrase do not open the vault."));
      return FALSE;
    }
  if (kf->pending == NULL)
    remove_rekey_leftover (self);  /* a rekey that failed and was rolled back */
  if (kf->pending == NULL || settle_pending_rekey (self, cur_m, pend_m, &use_pending, error))
    opened = use_pending ? finish_unlock (self, g_steal_pointer (&pend_m), g_steal_pointer (&pend_k),
                                          name, FALSE, error)
                         : finish_unlock (self, g_steal_pointer (&cur_m), g_steal_pointer (&cur_k),
                                          name, FALSE, error);
  else
    opened = FALSE;
  g_clear_pointer (&cur_m, sodium_free);
  g_clear_pointer (&cur_k, sodium_free);
  g_clear_pointer (&pend_m, sodium_free);
  g_clear_pointer (&pend_k, sodium_free);
  return opened;
}

gboolean
koers_vault_unlock (KoersVault *self,
                    const char *name,
                    const char *passphrase,
                    GError    **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  g_return_val_if_fail (name != NULL && passphrase != NULL, FALSE);
  return unlock_with_secret (self, KOERS_SLOT_PERSON, name, passphrase, error);
}

gboolean
koers_vault_unlock_with_recovery_key (KoersVault *self,
                                      const char *recovery_key,
                                      GError    **error)
{
  g_autoptr(KoersVaultSecret) canonical = NULL;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  g_return_val_if_fail (recovery_key != NULL, FALSE);
  canonical = koers_recovery_key_normalize (recovery_key);
  if (canonical == NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE,
                   _("This is not a recovery key: it has 40 letters and digits in groups of five."));
      return FALSE;
    }
  return unlock_with_secret (self, KOERS_SLOT_RECOVERY, NULL, canonical, error);
}

/* --- slots ------------------------------------------------------------ */

static KoersSlot *
find_person (KoersVault *self, const char *name, GError **error)
{
  KoersSlot *slot = koers_keyring_find (self->keyfile->current, KOERS_SLOT_PERSON, name);

  if (slot == NULL)
    g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NO_SUCH_SLOT,
                 _("Nobody called “%s” can open this vault."), name);
  return slot;
}

static gboolean
name_is_free (KoersVault *self, const char *name, GError **error)
{
  if (koers_keyring_find (self->keyfile->current, KOERS_SLOT_PERSON, name) == NULL)
    return TRUE;
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_SLOT_EXISTS,
               _("Someone called “%s” can already open this vault."), name);
  return FALSE;
}

static guint
slot_index (KoersVault *self, KoersSlot *slot)
{
  guint index = 0;
  gboolean found = g_ptr_array_find (self->keyfile->current->slots, slot, &index);

  g_assert (found);
  return index;
}

/* Puts @fresh where @old was (or at the end) and saves. */
static gboolean
store_slot (KoersVault *self, KoersSlot *old, KoersSlot *fresh, GError **error)
{
  GPtrArray *slots = self->keyfile->current->slots;

  if (fresh == NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
                   _("Not enough memory to protect the passphrase."));
      return FALSE;
    }
  if (old)
    {
      guint index = slot_index (self, old);
      koers_slot_free (g_ptr_array_index (slots, index));
      g_ptr_array_index (slots, index) = fresh;
    }
  else
    g_ptr_array_add (slots, fresh);
  return save_keyfile (self, error);
}

static KoersSlot *
new_person_slot (KoersVault *self, const char *name, const char *passphrase,
                 const KoersKdfParams *params, const guint8 *master)
{
  KoersKdfParams kdf = params ? *params : koers_kdf_params_default ();

  return koers_slot_new (KOERS_SLOT_PERSON, name, passphrase, kdf.opslimit, kdf.memlimit,
                         self->keyfile->current->db_id, master, NULL);
}

gboolean
koers_vault_add_slot (KoersVault           *self,
                      const char           *name,
                      const char           *passphrase,
                      const KoersKdfParams *params,
                      GError              **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!require_unlocked (self, error) || !validate_name (name, error) ||
      !validate_passphrase (passphrase, error) || !name_is_free (self, name, error))
    return FALSE;
  return store_slot (self, NULL, new_person_slot (self, name, passphrase, params, self->master_key), error);
}

gboolean
koers_vault_remove_slot (KoersVault *self,
                         const char *name,
                         GError    **error)
{
  g_auto(GStrv) names = NULL;
  KoersSlot *slot;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!require_unlocked (self, error) || !(slot = find_person (self, name, error)))
    return FALSE;
  names = koers_vault_list_slots (self);
  if (g_strv_length (names) < 2)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
                   _("At least one person must be able to open the vault."));
      return FALSE;
    }
  g_ptr_array_remove_index (self->keyfile->current->slots, slot_index (self, slot));
  return save_keyfile (self, error);
}

gboolean
koers_vault_rename_slot (KoersVault *self,
                         const char *old_name,
                         const char *new_name,
                         GError    **error)
{
  KoersSlot *slot;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!require_unlocked (self, error) || !(slot = find_person (self, old_name, error)) ||
      !validate_name (new_name, error) || !name_is_free (self, new_name, error))
    return FALSE;
  g_free (slot->name);
  slot->name = g_strdup (new_name);
  return save_keyfile (self, error);
}

gboolean
koers_vault_set_passphrase (KoersVault           *self,
                            const char           *name,
                            const char           *passphrase,
                            const KoersKdfParams *params,
                            GError              **error)
{
  KoersSlot *slot;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!require_unlocked (self, error) || !(slot = find_person (self, name, error)) ||
      !validate_passphrase (passphrase, error))
    return FALSE;
  return store_slot (self, slot, new_person_slot (self, name, passphrase, params, self->master_key), error);
}

gboolean
koers_vault_change_passphrase (KoersVault           *self,
                               const char           *name,
                               const char           *old_passphrase,
                               const char           *new_passphrase,
                               const KoersKdfParams *params,
                               GError              **error)
{
  guint8 *master = NULL, *slot_key = NULL;
  KoersSlot *slot;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!(slot = find_person (self, name, error)) || !validate_passphrase (new_passphrase, error))
    return FALSE;
  if (!try_ring (self->keyfile->current, KOERS_SLOT_PERSON, name, old_passphrase, &master, &slot_key))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE,
                   _("The current passphrase is not right."));
      return FALSE;
    }
  ok = store_slot (self, slot, new_person_slot (self, name, new_passphrase, params, master), error);
  sodium_free (master);
  sodium_free (slot_key);
  return ok;
}

gboolean
koers_vault_reset_recovery_key (KoersVault *self,
                                char      **recovery_key,
                                GError    **error)
{
  KoersSlot *old, *fresh;

  g_return_val_if_fail (KOERS_IS_VAULT (self) && recovery_key != NULL, FALSE);
  if (!require_unlocked (self, error))
    return FALSE;
  old = koers_keyring_find (self->keyfile->current, KOERS_SLOT_RECOVERY, NULL);
  fresh = new_recovery_slot (&(KoersKdfParams) { old ? old->opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                 old ? old->memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE },
                             self->keyfile->current->db_id, self->master_key, recovery_key);
  if (store_slot (self, old, fresh, error))
    return TRUE;
  g_clear_pointer (recovery_key, koers_vault_free_secret);
  return FALSE;
}

/* --- rekey ------------------------------------------------------------ */

static gboolean
exec_sql (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  return exec_setup (db, sql, what, error);
}

static gboolean
sync_path (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && fsync (fd) == 0;
  int saved = errno;

  if (fd >= 0)
    close (fd);
  if (!ok)
    g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_IO,
                 _("Could not write the vault to disk: %s"), g_strerror (saved));
  return ok;
}

/* The next generation's keyring: the unlocking person's slot rewrapped
 * (same salt and cost, so the same passphrase), and a new recovery slot. */
static KoersKeyring *
next_keyring (KoersVault *self, const guint8 *master, char **recovery_key, GStrvBuilder *dropped)
{
  KoersKeyring *cur = self->keyfile->current;
  KoersSlot *mine = koers_keyring_find (cur, KOERS_SLOT_PERSON, self->unlocked_by);
  KoersSlot *old_recovery = koers_keyring_find (cur, KOERS_SLOT_RECOVERY, NULL);
  guint8 db_id[KOERS_DB_ID_BYTES];
  KoersKeyring *ring;
  KoersSlot *copy;

  randombytes_buf (db_id, sizeof db_id);
  ring = koers_keyring_new (db_id);
  copy = g_memdup2 (mine, sizeof *mine);
  copy->name = g_strdup (mine->name);
  koers_slot_wrap (copy, db_id, self->slot_key, master);
  g_ptr_array_add (ring->slots, copy);
  g_ptr_array_add (ring->slots,
                   new_recovery_slot (&(KoersKdfParams) { old_recovery->opslimit, old_recovery->memlimit },
                                      db_id, master, recovery_key));
  for (guint i = 0; i < cur->slots->len; i++)
    {
      KoersSlot *slot = g_ptr_array_index (cur->slots, i);

      if (slot->kind == KOERS_SLOT_PERSON && slot != mine)
        g_strv_builder_add (dropped, slot->name);
    }
  return ring;
}

/* Writes every page again under the new key into koers.db.rekey. */
static gboolean
write_rekeyed_copy (KoersVault *self, KoersCipher *cipher, GError **error)
{
  g_autofree char *path = g_strconcat (self->db_path, REKEY_SUFFIX, NULL);
  char *sql = sqlite3_mprintf ("VACUUM INTO %Q;", path);  /* sqlite3_free(), not g_free() */
  gboolean ok;

  g_unlink (path);
  koers_vfs_bind (path, cipher);
  ok = exec_sql (self->db, sql, _("changing the vault’s key"), error);
  sqlite3_free (sql);
  koers_vfs_unbind (path);
  return ok && sync_path (path, error);
}

/* The commit point: rename the new file over the old. Before it the old
 * generation is whole; after it the new one is (see settle_pending_rekey). */
static gboolean
swap_in_rekeyed_copy (KoersVault *self, GError **error)
{
  g_autofree char *path = g_strconcat (self->db_path, REKEY_SUFFIX, NULL);
  g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);

  close_db (self);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_BUSY,
                   _("The vault is still open elsewhere; close it there and try again."));
      return FALSE;
    }
  if (g_rename (path, self->db_path) != 0)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_IO,
                   _("Could not replace the vault’s database: %s"), g_strerror (errno));
      return FALSE;
    }
  return sync_path (self->dir, error);
}

/* Tests stop the world at these points to copy the folder, as a crash
 * there would leave it. Never set outside tests. */
static KoersVaultRekeyHook rekey_hook;
static gpointer rekey_hook_data;

void
koers_vault_set_rekey_hook_for_testing (KoersVaultRekeyHook hook,
                                        gpointer            data)
{
  rekey_hook = hook;
  rekey_hook_data = data;
}

static void
rekey_reached (KoersVault *self, const char *point)
{
  if (G_UNLIKELY (rekey_hook != NULL))
    rekey_hook (self, point, rekey_hook_data);
}

static KoersVaultRekeyHook backup_hook;
static gpointer backup_hook_data;

void
koers_vault_set_backup_hook_for_testing (KoersVaultRekeyHook hook,
                                         gpointer            data)
{
  backup_hook = hook;
  backup_hook_data = data;
}

static void
backup_reached (KoersVault *self, const char *point)
{
  if (G_UNLIKELY (backup_hook != NULL))
    backup_hook (self, point, backup_hook_data);
}

gboolean
koers_vault_rekey (KoersVault *self,
                   char      **recovery_key,
                   char     ***dropped,
                   GError    **error)
{
  g_autoptr(GStrvBuilder) dropped_names = g_strv_builder_new ();
  g_autoptr(KoersCipher) cipher = NULL;
  g_autofree char *name = NULL;
  guint8 *master = NULL;
  guint8 *slot_key = NULL;

  g_return_val_if_fail (KOERS_IS_VAULT (self) && recovery_key != NULL, FALSE);
  if (!require_unlocked (self, error))
    return FALSE;
  if (self->unlocked_by == NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID,
                   _("Unlock with your own name and passphrase to change the vault’s key."));
      return FALSE;
    }
  if (!exec_sql (self->db, "PRAGMA wal_checkpoint(TRUNCATE);", _("changing the vault’s key"), error))
    return FALSE;
  master = new_secret_key ();
  self->keyfile->pending = next_keyring (self, master, recovery_key, dropped_names);
  cipher = koers_cipher_new (master, self->keyfile->pending->db_id, self->keyfile->format);
  if (!save_keyfile (self, error))
    goto fail;
  rekey_reached (self, "pending-saved");
  if (!write_rekeyed_copy (self, cipher, error))
    goto fail;
  rekey_reached (self, "copy-written");
  if (!swap_in_rekeyed_copy (self, error))
    goto fail;
  rekey_reached (self, "renamed");
  koers_keyring_free (self->keyfile->current);
  self->keyfile->current = g_steal_pointer (&self->keyfile->pending);
  /* Even if this save fails, the next unlock settles on the new key. */
  save_keyfile (self, NULL);
  name = g_strdup (self->unlocked_by);
  slot_key = g_steal_pointer (&self->slot_key);
  koers_vault_lock (self);
  if (!finish_unlock (self, master, slot_key, name, FALSE, error))
    return FALSE;
  if (dropped)
    *dropped = g_strv_builder_end (dropped_names);
  return TRUE;

fail:
  sodium_free (master);
  g_clear_pointer (recovery_key, koers_vault_free_secret);
  if (self->db == NULL)
    return FALSE;  /* closed for the swap: unlock again settles it */
  remove_rekey_leftover (self);
  g_clear_pointer (&self->keyfile->pending, koers_keyring_free);
  save_keyfile (self, NULL);
  return FALSE;
}

/* --- verify and backup ------------------------------------------------ */

static gboolean
integrity_check (sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check;", -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (problem == NULL && g_strcmp0 (row, "ok") != 0)
        problem = g_strdup (row);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_vault_set_sqlite_error (error, db, rc, _("checking the vault"));
      return FALSE;
    }
  if (problem)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
                   _("The vault is damaged: %s"), problem);
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_vault_verify (KoersVault *self,
                    GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  if (!require_unlocked (self, error))
    return FALSE;
  /* A read transaction keeps our own checkpoints off the files meanwhile. */
  if (!exec_sql (self->db, "BEGIN; SELECT count(*) FROM sqlite_schema;", _("checking the vault"), error))
    return FALSE;
  ok = koers_vault_scan_files (self->db_path, self->cipher, error);
  sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL);
  return ok && integrity_check (self->db, error);
}

/* Pages per step when progress is reported: 4 MiB. */
#define BACKUP_STEP_PAGES 1024

typedef struct
{
  KoersVaultProgressFunc func;
  gpointer               data;
} Progress;

/* In one step without @progress; in steps of BACKUP_STEP_PAGES with it
 * (SQLite restarts a stepped backup when another connection writes). */
static gboolean
copy_pages (sqlite3 *src, sqlite3 *dest, const Progress *progress, GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", src, "main");
  int rc;

  if (backup == NULL)
    {
      koers_vault_set_sqlite_error (error, dest, sqlite3_errcode (dest), _("making a backup"));
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (backup, progress->func ? BACKUP_STEP_PAGES : -1);
      if (progress->func && (rc == SQLITE_OK || rc == SQLITE_DONE))
        {
          int total = sqlite3_backup_pagecount (backup);
          progress->func ((guint) (total - sqlite3_backup_remaining (backup)), (guint) total,
                          progress->data);
        }
    }
  while (rc == SQLITE_OK);
  sqlite3_backup_finish (backup);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_vault_set_sqlite_error (error, dest, rc, _("making a backup"));
  return FALSE;
}

/* A backup is built in a hidden folder beside its destination and renamed
 * into place when whole, so a backup cut off by a crash or a pulled USB
 * stick is never mistaken for a good one. The name is fixed so the next
 * backup to the same place clears what a killed one left. */
static char *
partial_backup_dir (const char *dest_dir)
{
  g_autofree char *clean = g_canonicalize_filename (dest_dir, NULL);
  g_autofree char *parent = g_path_get_dirname (clean);
  g_autofree char *base = g_path_get_basename (clean);
  g_autofree char *name = g_strdup_printf (".%s.koers-partial", base);

  return g_build_filename (parent, name, NULL);
}

static void
remove_partial_backup (const char *partial)
{
  remove_vault_files (partial);
  g_rmdir (partial);
}

/* The destination must not hold a vault; an empty folder is fine (rename
 * replaces it), a folder with other files is not. */
static gboolean
backup_dest_is_free (const char *dest_dir, GError **error)
{
  g_autofree char *db = g_build_filename (dest_dir, DB_FILE, NULL);
  g_autoptr(GDir) dir = NULL;

  if (koers_vault_exists (dest_dir) || g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS,
                   _("There is already a vault in this folder."));
      return FALSE;
    }
  dir = g_dir_open (dest_dir, 0, NULL);
  if (dir != NULL && g_dir_read_name (dir) != NULL)
    {
      g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS,
                   _("The folder for the backup is not empty. Choose a new or empty folder."));
      return FALSE;
    }
  return TRUE;
}

/* The database first, the key file last: a folder without its key file is
 * no vault (koers_vault_open() says it is unfinished). */
static gboolean
write_backup (KoersVault *self, KoersVault *dest, const Progress *progress, GError **error)
{
  g_autoptr(KoersKeyfile) keys = g_new0 (KoersKeyfile, 1);
  sqlite3 *db;
  gboolean ok;

  koers_vfs_bind (dest->db_path, self->cipher);
  db = koers_vault_open_db (dest->db_path, TRUE, error);
  ok = db != NULL && copy_pages (self->db, db, progress, error);
  if (db)
    sqlite3_close (db);  /* the last connection: checkpoints and removes the WAL */
  koers_vfs_unbind (dest->db_path);
  if (!ok || !sync_path (dest->db_path, error))
    return FALSE;
  /* The copy is the same vault: same id, key, slots and format. */
  keys->format = self->keyfile->format;
  keys->current = self->keyfile->current;
  ok = koers_keyfile_save (keys, dest->keys_path, error);
  keys->current = NULL;
  return ok && sync_path (dest->dir, error);
}

static gboolean
rename_backup_into_place (const char *partial, const char *dest_dir, GError **error)
{
  g_autofree char *parent = NULL;

  if (g_rename (partial, dest_dir) != 0)
    {
      int saved = errno;
      g_set_error (error, KOERS_VAULT_ERROR,
                   saved == ENOSPC ? KOERS_VAULT_ERROR_DISK_FULL : KOERS_VAULT_ERROR_IO,
                   _("Could not put the backup in its folder: %s"), g_strerror (saved));
      return FALSE;
    }
  parent = g_path_get_dirname (dest_dir);
  return sync_path (parent, error);
}

gboolean
koers_vault_backup (KoersVault *self,
                    const char *dest_dir,
                    GError    **error)
{
  return koers_vault_backup_with_progress (self, dest_dir, NULL, NULL, error);
}

gboolean
koers_vault_backup_with_progress (KoersVault            *self,
                                  const char            *dest_dir,
                                  KoersVaultProgressFunc progress,
                                  gpointer               user_data,
                                  GError               **error)
{
  g_autoptr(KoersVault) dest = NULL;
  g_autofree char *partial = NULL;
  Progress report = { progress, user_data };

  g_return_val_if_fail (KOERS_IS_VAULT (self) && dest_dir != NULL, FALSE);
  if (!require_unlocked (self, error) || !backup_dest_is_free (dest_dir, error))
    return FALSE;
  partial = partial_backup_dir (dest_dir);
  remove_partial_backup (partial);
  if (!prepare_new_dir (partial, error))
    return FALSE;
  dest = vault_new_for_dir (partial);
  if (write_backup (self, dest, &report, error))
    {
      backup_reached (self, "written");
      if (rename_backup_into_place (partial, dest_dir, error))
        return TRUE;
    }
  remove_partial_backup (partial);
  return FALSE;
}
