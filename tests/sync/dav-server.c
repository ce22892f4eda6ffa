/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dav-server.h"

#define NGINX_BIN        "/usr/sbin/nginx"
#define NGINX_DAV_EXT    "/usr/lib/nginx/modules/ngx_http_dav_ext_module.so"
#define APACHE_BIN       "/usr/sbin/apache2"
#define APACHE_MODULES   "/usr/lib/apache2/modules"
#define START_TIMEOUT_US (10 * G_USEC_PER_SEC)

static void
run_or_die (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &output, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, output ? output : "");
}

static char *
file_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_or_die (const char *path,
              const char *contents)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, contents, -1, &error))
    g_error ("cannot write %s: %s", path, error->message);
}

static GBytes *
read_or_die (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("cannot read %s: %s", path, error->message);
  return g_bytes_new_take (contents, length);
}

/* An EC P-256 key and certificate; signed by @ca_key when given. */
static void
make_certificate (const char *dir,
                  const char *stem,
                  const char *subject,
                  gboolean    is_ca,
                  const char *ca_cert,
                  const char *ca_key)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, stem);
  g_autofree char *cert = g_strdup_printf ("%s/%s.pem", dir, stem);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", dir, stem);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", dir, stem);

  if (is_ca)
    {
      const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                             "-nodes", "-keyout", key, "-out", cert, "-days", "3", "-subj", subject,
                             "-addext", "basicConstraints=critical,CA:TRUE",
                             "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL };
      run_or_die (argv);
      return;
    }
  write_or_die (ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                     "basicConstraints=CA:FALSE\n"
                     "keyUsage=critical,digitalSignature\n"
                     "extendedKeyUsage=serverAuth\n");
  {
    const char *request[] = { "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-nodes", "-keyout", key, "-out", csr, "-subj", subject, NULL };
    const char *sign[] = { "openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                           "-set_serial", "2", "-days", "3", "-extfile", ext, "-out", cert, NULL };
    run_or_die (request);
    run_or_die (sign);
  }
}

static char *
pin_of_key (const char *dir,
            const char *key)
{
  g_autofree char *spki = file_in (dir, "server.spki");
  const char *argv[] = { "openssl", "pkey", "-in", key, "-pubout", "-outform", "DER", "-out", spki, NULL };
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  run_or_die (argv);
  der = read_or_die (spki);
  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, digest, &digest_len);
  return g_base64_encode (digest, digest_len);
}

KoersTestPki *
koers_test_pki_new (void)
{
  g_autoptr(GError) error = NULL;
  KoersTestPki *pki = g_new0 (KoersTestPki, 1);
  g_autofree char *ca_cert = NULL;
  g_autofree char *ca_key = NULL;

  pki->dir = g_dir_make_tmp ("koers-pki-XXXXXX", &error);
  g_assert_no_error (error);
  make_certificate (pki->dir, "ca", "/CN=Koers test CA", TRUE, NULL, NULL);
  ca_cert = file_in (pki->dir, "ca.pem");
  ca_key = file_in (pki->dir, "ca.key");
  make_certificate (pki->dir, "server", "/CN=127.0.0.1", FALSE, ca_cert, ca_key);
  pki->ca_pem = read_or_die (ca_cert);
  pki->cert_file = file_in (pki->dir, "server.pem");
  pki->key_file = file_in (pki->dir, "server.key");
  pki->pin = pin_of_key (pki->dir, pki->key_file);
  return pki;
}

/* Can a user other than the owner walk down to @path (every folder on the
 * way searchable by others)? */
static gboolean
reachable_by_others (const char *path)
{
  g_autofree char *current = g_canonicalize_filename (path, NULL);

  while (current != NULL && strcmp (current, "/") != 0)
    {
      GStatBuf st;
      char *parent;

      if (g_stat (current, &st) != 0 || (st.st_mode & S_IXOTH) == 0)
        return FALSE;
      parent = g_path_get_dirname (current);
      g_free (current);
      current = parent;
    }
  return TRUE;
}

/* The test's TMPDIR, unless Apache, serving as nobody when we are root,
 * could not reach a folder in it: then /tmp. */
static const char *
server_parent_dir (void)
{
  if (geteuid () == 0 && !reachable_by_others (g_get_tmp_dir ()))
    return "/tmp";
  return g_get_tmp_dir ();
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--one-file-system", path, NULL };

  if (path != NULL && (g_str_has_prefix (path, g_get_tmp_dir ()) || g_str_has_prefix (path, "/tmp/")))
    run_or_die (argv);
}

void
koers_test_pki_free (KoersTestPki *pki)
{
  if (pki == NULL)
    return;
  remove_tree (pki->dir);
  g_free (pki->dir);
  g_bytes_unref (pki->ca_pem);
  g_free (pki->cert_file);
  g_free (pki->key_file);
  g_free (pki->pin);
  g_free (pki);
}

const char *
koers_test_dav_kind_name (KoersTestDavKind kind)
{
  return kind == KOERS_TEST_DAV_NGINX ? "nginx" : "apache";
}

