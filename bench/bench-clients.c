/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include "bench-clients.h"

static const char *const latin_first[] = { "Mohammed", "Ahmad", "Fatima", "Yonas", "Selam",
  "Abrehet", "Hamid", "Samira", "Dawit", "Mariam", "Omar", "Zahra", "Tesfay", "Amina", "Reza",
  "Olga", "Ali", "Hiwet", "Nasrin", "Khalid", NULL };
static const char *const latin_last[] = { "Al-Hashimi", "Karimi", "Tesfamariam", "Haile", "Rahimi",
  "Kidane", "Yusuf", "Haddad", "Mehari", "Ghebreyesus", "Hosseini", "Abdi", "Shevchenko",
  "Tekle", "Mohammadi", "Bashir", "Gebremedhin", "Ahmadi", "Osman", "Berhane", NULL };
static const char *const arabic[] = { "محمد", "أحمد", "فاطمة", "عمر", "خالد", "زينب", "عبد الله",
  "مريم", "يوسف", "حسن", "الهاشمي", "الكريمي", "حداد", "بشير", NULL };
static const char *const geez[] = { "ሰላም", "ዳዊት", "ተስፋይ", "ኪዳነ", "ሃይለ", "መሓሪ", "ብርሃነ", "ተኽለ",
  "ኣብርሀት", "ሕወት", "ገብረመድህን", NULL };
static const char *const persian[] = { "فاطمه", "رضا", "حسینی", "محمدی", "نسرین", "احمدی", "زهرا",
  "کریمی", "رحیمی", "علی", NULL };
static const char *const sentences[] = {
  "Cliënt vertelt over de situatie in het land van herkomst.",
  "We bespraken de mogelijkheden van een nieuwe asielaanvraag.",
  "Schaamte tegenover de familie speelt een grote rol.",
  "Geen paspoort; de ambassade vraagt een geboorteakte.",
  "Ze wil eerst met haar broer overleggen over terugkeer.",
  "Angst voor de politieke situatie, vooral in de hoofdstad.",
  "Afspraak gemaakt met de advocaat voor volgende week.",
  "Slaapt slecht, piekert veel; signaal doorgegeven aan de counsellor.",
  "Hij heeft een plan voor een kleine winkel na terugkeer.",
  "De jaren in Nederland voelen als verloren tijd.",
  NULL,
};

static const char *
pick (GRand *rand, const char *const *list)
{
  return list[g_rand_int_range (rand, 0, g_strv_length ((char **) list))];
}

static char *
make_name (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0: return g_strdup_printf ("%s %s", pick (rand, arabic), pick (rand, arabic));
    case 1: return g_strdup_printf ("%s %s", pick (rand, geez), pick (rand, geez));
    case 2: return g_strdup_printf ("%s %s", pick (rand, persian), pick (rand, persian));
    default: return g_strdup_printf ("%s %s", pick (rand, latin_first), pick (rand, latin_last));
    }
}

static char *
make_notes (GRand *rand, const char *name)
{
  GString *notes = g_string_new (NULL);
  int n = g_rand_int_range (rand, 3, 9);

  for (int i = 0; i < n; i++)
    g_string_append_printf (notes, "%s%s", i ? " " : "", pick (rand, sentences));
  if (g_rand_boolean (rand))
    g_string_append_printf (notes, "\nBroer: %s.", name);
  return g_string_free (notes, FALSE);
}

static void
add_client (KoersStore *store, GRand *rand, const char *steunpunt, const char *worker,
            guint conversations, GPtrArray *names, GPtrArray *ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();
  g_autoptr (KoersConsent) consent = koers_consent_new ();

  client->name = make_name (rand);
  client->steunpunt_id = g_strdup (steunpunt);
  client->country_of_origin = g_strdup ("ER");
  client->phase = KOERS_PHASE_ORIENTATION;
  BENCH_CHECK (koers_store_add_client (store, client, &error));
  consent->client_id = g_strdup (client->id);
  consent->granted = TRUE;
  consent->recorded_on = g_strdup ("2025-01-10");
  consent->recorded_by_id = g_strdup (worker);
  BENCH_CHECK (koers_store_add_consent (store, consent, &error));
  for (guint i = 0; i < conversations; i++)
    {
      g_autoptr (KoersConversation) conv = koers_conversation_new ();
      conv->client_id = g_strdup (client->id);
      conv->held_on = g_strdup_printf ("2025-%02d-%02d", g_rand_int_range (rand, 1, 13),
                                       g_rand_int_range (rand, 1, 29));
      conv->worker_ids = g_strsplit (worker, ",", -1);
      conv->steunpunt_id = g_strdup (steunpunt);
      conv->notes = make_notes (rand, pick (rand, latin_first));
      BENCH_CHECK (koers_store_add_conversation (store, conv, &error));
    }
  if (ids)
    g_ptr_array_add (ids, g_strdup (client->id));
  if (names)
    g_ptr_array_add (names, g_steal_pointer (&client->name));
}

void
bench_clients_import (KoersStore *store, guint clients, guint conversations, GPtrArray *names,
                      GPtrArray *ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  g_autoptr (KoersWorker) worker = koers_worker_new ();

  steunpunt->name = g_strdup ("Steunpunt Bench");
  BENCH_CHECK (koers_store_add_steunpunt (store, steunpunt, &error));
  worker->name = g_strdup ("Vrijwilliger");
  worker->role = KOERS_ROLE_VOLUNTEER;
  BENCH_CHECK (koers_store_add_worker (store, worker, &error));
  koers_store_set_current_worker (store, worker->id);
  for (guint i = 0; i < clients; i += 1000)
    {
      BENCH_CHECK (koers_store_begin (store, &error));
      for (guint j = i; j < MIN (clients, i + 1000); j++)
        add_client (store, rand, steunpunt->id, worker->id, conversations, names, ids);
      BENCH_CHECK (koers_store_commit (store, &error));
    }
}

char *
bench_clients_notes (GRand *rand)
{
  return make_notes (rand, pick (rand, latin_first));
}
