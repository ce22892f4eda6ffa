/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "koers-dav-client-private.h"

/* A weak mobile link: give the connection time, but notice a dead one. */
#define DEFAULT_CONNECT_TIMEOUT_S 30
#define DEFAULT_LOW_SPEED_TIME_S  60
#define LOW_SPEED_LIMIT_BYTES     100
#define KEEPALIVE_IDLE_S          30
#define KEEPALIVE_INTERVAL_S      15
#define MAX_REDIRECTS             5
#define MAX_LISTING_SIZE          (16 * 1024 * 1024)

struct _KoersDavClient
{
  GObject     parent_instance;

  CURL       *curl;
  char       *base_url;    /* https://host[:port]/path/ (escaped, '/' at end) */
  char       *base_path;   /* its path, unescaped, '/' at end */
  char       *user;
  char       *password;
  GBytes     *ca_pem;
  char       *ca_dir;      /* where the CA is kept when libcurl takes no blob */
  char       *ca_file;
  char       *pin;         /* "sha256//..." */
  char       *proxy;       /* NULL until resolved; "" for direct */
  GHashTable *folders;     /* folders known to exist */
  guint       connect_timeout_s;
  guint       low_speed_time_s;
  guint       retry_after_s;
  guint       last_status;
  KoersDavProgressFunc progress;
  gpointer    progress_data;
};

G_DEFINE_FINAL_TYPE (KoersDavClient, koers_dav_client, G_TYPE_OBJECT)

typedef struct
{
  KoersDavClient     *client;
  const char         *method;
  const char         *path;
  GBytes             *body;          /* uploaded when set */
  gsize               body_offset;
  struct curl_slist  *headers;
  gsize               max_response;  /* 0: the answer's body is dropped */
  GByteArray         *response;
  gboolean            too_large;
  GCancellable       *cancellable;
} Request;

static void
wipe_string (char **string)
{
  if (*string != NULL)
    explicit_bzero (*string, strlen (*string));
  g_clear_pointer (string, g_free);
}

static void
koers_dav_client_finalize (GObject *object)
{
  KoersDavClient *self = KOERS_DAV_CLIENT (object);

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  if (self->ca_file != NULL)
    g_unlink (self->ca_file);
  if (self->ca_dir != NULL)
    g_rmdir (self->ca_dir);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->ca_dir, g_free);
  g_clear_pointer (&self->ca_pem, g_bytes_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_path, g_free);
  g_clear_pointer (&self->user, g_free);
  wipe_string (&self->password);
  g_clear_pointer (&self->pin, g_free);
  g_clear_pointer (&self->proxy, g_free);
  g_clear_pointer (&self->folders, g_hash_table_unref);
  G_OBJECT_CLASS (koers_dav_client_parent_class)->finalize (object);
}

static void
koers_dav_client_class_init (KoersDavClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_dav_client_finalize;
}

static void
koers_dav_client_init (KoersDavClient *self)
{
  self->connect_timeout_s = DEFAULT_CONNECT_TIMEOUT_S;
  self->low_speed_time_s = DEFAULT_LOW_SPEED_TIME_S;
  self->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
global_init_once (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialised, 1);
    }
}

static void
set_insecure_error (GError **error)
{
  g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_INSECURE,
                       _("Koers only talks to the office’s server over a secure (https) connection, and this address or a redirect asked for another kind. Ask the office to check the server’s address."));
}

/* Only https, with a host and no user or password in the URL. */
static gboolean
parse_base_url (KoersDavClient *self,
                const char     *base_url,
                GError        **error)
{
  const char *scheme = g_uri_peek_scheme (base_url);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  if (scheme != NULL && strcmp (scheme, "https") != 0)
    {
      set_insecure_error (error);
      return FALSE;
    }
  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                           _("The office’s server address is not a valid web address. Ask the office for a new enrollment file."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 || g_uri_get_userinfo (uri) != NULL)
    {
      set_insecure_error (error);
      return FALSE;
    }
  text = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  self->base_url = g_str_has_suffix (text, "/") ? g_steal_pointer (&text) : g_strconcat (text, "/", NULL);
  path = g_uri_unescape_string (g_uri_get_path (uri), "/");
  if (path == NULL)
    path = g_strdup ("/");
  self->base_path = g_str_has_suffix (path, "/") ? g_steal_pointer (&path) : g_strconcat (path, "/", NULL);
  return TRUE;
}