gboolean
koers_test_dav_kind_available (KoersTestDavKind kind)
{
  if (kind == KOERS_TEST_DAV_NGINX)
    return g_file_test (NGINX_BIN, G_FILE_TEST_IS_EXECUTABLE) && g_file_test (NGINX_DAV_EXT, G_FILE_TEST_EXISTS);
  return g_file_test (APACHE_BIN, G_FILE_TEST_IS_EXECUTABLE)
         && g_file_test (APACHE_MODULES "/mod_dav_fs.so", G_FILE_TEST_EXISTS);
}

guint16
koers_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

char *
koers_test_dav_server_url (KoersTestDavServer *server,
                           guint16             port,
                           const char         *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u/%s", port != 0 ? port : server->port, path);
}

/* {SHA}: base64 of the password's SHA-1, read by nginx and Apache alike. */
static void
write_htpasswd (const char *path,
                const char *user,
                const char *password)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autofree char *encoded = NULL;
  g_autofree char *line = NULL;

  g_checksum_update (checksum, (const guchar *) password, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);
  encoded = g_base64_encode (digest, digest_len);
  line = g_strdup_printf ("%s:{SHA}%s\n", user, encoded);
  write_or_die (path, line);
}

static char *
nginx_config (KoersTestDavServer *server,
              KoersTestPki       *pki)
{
  const char *d = server->dir;

  return g_strdup_printf (
    "daemon off;\n"
    "master_process off;\n"
    "worker_processes 1;\n"
    "pid %s/server.pid;\n"
    "error_log %s/error.log info;\n"
    "load_module " NGINX_DAV_EXT ";\n"
    "events { worker_connections 64; }\n"
    "http {\n"
    "  access_log %s;\n"
    "  client_body_temp_path %s/tmp/body;\n"
    "  proxy_temp_path %s/tmp/proxy;\n"
    "  fastcgi_temp_path %s/tmp/fastcgi;\n"
    "  uwsgi_temp_path %s/tmp/uwsgi;\n"
    "  scgi_temp_path %s/tmp/scgi;\n"
    "  default_type application/octet-stream;\n"
    "  server {\n"
    "    listen 127.0.0.1:%u ssl;\n"
    "    server_name 127.0.0.1;\n"
    "    ssl_certificate %s;\n"
    "    ssl_certificate_key %s;\n"
    "    root %s/www;\n"
    "    location /drop/ {\n"
    "      dav_methods PUT DELETE MKCOL COPY MOVE;\n"
    "      dav_ext_methods PROPFIND OPTIONS;\n"
    "      auth_basic \"drop\";\n"
    "      auth_basic_user_file %s/htpasswd;\n"
    "    }\n"
    "    location /fault/500/ { return 500; }\n"
    "    location /fault/503/ { return 503; }\n"
    "    location /fault/507/ { return 507; }\n"
    "    location /fault/429/ { add_header Retry-After 7 always; return 429; }\n"
    "    location /redirect-http/ { return 302 http://127.0.0.1:%u/drop/; }\n"
    "  }\n"
    "}\n",
    d, d, server->access_log, d, d, d, d, d, server->port, pki->cert_file, pki->key_file, d, d,
    server->port);
}

static char *
apache_config (KoersTestDavServer *server,
               KoersTestPki       *pki)
{
  const char *d = server->dir;
  const char *user = geteuid () == 0 ? "User nobody\nGroup nogroup\n" : "";

  return g_strdup_printf (
    "ServerRoot %s\n"
    "DefaultRuntimeDir %s\n"
    "PidFile %s/server.pid\n"
    "Mutex file:%s default\n"
    "Listen 127.0.0.1:%u\n"
    "ServerName 127.0.0.1\n"
    "%s"
    "LoadModule mpm_prefork_module " APACHE_MODULES "/mod_mpm_prefork.so\n"
    "StartServers 2\n"
    "MinSpareServers 2\n"
    "MaxSpareServers 4\n"
    "MaxRequestWorkers 8\n"
    "LoadModule authn_core_module " APACHE_MODULES "/mod_authn_core.so\n"
    "LoadModule authn_file_module " APACHE_MODULES "/mod_authn_file.so\n"
    "LoadModule authz_core_module " APACHE_MODULES "/mod_authz_core.so\n"
    "LoadModule authz_user_module " APACHE_MODULES "/mod_authz_user.so\n"
    "LoadModule auth_basic_module " APACHE_MODULES "/mod_auth_basic.so\n"
    "LoadModule alias_module " APACHE_MODULES "/mod_alias.so\n"
    "LoadModule headers_module " APACHE_MODULES "/mod_headers.so\n"
    "LoadModule ssl_module " APACHE_MODULES "/mod_ssl.so\n"
    "LoadModule dav_module " APACHE_MODULES "/mod_dav.so\n"
    "LoadModule dav_fs_module " APACHE_MODULES "/mod_dav_fs.so\n"
    "ErrorLog %s/error.log\n"
    "LogLevel warn\n"
    "LogFormat \"%%h %%l %%u %%t \\\"%%r\\\" %%>s %%b\" common\n"
    "CustomLog %s common\n"
    "DocumentRoot %s/www\n"
    "DavLockDB %s/lock/DavLock\n"
    "SSLEngine on\n"
    "SSLCertificateFile %s\n"
    "SSLCertificateKeyFile %s\n"
    "<Directory %s/www/drop>\n"
    "  Dav On\n"
    "  AuthType Basic\n"
    "  AuthName drop\n"
    "  AuthUserFile %s/htpasswd\n"
    "  Require valid-user\n"
    "</Directory>\n"
    "<Location /fault/429/>\n"
    "  Header always set Retry-After 7\n"
    "</Location>\n"
    "Redirect 500 /fault/500/\n"
    "Redirect 503 /fault/503/\n"
    "Redirect 507 /fault/507/\n"
    "Redirect 429 /fault/429/\n"
    "Redirect 302 /redirect-http/ http://127.0.0.1:%u/drop/\n",
    d, d, d, d, server->port, user, d, server->access_log, d, d, pki->cert_file, pki->key_file, d, d,
    server->port);
}

