/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-list"

#include "koers-client-item.h"
#include "koers-client-list.h"
#include "sync/koers-sync-round.h"

/* The key list (about 20 ms at 10k clients) and search hits (up to 20 ms)
 * are read by the reader; a page of KOERS_CLIENT_LIST_PAGE_SIZE rows by
 * key stays on the main thread (under 1 ms at 10k clients).
 *
 * GtkListView (GTK 4.8) binds a row widget for up to 200 items around
 * its anchor, so new rows (new hits, or back to every client) cost
 * binding and measuring up to 200 rows: 40-150 ms of the main thread in
 * one step at 10k clients. The model shows new rows a page at a time,
 * one page per main-loop step (a frame is drawn between them), and the
 * rest at once past the rows GtkListView binds; "loading" stays TRUE
 * until every row is shown. */

#define EXPOSE_STEP KOERS_CLIENT_LIST_PAGE_SIZE
#define LIST_VIEW_MAX_ROWS 200

struct _KoersClientList
{
  GObject            parent_instance;

  KoersStore        *store;
  KoersStoreReader  *reader;
  GCancellable      *load_cancellable;  /* the read under way, or NULL */
  char              *search;
  KoersClientFilter  filter;
  char              *steunpunt_id;  /* owns filter.steunpunt_id */

  GArray            *keys;    /* browsing: the rowids, by name */
  GPtrArray         *items;   /* KoersClientItem or NULL (not fetched yet) */
  guint              n_exposed;  /* of items, what the model shows so far */
  guint              n_removed;  /* rows shown before, until the first page replaces them */
  guint              expose_source;
  GHashTable        *shown;   /* id → item the list showed before the last load */
  guint              n_fetched_pages;
  GError            *error;
  GCancellable      *delivery_cancellable;  /* delivery reads for the rows shown */
  int                enrolled;  /* as the last delivery read found; -1: not known */
  gboolean           enrolled_pending_refresh;  /* read every page if it now is */
};

enum
{
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void koers_client_list_model_init (GListModelInterface *iface);
static void read_delivery_of             (KoersClientList *self,
                                          guint            first,
                                          guint            n);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersClientList, koers_client_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, koers_client_list_model_init))

static GType
koers_client_list_get_item_type (GListModel *model)
{
  return KOERS_TYPE_CLIENT_ITEM;
}

static guint
koers_client_list_get_n_items (GListModel *model)
{
  return KOERS_CLIENT_LIST (model)->n_exposed;
}

static void
set_error (KoersClientList *self,
           GError          *error)
{
  /* A message, not a warning: the page shows it (and no client data). */
  if (error != NULL)
    g_message ("Reading the client list failed (%s, code %d)", g_quark_to_string (error->domain), error->code);
  g_clear_error (&self->error);
  self->error = error;
}

/* An item the list showed before, when it shows the same row, is given
 * again: the list view then keeps that row's widget instead of binding a
 * new one (a few ms a row, for every keystroke). Takes @row. */
static KoersClientItem *
item_for_row (KoersClientList *self,
              KoersClientRow  *row)
{
  KoersClientItem *before = self->shown != NULL ? g_hash_table_lookup (self->shown, row->id) : NULL;

  if (before == NULL || !koers_client_item_shows (before, row))
    return koers_client_item_new (row);
  koers_client_row_free (row);
  return g_object_ref (before);
}

/* id → item, for every item @items holds (a ref each). */
static GHashTable *
index_items (GPtrArray *items)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (guint i = 0; i < items->len; i++)
    {
      KoersClientItem *item = g_ptr_array_index (items, i);

      if (item != NULL)
        g_hash_table_replace (index, (gpointer) koers_client_item_get_id (item), g_object_ref (item));
    }
  return index;
}