/* libcurl 7.88 with GnuTLS takes no CA blob: keep the (public) certificate
 * in a private folder of our own for as long as the client lives. */
static gboolean
keep_ca_file (KoersDavClient *self,
              GError        **error)
{
  gsize size;
  const char *data = g_bytes_get_data (self->ca_pem, &size);

  self->ca_dir = g_dir_make_tmp ("koers-ca-XXXXXX", error);
  if (self->ca_dir == NULL)
    return FALSE;
  self->ca_file = g_build_filename (self->ca_dir, "ca.pem", NULL);
  return g_file_set_contents_full (self->ca_file, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* "sha256//A;sha256//B" for libcurl from one or more base64 SHA-256
 * digests ("sha256//" optional, ';' between two: a key being rotated);
 * NULL when one is not 32 bytes of base64. */
static char *
curl_pin_list (const char *pins)
{
  g_auto(GStrv) parts = g_strsplit (pins, ";", -1);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *pin = g_strstrip (parts[i]);
      g_autofree guchar *digest = NULL;
      gsize length = 0;

      if (g_str_has_prefix (pin, "sha256//"))
        pin += strlen ("sha256//");
      if (pin[0] == '\0' || strspn (pin, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (pin))
        return NULL;
      digest = g_base64_decode (pin, &length);
      if (length != 32)
        return NULL;
      g_ptr_array_add (list, g_strconcat ("sha256//", pin, NULL));
    }
  g_ptr_array_add (list, NULL);
  return g_strjoinv (";", (char **) list->pdata);
}

KoersDavClient *
koers_dav_client_new (const char *base_url,
                      const char *user,
                      const char *password,
                      GBytes     *ca_pem,
                      const char *pin_sha256,
                      GError    **error)
{
  g_autoptr(KoersDavClient) self = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (user != NULL && password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  global_init_once ();
  self = g_object_new (KOERS_TYPE_DAV_CLIENT, NULL);
  if (!parse_base_url (self, base_url, error))
    return NULL;
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  if (pin_sha256 != NULL && pin_sha256[0] != '\0')
    {
      self->pin = curl_pin_list (pin_sha256);
      if (self->pin == NULL)
        {
          g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                               _("The enrolled key pin of the office’s server is not valid. Ask the office for a new enrollment file."));
          return NULL;
        }
    }
  self->curl = curl_easy_init ();
  if (self->curl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("Out of memory."));
      return NULL;
    }
  if (ca_pem != NULL && g_bytes_get_size (ca_pem) > 0)
    {
      struct curl_blob blob = { (void *) g_bytes_get_data (ca_pem, NULL), g_bytes_get_size (ca_pem), CURL_BLOB_COPY };

      self->ca_pem = g_bytes_ref (ca_pem);
      if (curl_easy_setopt (self->curl, CURLOPT_CAINFO_BLOB, &blob) != CURLE_OK && !keep_ca_file (self, error))
        return NULL;
      curl_easy_reset (self->curl);
    }
  return g_steal_pointer (&self);
}

KoersDavClient *
koers_dav_client_copy (KoersDavClient  *self,
                       GError         **error)
{
  KoersDavClient *copy;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), NULL);

  copy = koers_dav_client_new (self->base_url, self->user, self->password, self->ca_pem,
                               self->pin, error);
  if (copy != NULL)
    koers_dav_client_set_timeouts (copy, self->connect_timeout_s, self->low_speed_time_s);
  return copy;
}

