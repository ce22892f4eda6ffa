/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-export.c: one row per client, without what identifies them.
 *
 * Only fields that are codes, years or counts leave the vault: never a
 * name, alias, V-number, phone number, birth date or any free text (notes,
 * reasons, descriptions). Read through the store's list API.
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n-lib.h>

#include <sodium.h>
#include <string.h>

#include "koers-office-export.h"
#include "koers-office-report.h"

#define PSEUDONYM_BYTES 10

gboolean
koers_office_check_secret (GBytes  *secret,
                           GError **error)
{
  gsize len = secret != NULL ? g_bytes_get_size (secret) : 0;

  if (len >= KOERS_OFFICE_SECRET_MIN_BYTES && len <= KOERS_OFFICE_SECRET_MAX_BYTES)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("The office secret for pseudonyms is missing or has the wrong length; "
               "it is made by koers-office init and kept in the office vault."));
  return FALSE;
}

char *
koers_office_pseudonym (GBytes     *secret,
                        const char *client_id)
{
  guchar hash[PSEUDONYM_BYTES];
  char hex[PSEUDONYM_BYTES * 2 + 1];
  gsize key_len;
  const guchar *key = g_bytes_get_data (secret, &key_len);

  g_return_val_if_fail (key_len >= KOERS_OFFICE_SECRET_MIN_BYTES &&
                        key_len <= KOERS_OFFICE_SECRET_MAX_BYTES, NULL);
  crypto_generichash (hash, sizeof hash, (const guchar *) client_id, strlen (client_id),
                      key, key_len);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strconcat ("K-", hex, NULL);
}

/* Enumerations as stored (docs/case-model.md), by value. */
static const char *const gender_names[] = { NULL, "female", "male", "other" };
static const char *const procedure_names[] = {
  NULL, "in_procedure", "nearly_exhausted", "exhausted", "dublin",
  "subsequent_application", "irregular_stay", "other",
};
static const char *const intake_names[] = { NULL, "consultation_hour", "referral" };
static const char *const phase_names[] = {
  "intake", "orientation", "return_support", "monitoring", "closed",
};
static const char *const outcome_names[] = {
  NULL, "returned", "new_procedure", "permit", "stays_without_papers", "moved_on",
  "lost_contact", "other",
};
static const char *const plan_status_names[] = { "draft", "agreed", "departed", "monitoring", "closed" };
static const char *const answer_names[] = { NULL, "yes", "no", "not_known" };

/* The columns, in order. */
static const char *const columns[] = {
  "case", "steunpunt", "birth_year", "gender", "country_of_origin", "nationality",
  "procedure_status", "arrival_year", "intake_channel", "phase", "outcome", "closed_on",
  "first_conversation", "conversations", "psychosocial_signal", "referrals",
  "return_country", "return_partner", "plan_status", "departed_on",
  "checkin_12_held_on", "social_contacts_12", "economic_activity_12",
};

/* What the export says of one client beyond the client record. */
typedef struct
{
  const char            *first_conversation;
  guint                  conversations;
  gboolean               signal;
  guint                  referrals;
  const KoersReturnPlan *plan;       /* the latest */
  const KoersCheckin    *checkin_12;
} CaseFacts;

typedef struct
{
  GPtrArray  *clients, *steunpunten, *partners, *conversations, *referrals, *plans, *checkins;
  GHashTable *facts;   /* client id -> CaseFacts */
  GHashTable *names;   /* steunpunt and partner id -> name */
} ExportData;

static void
export_data_clear (ExportData *d)
{
  g_clear_pointer (&d->clients, g_ptr_array_unref);
  g_clear_pointer (&d->steunpunten, g_ptr_array_unref);
  g_clear_pointer (&d->partners, g_ptr_array_unref);
  g_clear_pointer (&d->conversations, g_ptr_array_unref);
  g_clear_pointer (&d->referrals, g_ptr_array_unref);
  g_clear_pointer (&d->plans, g_ptr_array_unref);
  g_clear_pointer (&d->checkins, g_ptr_array_unref);
  g_clear_pointer (&d->facts, g_hash_table_unref);
  g_clear_pointer (&d->names, g_hash_table_unref);
}

static gboolean
export_data_load (ExportData  *d,
                  KoersStore  *store,
                  GError     **error)
{
  return (d->clients = koers_store_list (store, KOERS_ENTITY_CLIENT, NULL, error)) != NULL &&
         (d->steunpunten = koers_store_list (store, KOERS_ENTITY_STEUNPUNT, NULL, error)) != NULL &&
         (d->partners = koers_store_list (store, KOERS_ENTITY_PARTNER_ORG, NULL, error)) != NULL &&
         (d->conversations = koers_store_list (store, KOERS_ENTITY_CONVERSATION, NULL, error)) != NULL &&
         (d->referrals = koers_store_list (store, KOERS_ENTITY_REFERRAL, NULL, error)) != NULL &&
         (d->plans = koers_store_list (store, KOERS_ENTITY_RETURN_PLAN, NULL, error)) != NULL &&
         (d->checkins = koers_store_list (store, KOERS_ENTITY_CHECKIN, NULL, error)) != NULL;
}

