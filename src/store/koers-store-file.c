/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-file.c: a client's file in one read (KoersClientFile), and
 * the use cases that save a file, a conversation and adopt a worker. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-client-file.h"
#include "koers-drafts.h"
#include "koers-store-private.h"

/* The read model ------------------------------------------------------------ */

static void
file_conversation_free (KoersFileConversation *node)
{
  koers_conversation_free (node->conversation);
  g_ptr_array_unref (node->addenda);
  g_ptr_array_unref (node->next_steps);
  g_free (node);
}

static void
file_plan_free (KoersFilePlan *node)
{
  koers_return_plan_free (node->plan);
  g_ptr_array_unref (node->steps);
  g_ptr_array_unref (node->support_items);
  g_ptr_array_unref (node->checkins);
  g_free (node);
}

void
koers_client_file_free (KoersClientFile *file)
{
  if (file == NULL)
    return;
  koers_client_free (file->client);
  g_clear_pointer (&file->aliases, g_ptr_array_unref);
  g_clear_pointer (&file->family_links, g_ptr_array_unref);
  g_clear_pointer (&file->consents, g_ptr_array_unref);
  g_clear_pointer (&file->conversations, g_ptr_array_unref);
  g_clear_pointer (&file->referrals, g_ptr_array_unref);
  g_clear_pointer (&file->plans, g_ptr_array_unref);
  g_free (file);
}

KoersFilePlan *
koers_client_file_get_plan (const KoersClientFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->plans->len > 0 ? g_ptr_array_index (file->plans, file->plans->len - 1) : NULL;
}

static GPtrArray *
records_of (KoersEntity kind)
{
  return g_ptr_array_new_with_free_func (koers_record_free_func (kind));
}

/* The records of @kind whose parent (a record of @parent) belongs to the
 * client: one query for all the client's conversations or plans. */
static GPtrArray *
list_grandchildren (KoersStore  *self,
                    KoersEntity  kind,
                    KoersEntity  parent,
                    const char  *client_id,
                    GError     **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autofree char *columns = koers_store_columns (kind, "x");
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s x JOIN %s p ON p.id = x.%s"
                                          " WHERE p.client_id = ? ORDER BY x.id",
                                          columns, info->name, koers_entity_name (parent),
                                          info->fields[info->parent].name);
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  return koers_store_collect_records (self, kind, stmt, error);
}

/* The parent id of a record (its first PARENT field). */
static const char *
parent_of (KoersEntity   kind,
           gconstpointer record)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  return *(char *const *) KOERS_FIELD_PTR (&info->fields[info->parent], record);
}

/* Moves each record of @from into the array at @offset of the node its
 * parent id names in @nodes (id -> node). */
static void
distribute (GPtrArray   *from,
            KoersEntity  kind,
            GHashTable  *nodes,
            gsize        offset)
{
  for (guint i = 0; i < from->len; i++)
    {
      gpointer node = g_hash_table_lookup (nodes, parent_of (kind, from->pdata[i]));

      if (node != NULL)
        g_ptr_array_add (G_STRUCT_MEMBER (GPtrArray *, node, offset),
                         koers_record_copy (kind, from->pdata[i]));
    }
}