void
koers_dav_client_set_timeouts (KoersDavClient *self,
                               guint           connect_timeout_s,
                               guint           low_speed_time_s)
{
  g_return_if_fail (KOERS_IS_DAV_CLIENT (self));

  self->connect_timeout_s = MAX (connect_timeout_s, 1);
  self->low_speed_time_s = MAX (low_speed_time_s, 1);
}

void
koers_dav_client_set_progress (KoersDavClient       *self,
                               KoersDavProgressFunc  func,
                               gpointer              user_data)
{
  g_return_if_fail (KOERS_IS_DAV_CLIENT (self));

  self->progress = func;
  self->progress_data = user_data;
}

guint
koers_dav_client_get_retry_after (KoersDavClient *self)
{
  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), 0);
  return self->retry_after_s;
}

guint
koers_dav_client_get_last_status (KoersDavClient *self)
{
  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), 0);
  return self->last_status;
}

/* The escaped URL of @path; NULL for "." or ".." or an empty segment. */
static char *
url_of (KoersDavClient *self,
        const char     *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GString) url = g_string_new (self->base_url);
  guint n = g_strv_length (segments);

  for (guint i = 0; i < n; i++)
    {
      const char *segment = segments[i];
      g_autofree char *escaped = NULL;

      if (segment[0] == '\0')
        {
          if (i == 0 && n == 1)
            break;                      /* the base itself */
          if (i == n - 1 && i > 0)
            break;                      /* a trailing '/' */
          return NULL;
        }
      if (strcmp (segment, ".") == 0 || strcmp (segment, "..") == 0 || !g_utf8_validate (segment, -1, NULL))
        return NULL;
      escaped = g_uri_escape_string (segment, NULL, FALSE);
      g_string_append (url, escaped);
      if (i < n - 1)
        g_string_append_c (url, '/');
    }
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static char *
checked_url_of (KoersDavClient *self,
                const char     *path,
                GError        **error)
{
  char *url = url_of (self, path);

  if (url == NULL)
    g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                         _("Koers asked for a file name the office’s server cannot take."));
  return url;
}

/* GIO's answer (GNOME's proxy settings, or the environment); libcurl reads
 * the environment itself when GIO says "direct". Asked once per client. */
static const char *
proxy_for (KoersDavClient *self,
           GCancellable   *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;

  if (self->proxy != NULL)
    return self->proxy;
  proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), self->base_url, cancellable, &error);
  if (proxies == NULL || proxies[0] == NULL || g_str_has_prefix (proxies[0], "direct://"))
    self->proxy = g_strdup ("");
  else if (g_str_has_prefix (proxies[0], "socks://"))
    self->proxy = g_strconcat ("socks5h://", proxies[0] + strlen ("socks://"), NULL);
  else
    self->proxy = g_strdup (proxies[0]);
  if (error != NULL)
    g_debug ("no proxy: %s", error->message);
  return self->proxy;
}

static size_t
read_body (char  *buffer,
           size_t size,
           size_t count,
           void  *data)
{
  Request *request = data;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (request->body, &length);
  gsize n = MIN (size * count, length - request->body_offset);

  memcpy (buffer, bytes + request->body_offset, n);
  request->body_offset += n;
  return n;
}

/* A redirect or a retried authentication sends the body again. */
static int
seek_body (void       *data,
           curl_off_t  offset,
           int         origin)
{
  Request *request = data;

  if (origin != SEEK_SET || offset < 0 || (gsize) offset > g_bytes_get_size (request->body))
    return CURL_SEEKFUNC_FAIL;
  request->body_offset = (gsize) offset;
  return CURL_SEEKFUNC_OK;
}

static size_t
write_response (char  *buffer,
                size_t size,
                size_t count,
                void  *data)
{
  Request *request = data;
  gsize n = size * count;

  if (request->max_response == 0)
    return n;
  if (request->response->len + n > request->max_response)
    {
      request->too_large = TRUE;
      return 0;
    }
  g_byte_array_append (request->response, (const guint8 *) buffer, n);
  return n;
}

