/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-dav-error.h: what went wrong talking to the drop, and what to do.
 *
 * Every error of the WebDAV client (koers-dav-client.h) is in the domain
 * KOERS_DAV_ERROR (or G_IO_ERROR_CANCELLED when the caller cancelled). The
 * codes fall into two classes, told apart by koers_dav_error_is_retryable():
 *
 *  - try again later, with koers_dav_backoff_ms() and no retry limit:
 *    offline (DNS failure, connection refused), timeouts and stalls, a
 *    connection cut or reset, a busy server (5xx except 507, 408, 423, 429;
 *    the client keeps its Retry-After);
 *  - stop and tell a person (the message says what to do): 401 (stop at
 *    once: Nextcloud throttles failed logins), 403, 404, 405, 413, 507, a
 *    certificate that does not verify (often a network that wants a login
 *    in a browser first), a key pin mismatch (possible interception), an
 *    address or redirect that is not https, a name held by another file.
 *
 * Messages are for a volunteer: they name no URL, user or password.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KOERS_DAV_ERROR (koers_dav_error_quark ())

typedef enum
{
  /* Try again later. */
  KOERS_DAV_ERROR_OFFLINE,            /* no route, DNS failure, refused */
  KOERS_DAV_ERROR_TIMEOUT,            /* no answer in time, or a stall */
  KOERS_DAV_ERROR_CONNECTION_LOST,    /* cut or reset mid-transfer */
  KOERS_DAV_ERROR_SERVER_BUSY,        /* 5xx but 507, 408, 423, 429 */
  /* Stop and tell a person. */
  KOERS_DAV_ERROR_UNAUTHORIZED,       /* 401: wrong user or app password */
  KOERS_DAV_ERROR_FORBIDDEN,          /* 403 */
  KOERS_DAV_ERROR_NOT_FOUND,          /* 404 */
  KOERS_DAV_ERROR_NOT_ALLOWED,        /* 405 */
  KOERS_DAV_ERROR_TOO_LARGE,          /* 413 */
  KOERS_DAV_ERROR_STORAGE_FULL,       /* 507 */
  KOERS_DAV_ERROR_CERTIFICATE,        /* TLS certificate does not verify */
  KOERS_DAV_ERROR_PIN_MISMATCH,       /* server key is not the pinned one */
  KOERS_DAV_ERROR_INSECURE,           /* not https (or redirected off it) */
  KOERS_DAV_ERROR_EXISTS,             /* 412: MOVE onto a name in use */
  KOERS_DAV_ERROR_CONFLICT,           /* 409: the parent folder is missing */
  KOERS_DAV_ERROR_NAME_TAKEN,         /* put_once: another file has the name */
  KOERS_DAV_ERROR_RESPONSE_TOO_LARGE, /* an answer larger than the cap */
  KOERS_DAV_ERROR_PROTOCOL,           /* an answer a drop should not give */
} KoersDavError;

GQuark   koers_dav_error_quark        (void);

gboolean koers_dav_error_is_retryable (const GError *error);

gboolean koers_dav_error_from_status  (guint    status,
                                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

guint    koers_dav_parse_retry_after  (const char *value,
                                       GDateTime  *now);

/* Exponential backoff with full jitter: a uniformly random delay in
 * [0, min (cap_ms, base_ms * 2^attempt)], but never less than the server's
 * Retry-After (seconds; 0 if none, honoured up to a day). No retry limit:
 * the attempt number may grow for ever; the delay stays capped. */
guint64  koers_dav_backoff_ms         (guint attempt,
                                       guint base_ms,
                                       guint cap_ms,
                                       guint retry_after_s);

G_END_DECLS
