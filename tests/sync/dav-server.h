/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dav-server.h: real WebDAV servers on 127.0.0.1 for the sync tests.
 *
 * koers_test_pki_new() makes a CA and a server certificate for 127.0.0.1
 * with openssl, and the server key's pin (base64 SHA-256 of its SPKI).
 *
 * koers_test_dav_server_start() runs nginx (nginx-light with the dav-ext
 * module) or Apache 2.4 (mod_dav_fs) in the foreground as the test's user,
 * from a configuration it writes into a fresh folder, on a free high port,
 * with TLS from the PKI and basic auth from an htpasswd file it writes
 * ({SHA}, read by both). The drop is /drop/ with the servers' stock DAV
 * settings and no rule of ours. A few other locations answer faults a
 * real server will not give on demand, the same on both kinds:
 *
 *   /fault/500/...      500       /fault/503/...      503
 *   /fault/507/...      507       /fault/429/...      429, Retry-After: 7
 *   /redirect-http/...  302 to http://127.0.0.1:PORT/drop/
 *
 * As root (CI), Apache will not serve as root: it serves as nobody, and
 * the drop and lock folders are given to nobody. nginx runs without a
 * master process, so as whoever runs the test.
 *
 * Each server is stopped by its own pid (SIGTERM, then SIGKILL); the child
 * also dies with the test program (PR_SET_PDEATHSIG).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char   *dir;
  GBytes *ca_pem;
  char   *cert_file;
  char   *key_file;
  char   *pin;      /* base64 SHA-256 of the server key's SPKI */
} KoersTestPki;

KoersTestPki *koers_test_pki_new  (void);
void          koers_test_pki_free (KoersTestPki *pki);

typedef enum
{
  KOERS_TEST_DAV_NGINX,
  KOERS_TEST_DAV_APACHE,
} KoersTestDavKind;

typedef struct
{
  KoersTestDavKind kind;
  char            *dir;
  char            *drop_dir;    /* the files under /drop/ */
  char            *access_log;
  guint16          port;
  GSubprocess     *process;
} KoersTestDavServer;

const char         *koers_test_dav_kind_name      (KoersTestDavKind kind);
gboolean            koers_test_dav_kind_available (KoersTestDavKind kind);

KoersTestDavServer *koers_test_dav_server_start   (KoersTestDavKind  kind,
                                                   KoersTestPki     *pki,
                                                   const char       *user,
                                                   const char       *password);
void                koers_test_dav_server_stop    (KoersTestDavServer *server);

/* https://127.0.0.1:PORT/PATH, e.g. PATH "drop/" or "fault/503/". */
char               *koers_test_dav_server_url     (KoersTestDavServer *server,
                                                   guint16             port,
                                                   const char         *path);

guint16             koers_test_free_port          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestPki, koers_test_pki_free)

G_END_DECLS
