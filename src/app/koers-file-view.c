/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-file-view"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-conflict-view.h"
#include "koers-file-view.h"
#include "koers-labels.h"
#include "sync/koers-sync-round.h"

void
koers_file_view_free (KoersFileView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->file, koers_client_file_free);
  g_clear_pointer (&view->names, g_hash_table_unref);
  g_free (view->today);
  g_clear_pointer (&view->conflicts, g_ptr_array_unref);
  g_free (view);
}

/* Reading, on the reader's thread ------------------------------------------ */

static void
add_worker_name (KoersStore *store,
                 GHashTable *names,
                 const char *id)
{
  g_autoptr(KoersWorker) worker = NULL;

  if (id == NULL || g_hash_table_contains (names, id))
    return;
  /* A worker removed since is left nameless, not an error of the file. */
  if ((worker = koers_store_get_worker (store, id, NULL)) != NULL)
    g_hash_table_insert (names, g_strdup (id), g_steal_pointer (&worker->name));
}

static void
add_org_name (KoersStore *store,
              GHashTable *names,
              const char *id)
{
  g_autoptr(KoersReferralOrg) org = NULL;

  if (id == NULL || g_hash_table_contains (names, id))
    return;
  if ((org = koers_store_get_referral_org (store, id, NULL)) != NULL)
    g_hash_table_insert (names, g_strdup (id), g_steal_pointer (&org->name));
}

/* The names of the people and organisations the file's records point to. */
static GHashTable *
read_names (KoersStore            *store,
            const KoersClientFile *file)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < file->conversations->len; i++)
    {
      KoersFileConversation *node = g_ptr_array_index (file->conversations, i);

      for (guint j = 0; node->conversation->worker_ids != NULL && node->conversation->worker_ids[j] != NULL; j++)
        add_worker_name (store, names, node->conversation->worker_ids[j]);
    }
  for (guint i = 0; i < file->referrals->len; i++)
    {
      KoersReferral *r = g_ptr_array_index (file->referrals, i);

      add_worker_name (store, names, r->counsellor_id);
      add_org_name (store, names, r->organisation_id);
    }
  return names;
}

static gboolean
read_delivery (KoersStore         *store,
               const char         *client_id,
               KoersFileDelivery  *delivery,
               GError            **error)
{
  KoersDelivery state;

  if (!koers_sync_is_enrolled (store))
    {
      *delivery = KOERS_FILE_ON_LAPTOP_ONLY;
      return TRUE;
    }
  if (!koers_store_sync_client_state (store, client_id, &state, error))
    return FALSE;
  switch (state)
    {
    case KOERS_DELIVERY_ACKNOWLEDGED:
      *delivery = KOERS_FILE_ARRIVED;
      break;
    case KOERS_DELIVERY_UPLOADED:
      *delivery = KOERS_FILE_SENT;
      break;
    case KOERS_DELIVERY_NOT_SENT:
    default:
      *delivery = KOERS_FILE_WAITING;
      break;
    }
  return TRUE;
}

static gpointer
read_view (KoersStore    *store,
           gpointer       client_id,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(KoersFileView) view = g_new0 (KoersFileView, 1);

  view->file = koers_store_read_file (store, client_id, FALSE, error);
  if (view->file == NULL ||
      !read_delivery (store, client_id, &view->delivery, error) ||
      (view->conflicts = koers_conflict_view_read (store, client_id, error)) == NULL)
    return NULL;
  view->names = read_names (store, view->file);
  view->today = koers_store_today (store);
  return g_steal_pointer (&view);
}

void
koers_file_view_read_async (KoersStoreReader    *reader,
                            const char          *client_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_STORE_READER (reader));
  g_return_if_fail (client_id != NULL);

  koers_store_reader_run_async (reader, read_view, g_strdup (client_id), g_free,
                                (GDestroyNotify) koers_file_view_free, cancellable, callback, user_data);
}

KoersFileView *
koers_file_view_read_finish (KoersStoreReader  *reader,
                             GAsyncResult      *result,
                             GError           **error)
{
  return koers_store_reader_run_finish (reader, result, error);
}

const KoersConsent *
koers_file_view_latest_consent (const KoersFileView *view,
                                KoersConsentKind     kind)
{
  const KoersConsent *latest = NULL;
  GPtrArray *consents = view->file->consents;

  for (guint i = 0; i < consents->len; i++)
    {
      const KoersConsent *c = g_ptr_array_index (consents, i);
      int by_date;

      if (c->kind != kind)
        continue;
      by_date = latest != NULL ? g_strcmp0 (c->recorded_on, latest->recorded_on) : 1;
      if (by_date > 0 || (by_date == 0 && strcmp (c->id, latest->id) > 0))
        latest = c;
    }
  return latest;
}

/* The timeline ------------------------------------------------------------- */

void
koers_file_event_free (KoersFileEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->date);
  g_free (event->title);
  g_free (event->subtitle);
  g_free (event->conversation_id);
  g_clear_pointer (&event->referral, koers_referral_free);
  g_free (event);
}