static gboolean
read_conversations (KoersStore       *self,
                    KoersClientFile  *file,
                    GError          **error)
{
  const char *id = file->client->id;
  g_autoptr(GPtrArray) conversations = koers_store_list (self, KOERS_ENTITY_CONVERSATION, id, error);
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);

  if (conversations == NULL ||
      (addenda = list_grandchildren (self, KOERS_ENTITY_NOTE_ADDENDUM, KOERS_ENTITY_CONVERSATION, id, error)) == NULL ||
      (steps = list_grandchildren (self, KOERS_ENTITY_NEXT_STEP, KOERS_ENTITY_CONVERSATION, id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < conversations->len; i++)
    {
      KoersFileConversation *node = g_new0 (KoersFileConversation, 1);

      node->conversation = g_steal_pointer (&conversations->pdata[i]);
      node->addenda = records_of (KOERS_ENTITY_NOTE_ADDENDUM);
      node->next_steps = records_of (KOERS_ENTITY_NEXT_STEP);
      g_ptr_array_add (file->conversations, node);
      g_hash_table_insert (nodes, node->conversation->id, node);
    }
  distribute (addenda, KOERS_ENTITY_NOTE_ADDENDUM, nodes, G_STRUCT_OFFSET (KoersFileConversation, addenda));
  distribute (steps, KOERS_ENTITY_NEXT_STEP, nodes, G_STRUCT_OFFSET (KoersFileConversation, next_steps));
  return TRUE;
}

static gboolean
read_plans (KoersStore       *self,
            KoersClientFile  *file,
            GError          **error)
{
  const char *id = file->client->id;
  g_autoptr(GPtrArray) plans = koers_store_list (self, KOERS_ENTITY_RETURN_PLAN, id, error);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) checkins = NULL;
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);

  if (plans == NULL ||
      (steps = list_grandchildren (self, KOERS_ENTITY_RETURN_STEP, KOERS_ENTITY_RETURN_PLAN, id, error)) == NULL ||
      (items = list_grandchildren (self, KOERS_ENTITY_SUPPORT_ITEM, KOERS_ENTITY_RETURN_PLAN, id, error)) == NULL ||
      (checkins = list_grandchildren (self, KOERS_ENTITY_CHECKIN, KOERS_ENTITY_RETURN_PLAN, id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < plans->len; i++)
    {
      KoersFilePlan *node = g_new0 (KoersFilePlan, 1);

      node->plan = g_steal_pointer (&plans->pdata[i]);
      node->steps = records_of (KOERS_ENTITY_RETURN_STEP);
      node->support_items = records_of (KOERS_ENTITY_SUPPORT_ITEM);
      node->checkins = records_of (KOERS_ENTITY_CHECKIN);
      g_ptr_array_add (file->plans, node);
      g_hash_table_insert (nodes, node->plan->id, node);
    }
  distribute (steps, KOERS_ENTITY_RETURN_STEP, nodes, G_STRUCT_OFFSET (KoersFilePlan, steps));
  distribute (items, KOERS_ENTITY_SUPPORT_ITEM, nodes, G_STRUCT_OFFSET (KoersFilePlan, support_items));
  distribute (checkins, KOERS_ENTITY_CHECKIN, nodes, G_STRUCT_OFFSET (KoersFilePlan, checkins));
  return TRUE;
}

/* As koers_store_has_consent(): the latest record (by date, then id). */
static gboolean
latest_consent (GPtrArray        *consents,
                KoersConsentKind  kind)
{
  const KoersConsent *latest = NULL;

  for (guint i = 0; i < consents->len; i++)
    {
      const KoersConsent *c = consents->pdata[i];
      int by_date;

      if (c->kind != kind)
        continue;
      by_date = latest != NULL ? g_strcmp0 (c->recorded_on, latest->recorded_on) : 1;
      if (by_date > 0 || (by_date == 0 && strcmp (c->id, latest->id) > 0))
        latest = c;
    }
  return latest != NULL && latest->granted;
}

static gboolean
read_file (KoersStore       *self,
           KoersClientFile  *file,
           const char       *client_id,
           GError          **error)
{
  file->client = koers_store_get_client (self, client_id, error);
  if (file->client == NULL ||
      (file->aliases = koers_store_list (self, KOERS_ENTITY_ALIAS, client_id, error)) == NULL ||
      (file->family_links = koers_store_list (self, KOERS_ENTITY_FAMILY_LINK, client_id, error)) == NULL ||
      (file->consents = koers_store_list (self, KOERS_ENTITY_CONSENT, client_id, error)) == NULL ||
      (file->referrals = koers_store_list (self, KOERS_ENTITY_REFERRAL, client_id, error)) == NULL)
    return FALSE;
  file->store_file_consent = latest_consent (file->consents, KOERS_CONSENT_STORE_FILE);
  return read_conversations (self, file, error) && read_plans (self, file, error);
}

/* A read transaction: one snapshot, and no write lock (a SAVEPOINT outside
 * a transaction begins a deferred one). */
static gboolean
read_exec (KoersStore  *self,
           const char  *sql,
           GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  koers_store_set_sqlite_error (self, error, sqlite3_extended_errcode (self->db), _("reading"));
  return FALSE;
}

KoersClientFile *
koers_store_read_file (KoersStore  *self,
                       const char  *client_id,
                       gboolean     audit_open,
                       GError     **error)
{
  g_autoptr(KoersClientFile) file = NULL;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  file = g_new0 (KoersClientFile, 1);
  file->conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) file_conversation_free);
  file->plans = g_ptr_array_new_with_free_func ((GDestroyNotify) file_plan_free);
  if (audit_open)
    {
      if (!koers_store_write_begin (self, error))
        return NULL;
      ok = read_file (self, file, client_id, error) &&
           koers_store_audit (self, "open", client_id, "client", error);
      if (!koers_store_write_end (self, ok, error))
        return NULL;
      return g_steal_pointer (&file);
    }
  if (!read_exec (self, "SAVEPOINT koers_read", error))
    return NULL;
  ok = read_file (self, file, client_id, error);
  if (!ok)
    sqlite3_exec (self->db, "ROLLBACK TO koers_read", NULL, NULL, NULL);
  if (!read_exec (self, "RELEASE koers_read", ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&file);
}