/* The pseudonymised export is reporting: only the clients whose latest
 * reporting consent grants it (no record: left out). The named export is
 * the office's own, audited, and holds every file. */
static gboolean
keep_reporting_clients (ExportData  *d,
                        KoersStore  *store,
                        GError     **error)
{
  g_autoptr(GHashTable) consenting = koers_store_clients_with_consent (
    store, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, error);
  guint kept = 0;

  if (consenting == NULL)
    return FALSE;
  for (guint i = 0; i < d->clients->len; i++)
    {
      KoersClient *client = g_ptr_array_index (d->clients, i);

      if (g_hash_table_contains (consenting, client->id))
        {
          d->clients->pdata[i] = d->clients->pdata[kept];
          d->clients->pdata[kept++] = client;
        }
    }
  g_ptr_array_set_size (d->clients, kept);  /* frees the rest */
  return TRUE;
}

static CaseFacts *
facts_of (ExportData *d, const char *client_id)
{
  CaseFacts *facts = g_hash_table_lookup (d->facts, client_id);

  if (facts == NULL)
    {
      facts = g_new0 (CaseFacts, 1);
      g_hash_table_insert (d->facts, (gpointer) client_id, facts);
    }
  return facts;
}

static void
gather_facts (ExportData *d)
{
  g_autoptr(GHashTable) plan_client = g_hash_table_new (g_str_hash, g_str_equal);

  d->facts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  d->names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < d->steunpunten->len; i++)
    {
      KoersSteunpunt *sp = g_ptr_array_index (d->steunpunten, i);
      g_hash_table_insert (d->names, sp->id, sp->name);
    }
  for (guint i = 0; i < d->partners->len; i++)
    {
      KoersPartnerOrg *p = g_ptr_array_index (d->partners, i);
      g_hash_table_insert (d->names, p->id, p->name);
    }
  for (guint i = 0; i < d->conversations->len; i++)
    {
      KoersConversation *conv = g_ptr_array_index (d->conversations, i);
      CaseFacts *facts = facts_of (d, conv->client_id);

      facts->conversations++;
      facts->signal |= conv->psychosocial_signal;
      if (facts->first_conversation == NULL || strcmp (conv->held_on, facts->first_conversation) < 0)
        facts->first_conversation = conv->held_on;
    }
  for (guint i = 0; i < d->referrals->len; i++)
    facts_of (d, ((KoersReferral *) g_ptr_array_index (d->referrals, i))->client_id)->referrals++;
  /* Plans are listed oldest first: the last one wins. */
  for (guint i = 0; i < d->plans->len; i++)
    {
      KoersReturnPlan *plan = g_ptr_array_index (d->plans, i);

      facts_of (d, plan->client_id)->plan = plan;
      g_hash_table_insert (plan_client, plan->id, plan->client_id);
    }
  for (guint i = 0; i < d->checkins->len; i++)
    {
      KoersCheckin *checkin = g_ptr_array_index (d->checkins, i);
      const char *client_id = g_hash_table_lookup (plan_client, checkin->plan_id);
      CaseFacts *facts;

      if (checkin->month != 12 || client_id == NULL)
        continue;
      facts = facts_of (d, client_id);
      if (facts->plan != NULL && g_strcmp0 (facts->plan->id, checkin->plan_id) == 0)
        facts->checkin_12 = checkin;
    }
}