static int
check_cancelled (void       *data,
                 curl_off_t  dltotal,
                 curl_off_t  dlnow,
                 curl_off_t  ultotal,
                 curl_off_t  ulnow)
{
  Request *request = data;
  KoersDavClient *self = request->client;

  if (g_cancellable_is_cancelled (request->cancellable))
    return 1;
  if (self->progress != NULL && request->body != NULL && request->max_response == 0)
    self->progress ((guint64) ulnow, (guint64) ultotal, self->progress_data);
  else if (self->progress != NULL && request->body == NULL && request->max_response > 0)
    self->progress ((guint64) dlnow, (guint64) dltotal, self->progress_data);
  return 0;
}

static void
set_tls_options (KoersDavClient *self)
{
  CURL *curl = self->curl;

  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_pem != NULL)
    {
      /* The enrolled CA replaces the system's. */
      curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
      if (self->ca_file != NULL)
        curl_easy_setopt (curl, CURLOPT_CAINFO, self->ca_file);
      else
        {
          struct curl_blob blob = { (void *) g_bytes_get_data (self->ca_pem, NULL),
                                    g_bytes_get_size (self->ca_pem), CURL_BLOB_COPY };
          curl_easy_setopt (curl, CURLOPT_CAINFO_BLOB, &blob);
        }
    }
  if (self->pin != NULL)
    curl_easy_setopt (curl, CURLOPT_PINNEDPUBLICKEY, self->pin);
}

static void
set_link_options (KoersDavClient *self,
                  GCancellable   *cancellable)
{
  CURL *curl = self->curl;
  const char *proxy = proxy_for (self, cancellable);

  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (curl, CURLOPT_MAXREDIRS, (long) MAX_REDIRECTS);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) self->connect_timeout_s);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, (long) LOW_SPEED_LIMIT_BYTES);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, (long) self->low_speed_time_s);
  curl_easy_setopt (curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (curl, CURLOPT_TCP_KEEPIDLE, (long) KEEPALIVE_IDLE_S);
  curl_easy_setopt (curl, CURLOPT_TCP_KEEPINTVL, (long) KEEPALIVE_INTERVAL_S);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "Koers/" PACKAGE_VERSION);
  if (proxy[0] != '\0')
    curl_easy_setopt (curl, CURLOPT_PROXY, proxy);
  curl_easy_setopt (curl, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
  curl_easy_setopt (curl, CURLOPT_USERNAME, self->user);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
}

static void
set_request_options (KoersDavClient *self,
                     Request        *request,
                     const char     *url)
{
  CURL *curl = self->curl;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  request->headers = curl_slist_append (request->headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, request->headers);
  if (request->body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) g_bytes_get_size (request->body));
      curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_body);
      curl_easy_setopt (curl, CURLOPT_READDATA, request);
      curl_easy_setopt (curl, CURLOPT_SEEKFUNCTION, seek_body);
      curl_easy_setopt (curl, CURLOPT_SEEKDATA, request);
    }
  if (strcmp (request->method, "GET") != 0 && strcmp (request->method, "PUT") != 0)
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, request->method);
  if (request->max_response > 0)
    curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) request->max_response);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_response);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, request);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, check_cancelled);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, request);
}

