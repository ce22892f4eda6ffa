/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The transport's decisions that need no server: status classes,
 * Retry-After, the backoff's bounds, and the multistatus reader on the
 * answers nginx (dav-ext) and Apache (mod_dav_fs) give. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <string.h>

#include "koers-dav-client.h"

static void
test_status_classes (void)
{
  guint retry[] = { 408, 423, 429, 500, 502, 503, 504 };
  struct { guint status; KoersDavError code; } stop[] = {
    { 401, KOERS_DAV_ERROR_UNAUTHORIZED }, { 403, KOERS_DAV_ERROR_FORBIDDEN },
    { 404, KOERS_DAV_ERROR_NOT_FOUND }, { 405, KOERS_DAV_ERROR_NOT_ALLOWED },
    { 413, KOERS_DAV_ERROR_TOO_LARGE }, { 507, KOERS_DAV_ERROR_STORAGE_FULL },
    { 412, KOERS_DAV_ERROR_EXISTS }, { 400, KOERS_DAV_ERROR_PROTOCOL },
  };

  for (guint status = 200; status < 300; status++)
    g_assert_true (koers_dav_error_from_status (status, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (retry); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (koers_dav_error_from_status (retry[i], &error));
      g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_SERVER_BUSY);
      g_assert_true (koers_dav_error_is_retryable (error));
    }
  for (guint i = 0; i < G_N_ELEMENTS (stop); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (koers_dav_error_from_status (stop[i].status, &error));
      g_assert_error (error, KOERS_DAV_ERROR, (int) stop[i].code);
      g_assert_false (koers_dav_error_is_retryable (error));
    }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 6, 9, 0, 0);

  g_assert_cmpuint (koers_dav_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpuint (koers_dav_parse_retry_after (" 7 ", now), ==, 7);
  g_assert_cmpuint (koers_dav_parse_retry_after ("Sun, 06 Dec 2026 09:01:30 GMT", now), ==, 90);
  g_assert_cmpuint (koers_dav_parse_retry_after ("Sun, 06 Dec 2026 08:00:00 GMT", now), ==, 0);
  g_assert_cmpuint (koers_dav_parse_retry_after ("99999999999", now), ==, 24 * 3600);
  g_assert_cmpuint (koers_dav_parse_retry_after ("-5", now), ==, 0);
  g_assert_cmpuint (koers_dav_parse_retry_after ("soon", now), ==, 0);
  g_assert_cmpuint (koers_dav_parse_retry_after ("Sun, 32 Foo 2026 09:01:30 GMT", now), ==, 0);
  g_assert_cmpuint (koers_dav_parse_retry_after ("", now), ==, 0);
  g_assert_cmpuint (koers_dav_parse_retry_after (NULL, now), ==, 0);
}

static void
test_backoff (void)
{
  guint64 largest = 0;

  for (guint attempt = 0; attempt < 200; attempt++)
    {
      guint64 delay = koers_dav_backoff_ms (attempt, 1000, 600000, 0);
      guint64 ceiling = attempt < 10 ? MIN (1000u << attempt, 600000u) : 600000;

      g_assert_cmpuint (delay, <=, ceiling);
      largest = MAX (largest, delay);
    }
  /* Full jitter reaches well into the cap over many attempts. */
  g_assert_cmpuint (largest, >, 300000);
  /* Retry-After is a floor, also above the cap. */
  for (guint i = 0; i < 50; i++)
    g_assert_cmpuint (koers_dav_backoff_ms (0, 1000, 5000, 7), >=, 7000);
  g_assert_cmpuint (koers_dav_backoff_ms (G_MAXUINT, 1000, 5000, 0), <=, 5000);
}

static GPtrArray *
parse (const char *xml,
       const char *folder,
       GError    **error)
{
  return koers_dav_multistatus_parse (xml, strlen (xml), folder, error);
}

static void
test_multistatus_apache (void)
{
  /* As mod_dav_fs answers: live properties under the lp1 prefix. */
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:multistatus xmlns:D=\"DAV:\" xmlns:ns0=\"DAV:\">\n"
    "<D:response xmlns:lp1=\"DAV:\"><D:href>/drop/st/dev/</D:href><D:propstat><D:prop>"
    "<lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
    "<D:response xmlns:lp1=\"DAV:\"><D:href>/drop/st/dev/%D9%85%D9%84%D9%81</D:href><D:propstat><D:prop>"
    "<lp1:resourcetype/><lp1:getcontentlength>1234</lp1:getcontentlength></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
    "<D:response xmlns:lp1=\"DAV:\"><D:href>/drop/st/dev/sub/</D:href><D:propstat><D:prop>"
    "<lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop>"
    "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
    "</D:multistatus>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = parse (xml, "/drop/st/dev/", &error);
  KoersDavEntry *file, *folder;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  file = g_ptr_array_index (entries, 0);
  folder = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (file->name, ==, "ملف");
  g_assert_cmpint (file->size, ==, 1234);
  g_assert_false (file->is_folder);
  g_assert_cmpstr (folder->name, ==, "sub");
  g_assert_true (folder->is_folder);
}

static void
test_multistatus_foreign (void)
{
  /* Default namespace, absolute hrefs, a foreign "collection" that is not
   * DAV's, and an entry outside the folder: only the real child counts. */
  const char *xml =
    "<multistatus xmlns=\"DAV:\" xmlns:x=\"urn:other\">"
    "<response><href>https://host:8443/drop/a/</href></response>"
    "<response><href>https://host:8443/drop/a/batch-1</href><propstat><prop>"
    "<resourcetype><x:collection/></resourcetype><getcontentlength>7</getcontentlength></prop></propstat></response>"
    "<response><href>/drop/elsewhere/batch-2</href></response>"
    "<response><href>/drop/a/%2E%2E</href></response>"
    "</multistatus>";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = parse (xml, "/drop/a", &error);
  KoersDavEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->name, ==, "batch-1");
  g_assert_cmpint (entry->size, ==, 7);
  g_assert_false (entry->is_folder);
}

static void
test_multistatus_refused (void)
{
  g_autoptr(GString) deep = g_string_new ("<D:multistatus xmlns:D=\"DAV:\">");
  const char *bad[] = {
    "",
    "<html><body>Log in to this Wi-Fi</body></html>",
    "<D:multistatus xmlns:D=\"urn:not-dav\"></D:multistatus>",
    "<D:multistatus xmlns:D=\"DAV:\"><D:response>",
    NULL,
  };

  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "<D:prop>");
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries = parse (bad[i], "/drop/", &error);

      g_assert_null (entries);
      g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = parse (deep->str, "/drop/", &error);

    g_assert_null (entries);
    g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dav-errors/status-classes", test_status_classes);
  g_test_add_func ("/dav-errors/retry-after", test_retry_after);
  g_test_add_func ("/dav-errors/backoff", test_backoff);
  g_test_add_func ("/dav-errors/multistatus-apache", test_multistatus_apache);
  g_test_add_func ("/dav-errors/multistatus-foreign", test_multistatus_foreign);
  g_test_add_func ("/dav-errors/multistatus-refused", test_multistatus_refused);
  return g_test_run ();
}
