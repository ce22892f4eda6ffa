/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-reader.h: reads the store off the main thread. The reader
 * owns a second connection to the unlocked vault and a KoersStore over it
 * (opened by the first job); jobs run one at a time on one worker thread,
 * and their results come back on the main context of the caller.
 *
 * A read job only reads (WAL lets it work while another connection
 * writes). A write job is how the app saves what a person typed: its
 * commit (and the commit's fsync, which a laptop's disk may hold for a
 * few hundred milliseconds) happens here, not on the main thread; jobs
 * queued after it read what it wrote. koers_store_reader_close() must run
 * before the vault locks, and before the last reference goes. */
#pragma once

#include <gio/gio.h>

#include "store/koers-client-file.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

G_BEGIN_DECLS

#define KOERS_TYPE_STORE_READER (koers_store_reader_get_type ())
G_DECLARE_FINAL_TYPE (KoersStoreReader, koers_store_reader, KOERS, STORE_READER, GObject)

/* Runs on the worker thread. Returns the result (NULL is a valid one when
 * @error stays unset). @cancellable is cancelled when the caller's is, or
 * when the reader closes; a long job checks it between queries. */
typedef gpointer (*KoersStoreReadFunc) (KoersStore    *store,
                                        gpointer       data,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_GNUC_WARN_UNUSED_RESULT
KoersStoreReader *koers_store_reader_new        (KoersVault          *vault,
                                                 GError             **error);

/* Queues @func (@data is freed with @data_free once the job is done; a
 * result nobody takes is freed with @result_free). @callback runs on the
 * thread-default main context of this call. */
void              koers_store_reader_run_async  (KoersStoreReader   *self,
                                                 KoersStoreReadFunc  func,
                                                 gpointer            data,
                                                 GDestroyNotify      data_free,
                                                 GDestroyNotify      result_free,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* The job's result (the caller owns it), or NULL with @error set; a job
 * whose cancellable was cancelled always ends in G_IO_ERROR_CANCELLED. */
gpointer          koers_store_reader_run_finish (KoersStoreReader   *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Runs @func as a write job: like a read job, but never cancelled (not
 * by closing either: koers_store_reader_close() waits for it), with the
 * current worker and the clock @store has when it is queued. Once @func
 * has returned without an error, @store emits "changed" (unless the
 * reader was closed meanwhile); then @callback runs on the thread-default
 * main context of this call. */
void              koers_store_reader_write_async  (KoersStoreReader   *self,
                                                   KoersStore         *store,
                                                   KoersStoreReadFunc  func,
                                                   gpointer            data,
                                                   GDestroyNotify      data_free,
                                                   GDestroyNotify      result_free,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
gpointer          koers_store_reader_write_finish (KoersStoreReader   *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
/* FALSE once koers_store_reader_close() ran (the session is locking). */
gboolean          koers_store_reader_is_open      (KoersStoreReader   *self);
/* Write jobs queued or running whose callback has not yet run. */
guint             koers_store_reader_get_n_writes (KoersStoreReader   *self);

/* Cancels the queued read jobs, interrupts the running one, lets the
 * write jobs finish, waits for the worker and closes the connection.
 * Jobs queued after this fail with G_IO_ERROR_CLOSED. Safe to call
 * twice. */
void              koers_store_reader_close      (KoersStoreReader   *self);

/* A client's file, read as koers_store_read_file() does (no audit entry:
 * the main connection records an opening). */
void              koers_store_reader_read_file_async  (KoersStoreReader   *self,
                                                       const char         *client_id,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
KoersClientFile  *koers_store_reader_read_file_finish (KoersStoreReader   *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
