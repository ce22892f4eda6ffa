/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-dav-client.h: the drop, a WebDAV folder over HTTPS (libcurl).
 *
 * Made from the enrollment: the drop's base URL (https only, no user or
 * password in it), the user and app password (sent as HTTP basic auth,
 * never in a URL), optionally the drop's CA certificate (PEM, in memory;
 * then only that CA is trusted, else the system's) and optionally a pin:
 * the base64 SHA-256 of the server's public key (SubjectPublicKeyInfo),
 * "sha256//" in front optional, several separated by ';' while a key is
 * rotated, checked on top of the certificate (a malformed pin is refused
 * when the client is made). TLS is always verified; redirects are
 * followed to https only; a proxy comes from GIO's GProxyResolver (GNOME's
 * settings or the environment), else libcurl's own environment variables.
 * Connect timeout, low-speed limit and TCP keep-alive suit a weak mobile
 * link; `Expect:` is sent empty so a PUT never waits for 100 Continue.
 *
 * Every call BLOCKS: call them from a worker thread (one thread per client
 * at a time; the client keeps one connection open between calls). Each takes
 * a GCancellable, checked before and during the transfer, and fails with
 * G_IO_ERROR_CANCELLED when it is cancelled. Any other failure is in
 * KOERS_DAV_ERROR: koers_dav_error_is_retryable() says whether to try again
 * later (koers_dav_backoff_ms(), koers_dav_client_get_retry_after()) or to
 * stop and show the message to a person. See koers-dav-error.h.
 *
 * Paths are relative to the base URL, '/'-separated, not escaped (the
 * client escapes each segment, so names in any script are fine); a folder
 * may end in '/'. "." and ".." segments are refused.
 *
 * The sync engine uploads with koers_dav_put_once() (write-once on any
 * standard WebDAV server: PUT to a temporary name, MOVE with Overwrite: F)
 * and calls koers_dav_remove_leftovers() once per round; the office's pull
 * uses koers_dav_client_list(), _get() and _delete(), and writes acks with
 * _put(). docs/sync-format.md, "Transport", describes the exchange.
 */
#pragma once

#include <gio/gio.h>

#include "koers-dav-error.h"
#include "koers-dav-multistatus.h"

G_BEGIN_DECLS

/* Temporary names of put_once start with this; remove_leftovers deletes
 * exactly these. */
#define KOERS_DAV_TEMP_PREFIX "koers-tmp-"

#define KOERS_TYPE_DAV_CLIENT (koers_dav_client_get_type ())
G_DECLARE_FINAL_TYPE (KoersDavClient, koers_dav_client, KOERS, DAV_CLIENT, GObject)

KoersDavClient *koers_dav_client_new             (const char    *base_url,
                                                  const char    *user,
                                                  const char    *password,
                                                  GBytes        *ca_pem,
                                                  const char    *pin_sha256,
                                                  GError       **error) G_GNUC_WARN_UNUSED_RESULT;

/* A new client for the same server, account, CA, pin and timeouts, with
 * a connection of its own: a client is used by one thread at a time, so
 * another thread takes a copy (no progress function). */
KoersDavClient *koers_dav_client_copy            (KoersDavClient  *self,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;

/* Defaults: connect within 30 s; fail a transfer that moves fewer than
 * 100 bytes a second for 60 s. Tests shorten them. */
void            koers_dav_client_set_timeouts    (KoersDavClient *self,
                                                  guint           connect_timeout_s,
                                                  guint           low_speed_time_s);

/* Called from the calling (worker) thread during transfers, about once a
 * second and as bytes move: bytes sent and to send (a PUT), or received
 * and to receive (a GET; total 0 while unknown). Post it to the main loop. */
typedef void (*KoersDavProgressFunc) (guint64  done,
                                      guint64  total,
                                      gpointer user_data);

void            koers_dav_client_set_progress    (KoersDavClient       *self,
                                                  KoersDavProgressFunc  func,
                                                  gpointer              user_data);

/* The Retry-After of the last answer (seconds; 0 when none or unreadable). */
guint           koers_dav_client_get_retry_after (KoersDavClient *self);

/* The HTTP status of the last answer (0 when none came). */
guint           koers_dav_client_get_last_status (KoersDavClient *self);

gboolean        koers_dav_client_put             (KoersDavClient *self,
                                                  const char     *path,
                                                  GBytes         *body,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* A file of at most @max_size bytes; a larger one fails with
 * KOERS_DAV_ERROR_RESPONSE_TOO_LARGE before it is all read. */
GBytes         *koers_dav_client_get             (KoersDavClient *self,
                                                  const char     *path,
                                                  gsize           max_size,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* MOVE with Overwrite: F: KOERS_DAV_ERROR_EXISTS when @to is taken. */
gboolean        koers_dav_client_move            (KoersDavClient *self,
                                                  const char     *from,
                                                  const char     *to,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* MKCOL @folder and any missing parent (409); an existing folder is fine. */
gboolean        koers_dav_client_make_folder     (KoersDavClient *self,
                                                  const char     *folder,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* DELETE; a file that is already gone (404) counts as deleted. */
gboolean        koers_dav_client_delete          (KoersDavClient *self,
                                                  const char     *path,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* PROPFIND Depth 1: the folder's entries (KoersDavEntry), not itself. */
GPtrArray      *koers_dav_client_list            (KoersDavClient *self,
                                                  const char     *folder,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* Write-once upload of @name in @folder (made when missing). Succeeds when
 * the drop holds exactly @body under @name afterwards, also when it already
 * did (*already_there is then TRUE: a repeat after a lost answer). Fails
 * with KOERS_DAV_ERROR_NAME_TAKEN when another content holds the name (the
 * engine quarantines the batch); never overwrites, never leaves a partial
 * file under @name. */
gboolean        koers_dav_put_once               (KoersDavClient *client,
                                                  const char     *folder,
                                                  const char     *name,
                                                  GBytes         *body,
                                                  gboolean       *already_there,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

/* Deletes the temporary names an interrupted put_once left in @folder;
 * *n_removed (optional) counts them. A missing folder has none. Call it
 * only on a folder this device alone writes to, and not while one of its
 * own uploads runs (at the start of a round). */
gboolean        koers_dav_remove_leftovers       (KoersDavClient *client,
                                                  const char     *folder,
                                                  guint          *n_removed,
                                                  GCancellable   *cancellable,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