static KoersFileEvent *
event_new (const char *date,
           char       *title,
           char       *subtitle)
{
  KoersFileEvent *event = g_new0 (KoersFileEvent, 1);

  event->date = g_strdup (date != NULL ? date : "");
  event->title = title;
  event->subtitle = subtitle;
  return event;
}

/* "10 december 2026 · text" (either part may be missing). */
static char *
dated (const char *date,
       const char *text)
{
  g_autofree char *when = koers_label_date (date);
  GStrvBuilder *parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (when != NULL && *when != '\0')
    g_strv_builder_add (parts, when);
  if (text != NULL && *text != '\0')
    g_strv_builder_add (parts, text);
  strv = g_strv_builder_end (parts);
  g_strv_builder_unref (parts);
  return g_strjoinv (" · ", strv);
}

#define NOTES_SHOWN 120   /* characters of the notes' first line */

/* The first non-blank line of @notes, shortened; NULL for none. */
static char *
first_line (const char *notes)
{
  g_auto(GStrv) lines = NULL;

  if (notes == NULL)
    return NULL;
  lines = g_strsplit (notes, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *cut = NULL;

      if (*line == '\0')
        continue;
      if (g_utf8_strlen (line, -1) <= NOTES_SHOWN)
        return g_strdup (line);
      cut = g_utf8_substring (line, 0, NOTES_SHOWN - 1);
      return g_strconcat (cut, "…", NULL);
    }
  return NULL;
}

/* "Conversation with Fatima and Sara" (or without names). */
static char *
conversation_title (const KoersFileView     *view,
                    const KoersConversation *c)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *last = NULL;
  g_autofree char *others = NULL;

  for (guint i = 0; c->worker_ids != NULL && c->worker_ids[i] != NULL; i++)
    {
      const char *name = g_hash_table_lookup (view->names, c->worker_ids[i]);

      if (name != NULL)
        g_ptr_array_add (names, (gpointer) name);
    }
  if (names->len == 0)
    return g_strdup (_("Conversation"));
  if (names->len == 1)
    return g_strdup_printf (_("Conversation with %s"), (char *) names->pdata[0]);
  last = g_strdup (g_ptr_array_steal_index (names, names->len - 1));
  g_ptr_array_add (names, NULL);
  others = g_strjoinv (", ", (char **) names->pdata);
  /* TRANSLATORS: "Conversation with Fatima, Sara and Jan" */
  return g_strdup_printf (_("Conversation with %s and %s"), others, last);
}

/* The date, the topics (and what else stood out), the notes' first line. */
static char *
conversation_subtitle (const KoersConversation *c)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *notes = first_line (c->notes);
  g_autofree char *what = NULL;

  for (guint i = 0; c->topics != NULL && c->topics[i] != NULL; i++)
    g_ptr_array_add (parts, g_strdup (koers_label_topic (c->topics[i])));
  if (c->interpreter_present)
    g_ptr_array_add (parts, g_strdup (_("with an interpreter")));
  if (c->psychosocial_signal)
    g_ptr_array_add (parts, g_strdup (_("psychosocial signal")));
  if (notes != NULL)
    g_ptr_array_add (parts, g_steal_pointer (&notes));
  g_ptr_array_add (parts, NULL);
  what = g_strjoinv (" · ", (char **) parts->pdata);
  return dated (c->held_on, what);
}

/* "Referral to Name", the counsellor's or organisation's. */
static char *
referral_title (const KoersFileView *view,
                const KoersReferral *r)
{
  const char *id = r->counsellor_id != NULL ? r->counsellor_id : r->organisation_id;
  const char *name = id != NULL ? g_hash_table_lookup (view->names, id) : NULL;

  if (name == NULL)
    return g_strdup (_("Referral"));
  return g_strdup_printf (_("Referral to %s"), name);
}

static void
add_step (const KoersFileView *view,
          GPtrArray           *upcoming,
          GPtrArray           *history,
          const char          *title,
          const char          *done_title,
          const char          *due_on,
          const char          *description,
          gboolean             done)
{
  KoersFileEvent *event = event_new (due_on, g_strdup (done ? done_title : title), dated (due_on, description));

  event->overdue = !done && due_on != NULL && strcmp (due_on, view->today) < 0;
  g_ptr_array_add (done ? history : upcoming, event);
}

static void
add_conversations (const KoersFileView *view,
                   GPtrArray           *upcoming,
                   GPtrArray           *history)
{
  for (guint i = 0; i < view->file->conversations->len; i++)
    {
      KoersFileConversation *node = g_ptr_array_index (view->file->conversations, i);
      KoersConversation *c = node->conversation;
      KoersFileEvent *event = event_new (c->held_on, conversation_title (view, c), conversation_subtitle (c));

      event->conversation_id = g_strdup (c->id);
      g_ptr_array_add (history, event);
      for (guint j = 0; j < node->next_steps->len; j++)
        {
          KoersNextStep *s = g_ptr_array_index (node->next_steps, j);

          add_step (view, upcoming, history, _("Next step"), _("Next step (done)"),
                    s->due_on, s->description, s->done);
        }
    }
}