static void
fetch_page (KoersClientList *self,
            guint            page)
{
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;
  guint offset = page * KOERS_CLIENT_LIST_PAGE_SIZE;

  if (self->store == NULL)
    return;
  if (self->keys == NULL || offset >= self->keys->len)
    return;
  rows = koers_store_get_client_rows (self->store, &g_array_index (self->keys, gint64, offset),
                                      MIN (KOERS_CLIENT_LIST_PAGE_SIZE, self->keys->len - offset),
                                      &error);
  self->n_fetched_pages++;
  if (rows == NULL)
    {
      set_error (self, error);
      return;
    }
  for (guint i = 0; i < rows->len && offset + i < self->items->len; i++)
    {
      if (g_ptr_array_index (self->items, offset + i) != NULL || rows->pdata[i] == NULL)
        continue;
      g_ptr_array_index (self->items, offset + i) = item_for_row (self, rows->pdata[i]);
      rows->pdata[i] = NULL; /* taken */
    }
  read_delivery_of (self, offset, rows->len);
}

/* Delivery ---------------------------------------------------------------
 * Whether each client's changes have reached the office: one query for a
 * page of rows (or all hits), on the reader's thread. */

typedef struct
{
  char    **ids;
  GArray   *positions;  /* guint: where each id was in the list */
  gboolean  enrolled;
  KoersDelivery *states;
  char     *worker_id;  /* whose openings count for "changed elsewhere" */
  gboolean *changed_elsewhere;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_strfreev (delivery->ids);
  g_clear_pointer (&delivery->positions, g_array_unref);
  g_free (delivery->states);
  g_free (delivery->worker_id);
  g_free (delivery->changed_elsewhere);
  g_free (delivery);
}

/* On the reader's thread: the job's data gives its ids to the result. */
static gpointer
read_delivery (KoersStore    *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Delivery *asked = data;
  Delivery *read = g_new0 (Delivery, 1);

  read->ids = g_steal_pointer (&asked->ids);
  read->positions = g_steal_pointer (&asked->positions);
  read->enrolled = koers_sync_is_enrolled (store);
  read->states = g_new0 (KoersDelivery, g_strv_length (read->ids) + 1);
  read->changed_elsewhere = g_new0 (gboolean, g_strv_length (read->ids) + 1);
  /* Only an enrolled laptop reads its colleagues' changes. */
  if (read->enrolled && (!koers_store_sync_client_states (store, (const char *const *) read->ids, read->states, error)
                         || !koers_store_files_changed_elsewhere (store, asked->worker_id,
                                                                  (const char *const *) read->ids,
                                                                  read->changed_elsewhere, error)))
    {
      delivery_free (read);
      return NULL;
    }
  return read;
}