/* Saving a client's file ------------------------------------------------------ */

static gboolean
save_aliases (KoersStore         *self,
              const char         *client_id,
              const char *const  *wanted,
              GError            **error)
{
  g_autoptr(GPtrArray) stored = koers_store_list (self, KOERS_ENTITY_ALIAS, client_id, error);

  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      KoersAlias *alias = g_ptr_array_index (stored, i);

      if ((wanted == NULL || !g_strv_contains (wanted, alias->name)) &&
          !koers_store_delete_alias (self, alias->id, error))
        return FALSE;
    }
  for (guint i = 0; wanted != NULL && wanted[i] != NULL; i++)
    {
      g_autoptr(KoersAlias) alias = NULL;
      gboolean known = FALSE;

      for (guint j = 0; j < stored->len && !known; j++)
        known = g_str_equal (((KoersAlias *) g_ptr_array_index (stored, j))->name, wanted[i]);
      /* A name typed twice is one alias. */
      for (guint j = 0; j < i && !known; j++)
        known = g_str_equal (wanted[j], wanted[i]);
      if (known)
        continue;
      alias = koers_alias_new ();
      alias->client_id = g_strdup (client_id);
      alias->name = g_strdup (wanted[i]);
      if (!koers_store_add_alias (self, alias, error))
        return FALSE;
    }
  return TRUE;
}

/* The current worker's steunpunt, or NULL. */
static char *
worker_steunpunt (KoersStore  *self,
                  GError     **error)
{
  const char *worker_id = koers_store_get_current_worker (self);
  g_autoptr(KoersWorker) worker = NULL;

  if (worker_id == NULL)
    return NULL;
  worker = koers_store_get_worker (self, worker_id, error);
  return worker != NULL ? g_steal_pointer (&worker->steunpunt_id) : NULL;
}