static void
add_referrals (const KoersFileView *view,
               GPtrArray           *history)
{
  for (guint i = 0; i < view->file->referrals->len; i++)
    {
      KoersReferral *r = g_ptr_array_index (view->file->referrals, i);
      KoersFileEvent *event = event_new (r->referred_on, referral_title (view, r), dated (r->referred_on, r->reason));

      event->referral = koers_referral_copy (r);
      g_ptr_array_add (history, event);
    }
}

static void
add_plans (const KoersFileView *view,
           GPtrArray           *upcoming,
           GPtrArray           *history)
{
  for (guint i = 0; i < view->file->plans->len; i++)
    {
      KoersFilePlan *plan = g_ptr_array_index (view->file->plans, i);
      /* What a closed plan left open will not happen: not coming up. */
      gboolean closed = plan->plan->status == KOERS_PLAN_CLOSED;

      for (guint j = 0; j < plan->steps->len; j++)
        {
          KoersReturnStep *s = g_ptr_array_index (plan->steps, j);

          if (!closed || s->done)
            add_step (view, upcoming, history, _("Plan step"), _("Plan step (done)"),
                      s->due_on, s->description, s->done);
        }
      for (guint j = 0; j < plan->checkins->len; j++)
        {
          KoersCheckin *c = g_ptr_array_index (plan->checkins, j);
          gboolean held = c->held_on != NULL;
          const char *date = held ? c->held_on : c->due_on;
          KoersFileEvent *event;

          if (closed && !held)
            continue;
          event = event_new (date,
                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Check-in after %d month",
                                                           "Check-in after %d months", c->month), c->month),
                             dated (date, held ? _("held") : _("due")));
          event->overdue = !held && date != NULL && strcmp (date, view->today) < 0;
          g_ptr_array_add (held ? history : upcoming, event);
        }
    }
}

/* Soonest first; undated last. */
static int
compare_upcoming (gconstpointer a,
                  gconstpointer b)
{
  const KoersFileEvent *x = *(KoersFileEvent *const *) a;
  const KoersFileEvent *y = *(KoersFileEvent *const *) b;

  if ((*x->date == '\0') != (*y->date == '\0'))
    return *x->date == '\0' ? 1 : -1;
  return strcmp (x->date, y->date);
}

/* Newest first; records of one day in the order they were made. */
static int
compare_history (gconstpointer a,
                 gconstpointer b)
{
  const KoersFileEvent *x = *(KoersFileEvent *const *) a;
  const KoersFileEvent *y = *(KoersFileEvent *const *) b;

  return strcmp (y->date, x->date);
}

void
koers_file_view_timeline (const KoersFileView  *view,
                          GPtrArray           **upcoming,
                          GPtrArray           **history)
{
  g_return_if_fail (view != NULL && upcoming != NULL && history != NULL);

  *upcoming = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_file_event_free);
  *history = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_file_event_free);
  add_conversations (view, *upcoming, *history);
  add_referrals (view, *history);
  add_plans (view, *upcoming, *history);
  /* Stable sorts: the file's lists are in the order the records were made. */
  g_ptr_array_sort (*upcoming, compare_upcoming);
  g_ptr_array_sort (*history, compare_history);
}

/* The duplicate check --------------------------------------------------------- */

typedef struct
{
  char *name;
  int   birth_year;
} DuplicateQuery;

static void
duplicate_query_free (DuplicateQuery *query)
{
  g_free (query->name);
  g_free (query);
}

#define DUPLICATES_SHOWN 5
/* koers_store_find_possible_duplicates() gives 4 per point of the name
 * (a word found: 1, the whole name: 3) plus up to 3 for the year of
 * birth. One shared word ("Mohammed") is not enough to ask. */
#define DUPLICATE_MIN_SCORE 8

static gpointer
find_duplicates (KoersStore    *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  DuplicateQuery *query = data;
  g_autoptr(GPtrArray) found = koers_store_find_possible_duplicates (store, query->name, query->birth_year,
                                                                      DUPLICATES_SHOWN, error);

  if (found == NULL)
    return NULL;
  for (guint i = found->len; i > 0; i--)
    if (((KoersPossibleDuplicate *) g_ptr_array_index (found, i - 1))->score < DUPLICATE_MIN_SCORE)
      g_ptr_array_remove_index (found, i - 1);
  return g_steal_pointer (&found);
}

void
koers_file_view_find_duplicates_async (KoersStoreReader    *reader,
                                       const char          *name,
                                       int                  birth_year,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  DuplicateQuery *query;

  g_return_if_fail (KOERS_IS_STORE_READER (reader));
  g_return_if_fail (name != NULL);

  query = g_new0 (DuplicateQuery, 1);
  query->name = g_strdup (name);
  query->birth_year = birth_year;
  koers_store_reader_run_async (reader, find_duplicates, query, (GDestroyNotify) duplicate_query_free,
                                (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
koers_file_view_find_duplicates_finish (KoersStoreReader  *reader,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return koers_store_reader_run_finish (reader, result, error);
}