/* Its own process group (Apache's parent signals its whole group when it
 * stops), and stopped when the test program dies first: SIGTERM, not
 * SIGKILL, so that Apache's parent takes its children (as nobody, out of
 * our reach) with it. */
static void
child_setup (gpointer data)
{
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Apache serves as nobody when started as root: give it its folders. */
static void
hand_to_nobody (const char *path)
{
  struct passwd *nobody = getpwnam ("nobody");

  g_assert_nonnull (nobody);
  g_assert_cmpint (chown (path, nobody->pw_uid, nobody->pw_gid), ==, 0);
}

static gboolean
accepts_connections (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

static void
make_layout (KoersTestDavServer *server)
{
  const char *folders[] = { "www", "www/drop", "tmp", "lock", NULL };

  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autofree char *path = file_in (server->dir, folders[i]);

      g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
      if (server->kind == KOERS_TEST_DAV_APACHE && geteuid () == 0
          && (g_str_equal (folders[i], "www/drop") || g_str_equal (folders[i], "lock")))
        hand_to_nobody (path);
    }
  /* nobody must reach the drop through the server's own folder. */
  g_assert_cmpint (g_chmod (server->dir, 0755), ==, 0);
}

static GSubprocess *
launch (KoersTestDavServer *server,
        const char         *config_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *output = file_in (server->dir, "output.log");
  g_autofree char *error_log = file_in (server->dir, "error.log");
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, output);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (server->kind == KOERS_TEST_DAV_NGINX)
    process = g_subprocess_launcher_spawn (launcher, &error, NGINX_BIN, "-e", error_log, "-p", server->dir,
                                           "-c", config_path, NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, APACHE_BIN, "-DFOREGROUND", "-f", config_path, NULL);
  g_assert_no_error (error);
  return process;
}

/* GLib's worker thread reaps the child; its identifier is gone then. */
static gboolean
has_ended (GSubprocess *process)
{
  return g_subprocess_get_identifier (process) == NULL;
}

static gboolean
wait_until_ready (KoersTestDavServer *server)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;

  while (g_get_monotonic_time () < deadline)
    {
      if (accepts_connections (server->port))
        return TRUE;
      if (has_ended (server->process))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return FALSE;
}

static void
print_logs (KoersTestDavServer *server)
{
  const char *names[] = { "output.log", "error.log", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = file_in (server->dir, names[i]);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL))
        g_printerr ("%s %s:\n%s\n", koers_test_dav_kind_name (server->kind), names[i], text);
    }
}

KoersTestDavServer *
koers_test_dav_server_start (KoersTestDavKind  kind,
                             KoersTestPki     *pki,
                             const char       *user,
                             const char       *password)
{
  KoersTestDavServer *server = g_new0 (KoersTestDavServer, 1);
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *htpasswd = NULL;

  server->kind = kind;
  server->dir = g_build_filename (server_parent_dir (), "koers-dav-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (server->dir));
  server->drop_dir = g_build_filename (server->dir, "www", "drop", NULL);
  server->access_log = file_in (server->dir, "access.log");
  make_layout (server);
  htpasswd = file_in (server->dir, "htpasswd");
  write_htpasswd (htpasswd, user, password);
  config_path = file_in (server->dir, "server.conf");
  /* A port free a moment ago may be taken by then: try a few. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      server->port = koers_test_free_port ();
      g_free (config);
      config = kind == KOERS_TEST_DAV_NGINX ? nginx_config (server, pki) : apache_config (server, pki);
      write_or_die (config_path, config);
      server->process = launch (server, config_path);
      if (wait_until_ready (server))
        return server;
      print_logs (server);
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_error ("%s did not start", koers_test_dav_kind_name (kind));
  return NULL;
}

void
koers_test_dav_server_stop (KoersTestDavServer *server)
{
  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      g_subprocess_send_signal (server->process, SIGTERM);
      while (!has_ended (server->process) && g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
      if (!has_ended (server->process))
        g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->drop_dir);
  g_free (server->access_log);
  g_free (server);
}
