/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-fixture.h: a real vault in a temporary folder with a store on it. */
#pragma once

#include "koers-store-private.h"
#include "koers-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char       *dir;
  KoersVault *vault;
  KoersStore *store;
  gint64      now_ms;       /* the store's clock */
  char       *steunpunt_id;
  char       *volunteer_id;
  char       *counsellor_id;
} StoreFixture;

/* 2025-06-15 12:00 UTC */
#define FIXTURE_START_MS G_GINT64_CONSTANT (1749988800000)

/* Pass as test data for a store without reference data. */
#define STORE_FIXTURE_EMPTY "empty"

void         store_fixture_setup     (StoreFixture  *f,
                                      gconstpointer  data);
void         store_fixture_teardown  (StoreFixture  *f,
                                      gconstpointer  data);
/* Closes the store, locks and unlocks the vault, opens a new store. */
void         store_fixture_reopen    (StoreFixture  *f);

/* A client in the intake phase; with @consent, with the store_file
 * consent recorded. Returns the id (owned by the caller). */
char        *store_fixture_add_client (StoreFixture *f,
                                       const char   *name,
                                       gboolean      consent);
/* A conversation of @client_id on 2025-06-01 with @notes. */
char        *store_fixture_add_conversation (StoreFixture *f,
                                             const char   *client_id,
                                             const char   *notes);
/* @n clients, each with the store_file consent and a conversation
 * ("Gesprek: عودة طوعية"), named "@prefix @tag-@i@suffix" (@i from 0). */
void         store_fixture_add_clients (StoreFixture *f,
                                        guint         n,
                                        const char   *prefix,
                                        guint         tag,
                                        const char   *suffix);
/* A whole file in @name: every kind of record, notes in @notes, check-ins
 * scheduled. @relative_id, if given, becomes a family member. */
char        *store_fixture_add_full_file (StoreFixture *f,
                                          const char   *name,
                                          const char   *notes,
                                          const char   *relative_id);
/* Changes the phone number of client @client_id (an edit of one field). */
void         store_fixture_set_phone (StoreFixture *f,
                                      const char   *client_id,
                                      const char   *phone);
/* The number @sql (a SELECT count) returns, on the fixture's store or
 * on @store. */
gint64       store_fixture_count     (StoreFixture *f,
                                      const char   *sql);
gint64       store_fixture_count_in  (KoersStore   *store,
                                      const char   *sql);
/* The rows of @sql (a SELECT of one text column) on @store, each
 * followed by a newline. */
char        *store_fixture_rows      (KoersStore   *store,
                                      const char   *sql);
/* The whole of @store as JSON Lines (koers_store_export_jsonl()). */
char        *store_fixture_export_jsonl (KoersStore *store);

/* @cli (koers-cli) on the fixture's vault, closed here, as its user
 * "Tester", in English, with @args (NULL-terminated): its exit status;
 * what it wrote to stdout and stderr in @out. */
int          store_fixture_run_cli   (StoreFixture       *f,
                                      const char         *cli,
                                      char              **out,
                                      const char *const  *args);

/* Every byte of @store's decrypted database, page by page in order,
 * free pages included (a copy made with the backup API). */
GBytes      *store_fixture_plain_image    (KoersStore   *store);
gboolean     store_fixture_image_contains (GBytes       *image,
                                           const char   *marker);

G_END_DECLS
