/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for what `koers-office pull` reads from the drop besides the
 * batches themselves (the sync reader's targets cover those): the PROPFIND
 * answer of a folder, and the names in it that the office takes for
 * steunpunt and device folders and for batches. A batch name the office
 * accepts must be exactly the name its numbers give (the office sorts by
 * name to get chain order), a folder name a canonical UUID. First byte:
 * bit 0 = list a device's folder, else the drop's top. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-dav-multistatus.h"
#include "koers-envelope.h"

#define DEVICE_FOLDER "/drop/01a24abd-d8c2-702e-801b-7c955dfc18bd/01a24abd-d966-76b4-ac2c-b3276e91d1fc/"

static void
check_entry (const KoersDavEntry *entry)
{
  guint8 id[KOERS_SYNC_ID_BYTES];
  KoersBatchInfo info = { 0 };

  g_assert_true (g_utf8_validate (entry->name, -1, NULL));
  g_assert_null (strchr (entry->name, '/'));
  if (koers_sync_id_from_uuid (entry->name, id))
    {
      g_autofree char *again = koers_sync_id_to_uuid (id);
      g_assert_cmpstr (again, ==, entry->name);
      fuzz_accepted++;
    }
  if (koers_envelope_parse_file_name (entry->name, &info.epoch, &info.first_seq, &info.last_seq))
    {
      g_autofree char *again = koers_envelope_file_name (&info);
      g_assert_cmpstr (again, ==, entry->name);
      fuzz_accepted++;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;

  if (size == 0)
    return 0;
  entries = koers_dav_multistatus_parse ((const char *) data + 1, size - 1,
                                         data[0] & 1 ? DEVICE_FOLDER : "/drop/", &error);
  if (entries == NULL)
    {
      g_assert_nonnull (error);
      g_assert_null (strchr (error->message, '\n'));
      return 0;
    }
  for (guint i = 0; i < entries->len; i++)
    check_entry (entries->pdata[i]);
  return 0;
}

static const char top_nginx[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<D:multistatus xmlns:D=\"DAV:\">\n"
  "<D:response><D:href>/drop/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/>"
  "</D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
  "<D:response><D:href>/drop/01a24abd-d8c2-702e-801b-7c955dfc18bd/</D:href><D:propstat><D:prop>"
  "<D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
  "</D:propstat></D:response>\n"
  "<D:response><D:href>/drop/Not%20a%20uuid/</D:href><D:propstat><D:prop><D:resourcetype>"
  "<D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
  "</D:response>\n</D:multistatus>\n";

static const char device_apache[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\" xmlns:ns0=\"DAV:\">\n"
  "<D:response xmlns:lp1=\"DAV:\"><D:href>" DEVICE_FOLDER "</D:href><D:propstat><D:prop>"
  "<lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop><D:status>HTTP/1.1 200 OK"
  "</D:status></D:propstat></D:response>\n"
  "<D:response xmlns:lp1=\"DAV:\"><D:href>" DEVICE_FOLDER
  "00000001-0000000000000001-0000000000000006.batch</D:href><D:propstat><D:prop>"
  "<lp1:resourcetype/><lp1:getcontentlength>4240</lp1:getcontentlength></D:prop>"
  "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
  "<D:response xmlns:lp1=\"DAV:\"><D:href>" DEVICE_FOLDER "ack</D:href><D:propstat><D:prop>"
  "<lp1:resourcetype/><lp1:getcontentlength>158</lp1:getcontentlength></D:prop>"
  "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
  "<D:response xmlns:lp1=\"DAV:\"><D:href>" DEVICE_FOLDER
  "koers-tmp-00000001-0000000000000007-0000000000000009.batch</D:href><D:propstat><D:prop>"
  "<lp1:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n"
  "</D:multistatus>\n";

void
fuzz_make_corpus (const char *dir)
{
  fuzz_write_seed (dir, "top-nginx", 0, (const guint8 *) top_nginx, strlen (top_nginx));
  fuzz_write_seed (dir, "device-apache", 1, (const guint8 *) device_apache, strlen (device_apache));
}
