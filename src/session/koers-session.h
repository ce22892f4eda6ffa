/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-session.h: one open vault and what stands on it, below any window.
 *
 * A session owns the vault (locked or not), the store over its connection,
 * the store reader (a second connection on a worker thread), the current
 * worker, and (with the sync issue) the sync engine. It owns the order in
 * which they open and close:
 *
 *   unlock:  vault (KDF in a worker)  ->  store  ->  current worker  ->  reader
 *            [-> checkpoints on the reader's thread after commits]
 *            [-> sync engine, with KOERS_SESSION_SYNC and an enrollment]
 *   lock:    "locking"  ->  reader cancelled and joined  ->  sync engine:
 *            one short round (at most 2 s), then stopped  ->  store closed
 *            ->  vault locked (master key wiped)
 *
 * The window, the preferences and koers-cli hold a session, not the
 * pieces. GLib only: no GTK. */
#pragma once

#include <gio/gio.h>

#include "store/koers-store.h"
#include "store/koers-store-reader.h"
#include "sync/koers-sync-engine.h"
#include "vault/koers-vault.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SESSION (koers_session_get_type ())
G_DECLARE_FINAL_TYPE (KoersSession, koers_session, KOERS, SESSION, GObject)

typedef enum
{
  KOERS_SESSION_NONE = 0,
  /* Opening the store makes a worker record for a slot that has none
   * (the app); without it only an active worker of that name is used
   * (koers-cli). */
  KOERS_SESSION_ADOPT_WORKER = 1 << 0,
  /* The main connection never checkpoints the WAL inside a commit (on the
   * thread that saves: the app's main thread); a passive checkpoint runs
   * on the reader's thread after commits instead (the app). */
  KOERS_SESSION_BACKGROUND_CHECKPOINT = 1 << 1,
  /* Opening the store starts the sync engine when the vault is enrolled
   * (the app; koers-cli runs its rounds itself). */
  KOERS_SESSION_SYNC = 1 << 2,
} KoersSessionFlags;

/* Argon2id cost for new slots: the vault's default, or the minimum when the
 * environment has KOERS_KDF=minimum (tests and screenshots only). */
KoersKdfParams  koers_session_kdf_params           (void);

KoersSession   *koers_session_new                  (const char           *vault_dir,
                                                    KoersSessionFlags     flags);

const char     *koers_session_get_vault_dir        (KoersSession         *self);
/* Whether the folder holds a vault (nothing is read). */
gboolean        koers_session_vault_exists         (KoersSession         *self);
/* Reads the key slots of the folder's vault (quick: no KDF); it stays
 * locked. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_open_vault           (KoersSession         *self,
                                                    GError              **error);

/* The vault (NULL before it is opened or created), the store and its
 * reader (NULL unless the session is open). Borrowed. */
KoersVault     *koers_session_get_vault            (KoersSession         *self);
KoersStore     *koers_session_get_store            (KoersSession         *self);
KoersStoreReader *koers_session_get_reader         (KoersSession         *self);
/* Whether the store is open: the vault is unlocked and a person named. */
gboolean        koers_session_is_open              (KoersSession         *self);
/* The vault is unlocked (also between a recovery-key unlock and the take
 * over, when the store is not open yet). */
gboolean        koers_session_is_unlocked          (KoersSession         *self);
/* The worker changes are recorded for, or NULL. */
const char     *koers_session_get_worker_id        (KoersSession         *self);
/* Whether the person who opened the vault may manage who opens it: a
 * coordinator, or anyone while nobody is named (recovery key, or a worker
 * record not found). FALSE while locked. */
gboolean        koers_session_is_coordinator       (KoersSession         *self);

/* Makes a new vault in the session's folder, unlocked; the recovery key is
 * returned once (free with koers_vault_free_secret()). @steunpunt and @role
 * are the first worker's, made when the store opens. */
void            koers_session_create_async         (KoersSession         *self,
                                                    const char           *name,
                                                    const char           *passphrase,
                                                    const char           *steunpunt,
                                                    KoersRole             role,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_create_finish        (KoersSession         *self,
                                                    GAsyncResult         *result,
                                                    char                **recovery_key,
                                                    GError              **error);

/* Unlocks the vault (the KDF runs in a worker). A cancelled unlock leaves
 * the vault locked. Then open the store with koers_session_open_store(). */
void            koers_session_unlock_async         (KoersSession         *self,
                                                    const char           *name,
                                                    const char           *passphrase,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_unlock_finish        (KoersSession         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* The same, blocking (koers-cli). */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_unlock               (KoersSession         *self,
                                                    const char           *name,
                                                    const char           *passphrase,
                                                    GError              **error);

/* Opens the vault with the recovery key (typed as a person types it).
 * Nobody is named, so the store stays closed until a take over. */
void            koers_session_unlock_with_key_async  (KoersSession       *self,
                                                      const char         *recovery_key,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_unlock_with_key_finish (KoersSession       *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/* After a recovery-key unlock: gives @name (a new slot when @new_person)
 * @passphrase, then unlocks again as @name, so that the vault names its
 * opener as after any unlock. On failure the vault may be locked. */
void            koers_session_take_over_async      (KoersSession         *self,
                                                    const char           *name,
                                                    const char           *passphrase,
                                                    gboolean              new_person,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_take_over_finish     (KoersSession         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Once the vault is unlocked: opens the store, picks (or, with
 * KOERS_SESSION_ADOPT_WORKER, makes) the current worker and starts the
 * reader. On failure everything is closed again and the vault locked. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_open_store           (KoersSession         *self,
                                                    GError              **error);

/* Emits "locking" (drop every reference to the store and the reader now),
 * cancels and joins the reader's jobs, closes the store and locks the
 * vault. A vault call still running in a worker locks the vault when it
 * ends. Safe to call when locked. */
void            koers_session_lock                 (KoersSession         *self);

/* With KOERS_SESSION_SYNC or not: starts the sync engine if the store is
 * open and the vault enrolled (call it after koers_sync_enroll()); an
 * engine that runs already begins a round with the new enrollment.
 * Returns whether an engine runs. */
gboolean        koers_session_start_sync           (KoersSession         *self);
/* The engine (borrowed; NULL unless open and enrolled): "sync-engine" is
 * notified when it comes and goes. */
KoersSyncEngine *koers_session_get_sync_engine     (KoersSession         *self);

/* Imports an enrollment file (koers_sync_enroll(), on a worker thread
 * with its own connection) and then starts (or restarts) the sync
 * engine. A bad file changes nothing and fails with its reason.
 * @device_id and @public_key: what the coordinator gives the office. */
void            koers_session_enroll_async         (KoersSession         *self,
                                                    GBytes               *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_session_enroll_finish        (KoersSession         *self,
                                                    GAsyncResult         *result,
                                                    char                **device_id,
                                                    char                **public_key,
                                                    GError              **error);

G_END_DECLS