static void
on_delivery_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KoersClientList) self = user_data;
  g_autoptr(GError) error = NULL;
  Delivery *read = koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error);

  if (read == NULL)
    {
      /* Rows replaced or the list closed: nothing to do. A failed read
       * shows no state rather than a wrong one; the list's own reads
       * report a damaged vault. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        g_message ("Reading the clients' delivery failed (%s, code %d)",
                   g_quark_to_string (error->domain), error->code);
      return;
    }
  self->enrolled = read->enrolled;
  if (self->enrolled_pending_refresh)
    {
      self->enrolled_pending_refresh = FALSE;
      if (read->enrolled)
        koers_client_list_refresh_delivery (self);
    }
  for (guint i = 0; read->ids[i] != NULL; i++)
    {
      guint position = g_array_index (read->positions, guint, i);
      KoersClientItem *item = position < self->items->len ? g_ptr_array_index (self->items, position) : NULL;

      if (item != NULL && g_str_equal (koers_client_item_get_id (item), read->ids[i]))
        {
          koers_client_item_set_delivery (item, read->enrolled ? (int) read->states[i]
                                                               : KOERS_CLIENT_ITEM_DELIVERY_NONE);
          koers_client_item_set_changed_elsewhere (item, read->enrolled && read->changed_elsewhere[i]);
        }
    }
  delivery_free (read);
}

/* Asks for the delivery of the items at @first .. @first + @n - 1 that
 * are read (one query). */
static void
read_delivery_of (KoersClientList *self,
                  guint            first,
                  guint            n)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  Delivery *asked;

  /* Not enrolled: nothing to show, and no query for each page scrolled
   * through (koers_client_list_refresh_delivery() looks again). */
  if (self->reader == NULL || self->delivery_cancellable == NULL || self->enrolled == FALSE)
    return;
  asked = g_new0 (Delivery, 1);
  asked->positions = g_array_new (FALSE, FALSE, sizeof (guint));
  asked->worker_id = g_strdup (self->store != NULL ? koers_store_get_current_worker (self->store) : NULL);
  for (guint position = first; position < first + n && position < self->items->len; position++)
    {
      KoersClientItem *item = g_ptr_array_index (self->items, position);

      if (item == NULL || *koers_client_item_get_id (item) == '\0')
        continue;
      g_ptr_array_add (ids, g_strdup (koers_client_item_get_id (item)));
      g_array_append_val (asked->positions, position);
    }
  if (ids->len == 0)
    {
      delivery_free (asked);
      return;
    }
  g_ptr_array_add (ids, NULL);
  asked->ids = (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  koers_store_reader_run_async (self->reader, read_delivery, asked, delivery_free, delivery_free,
                                self->delivery_cancellable, on_delivery_read, g_object_ref (self));
}

/* The rows change: what is still being read for the old ones is dropped. */
static void
reset_delivery (KoersClientList *self)
{
  if (self->delivery_cancellable != NULL)
    g_cancellable_cancel (self->delivery_cancellable);
  g_clear_object (&self->delivery_cancellable);
  self->enrolled_pending_refresh = FALSE;
  if (self->reader != NULL)
    self->delivery_cancellable = g_cancellable_new ();
}

static gpointer
koers_client_list_get_item (GListModel *model,
                            guint       position)
{
  KoersClientList *self = KOERS_CLIENT_LIST (model);
  gpointer item;

  if (position >= self->n_exposed)
    return NULL;
  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      fetch_page (self, position / KOERS_CLIENT_LIST_PAGE_SIZE);
      item = g_ptr_array_index (self->items, position);
    }
  if (item == NULL)
    {
      /* The store changed under us (or failed): an empty row rather than
       * a NULL a list view cannot draw. */
      KoersClientRow *row = g_new0 (KoersClientRow, 1);

      row->id = g_strdup ("");
      row->name = g_strdup ("");
      item = koers_client_item_new (row);
      g_ptr_array_index (self->items, position) = item;
    }
  return g_object_ref (item);
}

static void
koers_client_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = koers_client_list_get_item_type;
  iface->get_n_items = koers_client_list_get_n_items;
  iface->get_item = koers_client_list_get_item;
}

/* What one read asks for: a copy, the worker reads it while the list
 * may change. */
typedef struct
{
  char              *search;
  KoersClientFilter  filter;
  char              *steunpunt_id;
} Query;

static Query *
query_new (KoersClientList *self)
{
  Query *query = g_new0 (Query, 1);

  query->search = g_strdup (self->search);
  query->filter = self->filter;
  query->steunpunt_id = g_strdup (self->steunpunt_id);
  query->filter.steunpunt_id = query->steunpunt_id;
  return query;
}

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->search);
  g_free (query->steunpunt_id);
  g_free (query);
}

/* A read's result: the keys (browsing) or the hits' rows (searching). */
typedef struct
{
  GArray    *keys;
  GPtrArray *rows;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->keys, g_array_unref);
  g_clear_pointer (&loaded->rows, g_ptr_array_unref);
  g_free (loaded);
}