static gboolean
save_client_file (KoersStore         *self,
                  KoersClient        *client,
                  gboolean            consent,
                  const char *const  *aliases,
                  GError            **error)
{
  gboolean is_new = client->id == NULL;
  g_autoptr(GError) local = NULL;

  if (is_new && client->steunpunt_id == NULL)
    {
      client->steunpunt_id = worker_steunpunt (self, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (!(is_new ? koers_store_add_client (self, client, error)
               : koers_store_update_client (self, client, error)))
    return FALSE;
  if (consent != koers_store_has_consent (self, client->id, KOERS_CONSENT_STORE_FILE))
    {
      g_autoptr(KoersConsent) record = koers_consent_new ();

      record->client_id = g_strdup (client->id);
      record->kind = KOERS_CONSENT_STORE_FILE;
      record->granted = consent;
      record->recorded_on = koers_store_today (self);
      record->recorded_by_id = g_strdup (koers_store_get_current_worker (self));
      if (!koers_store_add_consent (self, record, error))
        return FALSE;
    }
  return save_aliases (self, client->id, aliases, error);
}

/* Each of @consents for the client (a new client's id is known only
 * now); their ids are set. */
static gboolean
add_consents (KoersStore   *self,
              const char   *client_id,
              GPtrArray    *consents,
              GError      **error)
{
  for (guint i = 0; consents != NULL && i < consents->len; i++)
    {
      KoersConsent *record = g_ptr_array_index (consents, i);

      g_free (record->client_id);
      record->client_id = g_strdup (client_id);
      if (!koers_store_add_consent (self, record, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_store_save_client_file (KoersStore         *self,
                              KoersClient        *client,
                              gboolean            consent,
                              const char *const  *aliases,
                              GError            **error)
{
  return koers_store_save_client_consents (self, client, consent, aliases, NULL, error);
}

gboolean
koers_store_save_client_consents (KoersStore         *self,
                                  KoersClient        *client,
                                  gboolean            consent,
                                  const char *const  *aliases,
                                  GPtrArray          *consents,
                                  GError            **error)
{
  g_autofree char *given_id = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client != NULL, FALSE);

  given_id = g_strdup (client->id);
  if (!koers_store_begin (self, error))
    return FALSE;
  if (!save_client_file (self, client, consent, aliases, error) ||
      !add_consents (self, client->id, consents, error))
    {
      koers_store_rollback (self);
      goto fail;
    }
  /* A failed commit (consent missing) rolls back by itself. */
  if (koers_store_commit (self, error))
    return TRUE;

fail:
  /* Rolled back: a new client has no id after all. */
  g_free (client->id);
  client->id = g_steal_pointer (&given_id);
  return FALSE;
}

/* Saving a conversation --------------------------------------------------- */

static gboolean
fill_new_conversation (KoersStore         *self,
                       KoersConversation  *conversation,
                       GError            **error)
{
  const char *worker = koers_store_get_current_worker (self);

  if (conversation->steunpunt_id == NULL)
    {
      g_autoptr(KoersClient) client = koers_store_get_client (self, conversation->client_id, error);

      if (client == NULL)
        return FALSE;
      conversation->steunpunt_id = g_strdup (client->steunpunt_id);
    }
  if (conversation->worker_ids == NULL && worker != NULL)
    {
      const char *workers[] = { worker, NULL };

      conversation->worker_ids = g_strdupv ((char **) workers);
    }
  return TRUE;
}

static gboolean
save_conversation (KoersStore         *self,
                   KoersConversation  *conversation,
                   GPtrArray          *new_steps,
                   GError            **error)
{
  gboolean is_new = conversation->id == NULL;

  if (is_new && (!fill_new_conversation (self, conversation, error) ||
                 !koers_store_add_conversation (self, conversation, error)))
    return FALSE;
  if (!is_new && !koers_store_update_conversation (self, conversation, error))
    return FALSE;
  for (guint i = 0; new_steps != NULL && i < new_steps->len; i++)
    {
      KoersNextStep *step = g_ptr_array_index (new_steps, i);

      g_free (step->conversation_id);
      step->conversation_id = g_strdup (conversation->id);
      g_clear_pointer (&step->id, g_free);
      if (step->owner_id == NULL)
        step->owner_id = g_strdup (koers_store_get_current_worker (self));
      if (!koers_store_add_next_step (self, step, error))
        return FALSE;
    }
  /* The draft is now the saved record. */
  return koers_store_discard_draft (self, conversation->client_id,
                                    is_new ? NULL : conversation->id, error);
}

gboolean
koers_store_save_conversation (KoersStore         *self,
                               KoersConversation  *conversation,
                               GPtrArray          *new_steps,
                               GError            **error)
{
  g_autofree char *given_id = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (conversation != NULL && conversation->client_id != NULL, FALSE);

  given_id = g_strdup (conversation->id);
  if (!koers_store_begin (self, error))
    return FALSE;
  if (!save_conversation (self, conversation, new_steps, error))
    {
      koers_store_rollback (self);
      goto fail;
    }
  if (koers_store_commit (self, error))
    return TRUE;

fail:
  g_free (conversation->id);
  conversation->id = g_steal_pointer (&given_id);
  return FALSE;
}

/* Adopting a worker ------------------------------------------------------- */

/* The id of the worker called @name (an active one first), or NULL. */
static char *
find_worker (KoersStore  *self,
             const char  *name,
             GError     **error)
{
  g_autoptr(GPtrArray) workers = koers_store_list (self, KOERS_ENTITY_WORKER, NULL, error);
  const KoersWorker *found = NULL;

  for (guint i = 0; workers != NULL && i < workers->len; i++)
    {
      const KoersWorker *w = g_ptr_array_index (workers, i);

      if (g_strcmp0 (w->name, name) == 0 && (found == NULL || (w->active && !found->active)))
        found = w;
    }
  return found != NULL ? g_strdup (found->id) : NULL;
}

static gboolean
add_worker (KoersStore           *self,
            KoersWorker          *worker,
            const KoersNewWorker *if_new,
            GError              **error)
{
  g_autoptr(KoersSteunpunt) steunpunt = NULL;

  if (if_new->steunpunt_name != NULL)
    {
      steunpunt = koers_steunpunt_new ();
      steunpunt->name = g_strdup (if_new->steunpunt_name);
      if (!koers_store_add_steunpunt (self, steunpunt, error))
        return FALSE;
      worker->steunpunt_id = g_strdup (steunpunt->id);
    }
  return koers_store_add_worker (self, worker, error);
}

gboolean
koers_store_adopt_worker (KoersStore           *self,
                          const char           *name,
                          const KoersNewWorker *if_new,
                          GError              **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersWorker) worker = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  koers_store_set_current_worker (self, NULL);
  if (name == NULL)
    return TRUE;
  id = find_worker (self, name, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (id == NULL && if_new != NULL)
    {
      worker = koers_worker_new ();
      worker->name = g_strdup (name);
      worker->role = if_new->role;
      if (!koers_store_begin (self, error))
        return FALSE;
      if (!add_worker (self, worker, if_new, error))
        {
          koers_store_rollback (self);
          return FALSE;
        }
      if (!koers_store_commit (self, error))
        return FALSE;
      id = g_strdup (worker->id);
    }
  koers_store_set_current_worker (self, id);
  return TRUE;
}