/* A transfer that ended without an HTTP answer, in the engine's terms. */
static void
set_transfer_error (CURLcode code,
                    GError **error)
{
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_OFFLINE,
                           _("Could not reach the office’s server. This laptop may be offline; Koers will try again later."));
      break;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_TIMEOUT,
                           _("The connection to the office’s server was too slow or stopped. Koers will try again later."));
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CERTIFICATE,
                           _("The office’s server could not be verified. This network may need a login in a browser first (as in a hotel, library or station): open a web page, log in, and sync again."));
      break;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PIN_MISMATCH,
                           _("The server that answered is not the office’s server: its key is not the enrolled one. This is a possible interception; do not sync on this network and tell the office."));
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      set_insecure_error (error);
      break;
    case CURLE_TOO_MANY_REDIRECTS:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                           _("The office’s server keeps sending Koers elsewhere. Ask the office to check the server’s address."));
      break;
    case CURLE_FILESIZE_EXCEEDED:
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE,
                           _("The office’s server sent a file larger than Koers accepts."));
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
      break;
    default:
      /* Resets, cuts, a handshake broken off, anything else of the link:
       * nothing is lost by trying again later. */
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONNECTION_LOST,
                           _("The connection to the office’s server was broken off. Koers will try again later."));
      break;
    }
}

static void
remember_retry_after (KoersDavClient *self)
{
  struct curl_header *header = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  self->retry_after_s = 0;
  if (curl_easy_header (self->curl, "Retry-After", 0, CURLH_HEADER, -1, &header) == CURLHE_OK)
    self->retry_after_s = koers_dav_parse_retry_after (header->value, now);
}

/* Runs @request; TRUE when an HTTP answer came, whatever its status. */
static gboolean
perform (KoersDavClient *self,
         Request        *request,
         guint          *status,
         GError        **error)
{
  g_autofree char *url = NULL;
  CURLcode code;
  long response_code = 0;

  self->retry_after_s = 0;
  self->last_status = 0;
  if (g_cancellable_set_error_if_cancelled (request->cancellable, error))
    return FALSE;
  url = checked_url_of (self, request->path, error);
  if (url == NULL)
    return FALSE;
  request->client = self;
  request->response = g_byte_array_new ();
  curl_easy_reset (self->curl);
  set_link_options (self, request->cancellable);
  set_tls_options (self);
  set_request_options (self, request, url);
  code = curl_easy_perform (self->curl);
  g_clear_pointer (&request->headers, curl_slist_free_all);
  if (code == CURLE_WRITE_ERROR && request->too_large)
    code = CURLE_FILESIZE_EXCEEDED;
  if (code != CURLE_OK)
    {
      g_debug ("%s: %s", request->method, curl_easy_strerror (code));
      set_transfer_error (code, error);
      return FALSE;
    }
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &response_code);
  self->last_status = (guint) response_code;
  remember_retry_after (self);
  *status = (guint) response_code;
  return TRUE;
}

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->headers, curl_slist_free_all);
  g_clear_pointer (&request->response, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

/* A request whose answer is a plain success or an error by status. */
static gboolean
run (KoersDavClient *self,
     Request        *request,
     GError        **error)
{
  guint status = 0;

  return perform (self, request, &status, error) && koers_dav_error_from_status (status, error);
}

gboolean
koers_dav_client_put (KoersDavClient *self,
                      const char     *path,
                      GBytes         *body,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(Request) request = { .method = "PUT", .path = path, .body = body, .cancellable = cancellable };

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL && body != NULL, FALSE);

  request.headers = curl_slist_append (NULL, "Content-Type: application/octet-stream");
  return run (self, &request, error);
}

GBytes *
koers_dav_client_get (KoersDavClient *self,
                      const char     *path,
                      gsize           max_size,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(Request) request = { .method = "GET", .path = path, .cancellable = cancellable };
  guint status = 0;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  /* One byte more than allowed tells "exactly the cap" from "too large". */
  request.max_response = MIN (max_size, G_MAXSIZE - 1) + 1;
  if (!perform (self, &request, &status, error) || !koers_dav_error_from_status (status, error))
    return NULL;
  if (request.response->len > max_size)
    {
      set_transfer_error (CURLE_FILESIZE_EXCEEDED, error);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&request.response));
}