/* On the reader's thread. */
static gpointer
read_clients (KoersStore    *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Query *query = data;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Loaded *loaded;

  if (query->search == NULL)
    keys = koers_store_list_client_keys (store, &query->filter, error);
  else
    rows = koers_store_search_clients (store, query->search, &query->filter, KOERS_CLIENT_LIST_MAX_HITS,
                                       error);
  if (keys == NULL && rows == NULL)
    return NULL;
  loaded = g_new0 (Loaded, 1);
  loaded->keys = g_steal_pointer (&keys);
  loaded->rows = g_steal_pointer (&rows);
  return loaded;
}

/* Puts @loaded's rows (none when NULL) in place of the old ones. */
/* Shows the next page of the rows read (all the rest once past the rows
 * GtkListView binds). TRUE while more are to come. */
static gboolean
expose_more (KoersClientList *self)
{
  guint before = self->n_exposed;
  guint removed = self->n_removed;

  self->n_removed = 0;
  if (self->n_exposed >= LIST_VIEW_MAX_ROWS)
    self->n_exposed = self->items->len;
  else
    self->n_exposed = MIN (self->n_exposed + EXPOSE_STEP, self->items->len);
  if (removed > 0 || self->n_exposed > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, removed, self->n_exposed - before);
  return self->n_exposed < self->items->len;
}

/* Loading: a read under way, or its rows not all shown yet. */
static gboolean
loading (KoersClientList *self)
{
  return self->load_cancellable != NULL || self->expose_source != 0;
}

static void
notify_loading_unless (KoersClientList *self,
                       gboolean         was_loading)
{
  if (was_loading != loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
on_expose (gpointer user_data)
{
  KoersClientList *self = user_data;

  if (expose_more (self))
    return G_SOURCE_CONTINUE;
  self->expose_source = 0;
  notify_loading_unless (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
stop_exposing (KoersClientList *self)
{
  gboolean was_loading = loading (self);

  g_clear_handle_id (&self->expose_source, g_source_remove);
  notify_loading_unless (self, was_loading);
}

static void
show_loaded (KoersClientList *self,
             Loaded          *loaded,
             GError          *error)
{
  stop_exposing (self);
  self->n_removed = self->n_exposed;
  self->n_exposed = 0;

  g_clear_pointer (&self->shown, g_hash_table_unref);
  self->shown = index_items (self->items);
  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->keys, g_array_unref);
  self->n_fetched_pages = 0;
  reset_delivery (self);
  set_error (self, error);
  if (loaded != NULL && loaded->keys != NULL)
    {
      self->keys = g_steal_pointer (&loaded->keys);
      g_ptr_array_set_size (self->items, self->keys->len);
    }
  else if (loaded != NULL && loaded->rows != NULL)
    {
      for (guint i = 0; i < loaded->rows->len; i++)
        g_ptr_array_add (self->items, item_for_row (self, g_steal_pointer (&loaded->rows->pdata[i])));
      self->n_fetched_pages = 1;
      read_delivery_of (self, 0, self->items->len);
    }
  if (expose_more (self))
    {
      gboolean was_loading = loading (self);

      self->expose_source = g_idle_add (on_expose, self);
      notify_loading_unless (self, was_loading);
    }
}

static void
set_loading (KoersClientList *self,
             GCancellable    *cancellable)
{
  gboolean was_loading = loading (self);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_set_object (&self->load_cancellable, cancellable);
  notify_loading_unless (self, was_loading);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Loaded *loaded = koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error);
  KoersClientList *self;

  /* Superseded, closed or disposed: the list may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KOERS_CLIENT_LIST (user_data);
  show_loaded (self, loaded, g_steal_pointer (&error));
  g_clear_pointer (&loaded, loaded_free);
  set_loading (self, NULL);
}

/* The newest read wins: an older one still under way is cancelled. */
static void
reload (KoersClientList *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  if (self->store == NULL || self->reader == NULL)
    {
      set_loading (self, NULL);
      show_loaded (self, NULL, NULL);
      return;
    }
  cancellable = g_cancellable_new ();
  set_loading (self, cancellable);
  koers_store_reader_run_async (self->reader, read_clients, query_new (self), query_free, loaded_free,
                                cancellable, on_loaded, self);
}

static void
koers_client_list_dispose (GObject *object)
{
  KoersClientList *self = KOERS_CLIENT_LIST (object);

  set_loading (self, NULL);
  stop_exposing (self);
  g_clear_object (&self->reader);
  reset_delivery (self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (koers_client_list_parent_class)->dispose (object);
}

static void
koers_client_list_finalize (GObject *object)
{
  KoersClientList *self = KOERS_CLIENT_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_free (self->search);
  g_free (self->steunpunt_id);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (koers_client_list_parent_class)->finalize (object);
}

static void
koers_client_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KoersClientList *self = KOERS_CLIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, koers_client_list_is_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_client_list_class_init (KoersClientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_client_list_dispose;
  object_class->finalize = koers_client_list_finalize;
  object_class->get_property = koers_client_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* Rows not fetched yet are NULL. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
koers_client_list_init (KoersClientList *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_item);
  self->filter = KOERS_CLIENT_FILTER_ANY;
  self->enrolled = -1;
}

KoersClientList *
koers_client_list_new (KoersStore       *store,
                       KoersStoreReader *reader)
{
  KoersClientList *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (KOERS_IS_STORE_READER (reader), NULL);

  self = g_object_new (KOERS_TYPE_CLIENT_LIST, NULL);
  self->store = g_object_ref (store);
  self->reader = g_object_ref (reader);
  reset_delivery (self);
  reload (self);
  return self;
}

void
koers_client_list_close (KoersClientList *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));

  g_clear_object (&self->store);
  g_clear_object (&self->reader);
  reset_delivery (self);
  g_clear_pointer (&self->search, g_free);
  reload (self);
  g_clear_pointer (&self->shown, g_hash_table_unref);  /* nothing of a client stays */
}

void
koers_client_list_set_search (KoersClientList *self,
                              const char      *typed)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));

  stripped = g_strstrip (g_strdup (typed != NULL ? typed : ""));
  if (*stripped == '\0')
    g_clear_pointer (&stripped, g_free);
  if (g_strcmp0 (stripped, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&stripped);
  reload (self);
}

