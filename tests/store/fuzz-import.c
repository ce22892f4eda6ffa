/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the JSON Lines import, the store's parser of outside
 * input. Built as a libFuzzer target when the compiler is clang; otherwise
 * (and as a test) it replays the files or folders given on the command
 * line, such as tests/store/fuzz-corpus/. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-fuzz"

#include <sqlite3.h>
#include <stdint.h>

#include "koers-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint accepted;

/* Every input meets a new, empty store. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr (GError) error = NULL;
  KoersStore *store;
  sqlite3 *db = NULL;

  if (sqlite3_open (":memory:", &db) != SQLITE_OK)
    g_error ("no in-memory database");
  if ((store = koers_store_new (db, &error)) == NULL)
    g_error ("%s", error->message);
  if (koers_store_import_jsonl (store, in, NULL, &error))
    accepted++;
  else
    g_assert_true (error != NULL && error->message != NULL && *error->message != '\0');
  g_object_unref (store);
  sqlite3_close (db);
  return 0;
}

#ifndef KOERS_LIBFUZZER
static guint
replay (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += replay (child);
        }
      return n;
    }
  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("cannot read %s", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int argc, char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  /* TAP, so meson can run it as a test */
  g_print ("1..1\nok 1 - %u inputs replayed, %u accepted\n", n, accepted);
  return 0;
}
#endif