gboolean
koers_dav_client_move (KoersDavClient *self,
                       const char     *from,
                       const char     *to,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_auto(Request) request = { .method = "MOVE", .path = from, .cancellable = cancellable };
  g_autofree char *destination = NULL;
  g_autofree char *header = NULL;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);

  destination = checked_url_of (self, to, error);
  if (destination == NULL)
    return FALSE;
  header = g_strconcat ("Destination: ", destination, NULL);
  request.headers = curl_slist_append (NULL, header);
  request.headers = curl_slist_append (request.headers, "Overwrite: F");
  return run (self, &request, error);
}

static char *
folder_path (const char *folder)
{
  g_autofree char *trimmed = g_strdup (folder);
  gsize len = strlen (trimmed);

  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return g_strconcat (trimmed, "/", NULL);
}

static char *
parent_of (const char *folder_with_slash)
{
  g_autofree char *trimmed = g_strndup (folder_with_slash, strlen (folder_with_slash) - 1);
  char *slash = strrchr (trimmed, '/');

  if (slash == NULL)
    return NULL;
  slash[1] = '\0';
  return g_steal_pointer (&trimmed);
}

/* MKCOL; 405 is the answer for a folder that exists already. */
static gboolean
mkcol (KoersDavClient *self,
       const char     *folder,
       GCancellable   *cancellable,
       GError        **error)
{
  g_auto(Request) request = { .method = "MKCOL", .path = folder, .cancellable = cancellable };
  guint status = 0;

  if (!perform (self, &request, &status, error))
    return FALSE;
  return status == 405 || koers_dav_error_from_status (status, error);
}

gboolean
koers_dav_client_make_folder (KoersDavClient *self,
                              const char     *folder,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *parent = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  path = folder_path (folder);
  if (strcmp (path, "/") == 0 || g_hash_table_contains (self->folders, path))
    return TRUE;
  if (!mkcol (self, path, cancellable, &local_error))
    {
      if (!g_error_matches (local_error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONFLICT)
          || (parent = parent_of (path)) == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!koers_dav_client_make_folder (self, parent, cancellable, error)
          || !mkcol (self, path, cancellable, error))
        return FALSE;
    }
  g_hash_table_add (self->folders, g_steal_pointer (&path));
  return TRUE;
}

void
koers_dav_client_forget_folders (KoersDavClient *self)
{
  /* Its parents may have gone with it: forget them all. */
  g_hash_table_remove_all (self->folders);
}

gboolean
koers_dav_client_delete (KoersDavClient *self,
                         const char     *path,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_auto(Request) request = { .method = "DELETE", .path = path, .cancellable = cancellable };
  guint status = 0;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!perform (self, &request, &status, error))
    return FALSE;
  return status == 404 || koers_dav_error_from_status (status, error);
}

GPtrArray *
koers_dav_client_list (KoersDavClient *self,
                       const char     *folder,
                       GCancellable   *cancellable,
                       GError        **error)
{
  static const char body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:getcontentlength/></D:prop></D:propfind>\n";
  g_autoptr(GBytes) request_body = g_bytes_new_static (body, sizeof body - 1);
  g_autofree char *path = NULL;
  g_autofree char *decoded_folder = NULL;
  g_auto(Request) request = { .method = "PROPFIND", .body = request_body, .cancellable = cancellable };
  guint status = 0;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  path = folder_path (folder);
  request.path = strcmp (path, "/") == 0 ? "" : path;
  request.max_response = MAX_LISTING_SIZE;
  request.headers = curl_slist_append (NULL, "Depth: 1");
  request.headers = curl_slist_append (request.headers, "Content-Type: application/xml; charset=utf-8");
  if (!perform (self, &request, &status, error))
    return NULL;
  if (status != 207)
    {
      if (koers_dav_error_from_status (status, error))
        g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                             _("The office’s server does not list folders. Ask the office to check that the address is a WebDAV folder."));
      return NULL;
    }
  decoded_folder = g_strconcat (self->base_path, request.path, NULL);
  return koers_dav_multistatus_parse ((const char *) request.response->data, request.response->len,
                                      decoded_folder, error);
}