const char *
koers_client_list_get_search (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), NULL);
  return self->search;
}

void
koers_client_list_set_filter (KoersClientList         *self,
                              const KoersClientFilter *filter)
{
  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));

  g_free (self->steunpunt_id);
  self->filter = filter != NULL ? *filter : KOERS_CLIENT_FILTER_ANY;
  self->steunpunt_id = g_strdup (self->filter.steunpunt_id);
  self->filter.steunpunt_id = self->steunpunt_id;
  reload (self);
}

void
koers_client_list_refresh (KoersClientList *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));
  reload (self);
}

void
koers_client_list_refresh_delivery (KoersClientList *self)
{
  gboolean was_enrolled;

  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));

  /* Not enrolled when last read: the first page read alone tells whether
   * that changed (and if so, reads the rest). */
  was_enrolled = self->enrolled == TRUE;
  self->enrolled = -1;
  for (guint first = 0; first < self->items->len; first += KOERS_CLIENT_LIST_PAGE_SIZE)
    {
      gboolean any = FALSE;

      for (guint i = first; i < first + KOERS_CLIENT_LIST_PAGE_SIZE && i < self->items->len && !any; i++)
        any = g_ptr_array_index (self->items, i) != NULL;
      if (!any)
        continue;
      read_delivery_of (self, first, KOERS_CLIENT_LIST_PAGE_SIZE);
      if (!was_enrolled)
        {
          self->enrolled_pending_refresh = TRUE;
          return;
        }
    }
}

guint
koers_client_list_get_n_fetched_pages (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), 0);
  return self->n_fetched_pages;
}

gboolean
koers_client_list_is_loading (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), FALSE);
  return loading (self);
}

const GError *
koers_client_list_get_error (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), NULL);
  return self->error;
}