/* One client's values, as text (NULL: not recorded), in column order. */
static void
case_values (ExportData        *d,
             const KoersClient *client,
             GBytes            *secret,
             char             **values)
{
  CaseFacts *facts = facts_of (d, client->id);
  const KoersReturnPlan *plan = facts->plan;
  const KoersCheckin *checkin = facts->checkin_12;
  guint n = 0;

  values[n++] = koers_office_pseudonym (secret, client->id);
  values[n++] = g_strdup (client->steunpunt_id ? g_hash_table_lookup (d->names, client->steunpunt_id) : NULL);
  values[n++] = client->birth_year ? g_strdup_printf ("%d", client->birth_year) : NULL;
  values[n++] = g_strdup (gender_names[client->gender]);
  values[n++] = g_strdup (client->country_of_origin);
  values[n++] = g_strdup (client->nationality);
  values[n++] = g_strdup (procedure_names[client->procedure_status]);
  values[n++] = client->arrival_year ? g_strdup_printf ("%d", client->arrival_year) : NULL;
  values[n++] = g_strdup (intake_names[client->intake_channel]);
  values[n++] = g_strdup (phase_names[client->phase]);
  values[n++] = g_strdup (outcome_names[client->outcome]);
  values[n++] = g_strdup (client->closed_on);
  values[n++] = g_strdup (facts->first_conversation);
  values[n++] = g_strdup_printf ("%u", facts->conversations);
  values[n++] = g_strdup (facts->signal ? "yes" : "no");
  values[n++] = g_strdup_printf ("%u", facts->referrals);
  values[n++] = g_strdup (plan ? plan->country : NULL);
  values[n++] = g_strdup (plan && plan->partner_id ? g_hash_table_lookup (d->names, plan->partner_id) : NULL);
  values[n++] = g_strdup (plan ? plan_status_names[plan->status] : NULL);
  values[n++] = g_strdup (plan ? plan->departed_on : NULL);
  values[n++] = g_strdup (checkin ? checkin->held_on : NULL);
  values[n++] = g_strdup (checkin ? answer_names[checkin->social_contacts] : NULL);
  values[n++] = g_strdup (checkin ? answer_names[checkin->economic_activity] : NULL);
  g_assert (n == G_N_ELEMENTS (columns));
}

/* Numbers stay numbers in JSON. */
static gboolean
is_count_column (guint column)
{
  return column == 2 || column == 7 || column == 13 || column == 15;
}

static void
append_csv_row (GString *text, const char *name, char **values, gboolean with_names)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      koers_office_csv_field (text, values[i]);
      if (i == 0 && with_names)
        {
          g_string_append_c (text, ',');
          koers_office_csv_field (text, name);
        }
    }
  g_string_append (text, "\r\n");
}

static void
append_json_row (GString *text, const char *name, char **values, gboolean with_names)
{
  g_string_append_c (text, '{');
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      koers_office_json_string (text, columns[i]);
      g_string_append (text, ": ");
      if (is_count_column (i) && values[i] != NULL)
        g_string_append (text, values[i]);
      else
        koers_office_json_string (text, values[i]);
      if (i == 0 && with_names)
        {
          g_string_append (text, ", \"name\": ");
          koers_office_json_string (text, name);
        }
    }
  g_string_append_c (text, '}');
}

static void
append_header (GString *text, KoersExportFormat format, gboolean with_names)
{
  if (format == KOERS_EXPORT_FORMAT_JSON)
    {
      g_string_append (text, "[");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_string_append (text, i > 0 ? "," : "");
      g_string_append (text, columns[i]);
      if (i == 0 && with_names)
        g_string_append (text, ",name");
    }
  g_string_append (text, "\r\n");
}

static GString *
export_text (ExportData *d, GBytes *secret, KoersExportFormat format, gboolean with_names)
{
  GString *text = g_string_new (NULL);

  append_header (text, format, with_names);
  for (guint i = 0; i < d->clients->len; i++)
    {
      KoersClient *client = g_ptr_array_index (d->clients, i);
      char *values[G_N_ELEMENTS (columns)];

      case_values (d, client, secret, values);
      if (format == KOERS_EXPORT_FORMAT_JSON)
        {
          g_string_append (text, i > 0 ? ",\n " : "\n ");
          append_json_row (text, client->name, values, with_names);
        }
      else
        append_csv_row (text, client->name, values, with_names);
      for (guint j = 0; j < G_N_ELEMENTS (columns); j++)
        g_free (values[j]);
    }
  if (format == KOERS_EXPORT_FORMAT_JSON)
    g_string_append (text, "\n]\n");
  return text;
}

gboolean
koers_office_export_pseudonymised (KoersStore         *store,
                                   GBytes             *secret,
                                   KoersExportFormat   format,
                                   gboolean            with_names,
                                   GOutputStream      *out,
                                   GError            **error)
{
  ExportData d = { 0 };
  g_autoptr(GString) text = NULL;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (store), FALSE);
  if (!koers_office_check_secret (secret, error))
    return FALSE;
  ok = export_data_load (&d, store, error) && (with_names || keep_reporting_clients (&d, store, error));
  /* The audit records a named export before any name leaves the vault. */
  if (ok && with_names)
    ok = koers_store_audit_named_export (store, d.clients->len, error);
  if (ok)
    {
      gather_facts (&d);
      text = export_text (&d, secret, format, with_names);
      ok = koers_office_write_all (out, text, error);
      sodium_memzero (text->str, text->len);
    }
  export_data_clear (&d);
  return ok;
}
