/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-list"

#include "koers-client-item.h"
#include "koers-client-list.h"

/* Reads run on the main thread, a page of KOERS_CLIENT_LIST_PAGE_SIZE rows
 * at a time (a few milliseconds at 10k clients; docs/benchmarks.md). */

struct _KoersClientList
{
  GObject            parent_instance;

  KoersStore        *store;
  char              *search;
  KoersClientFilter  filter;
  char              *steunpunt_id;  /* owns filter.steunpunt_id */

  GArray            *keys;    /* browsing: the rowids, by name */
  GPtrArray         *items;   /* KoersClientItem or NULL (not fetched yet) */
  guint              n_fetched_pages;
  GError            *error;
};

static void koers_client_list_model_init (GListModelInterface *iface);

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
  return KOERS_CLIENT_LIST (model)->items->len;
}

static void
set_error (KoersClientList *self,
           GError          *error)
{
  if (error != NULL)
    g_warning ("Reading the client list failed (code %d)", error->code);
  g_clear_error (&self->error);
  self->error = error;
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
      g_ptr_array_index (self->items, offset + i) = koers_client_item_new (rows->pdata[i]);
      rows->pdata[i] = NULL; /* the item owns it now */
    }
}

static gpointer
koers_client_list_get_item (GListModel *model,
                            guint       position)
{
  KoersClientList *self = KOERS_CLIENT_LIST (model);
  gpointer item;

  if (position >= self->items->len)
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

static void
load (KoersClientList *self)
{
  GError *error = NULL;

  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->keys, g_array_unref);
  self->n_fetched_pages = 0;
  set_error (self, NULL);
  if (self->store == NULL)
    return;

  if (self->search == NULL)
    {
      self->keys = koers_store_list_client_keys (self->store, &self->filter, &error);
      if (self->keys == NULL)
        {
          set_error (self, error);
          return;
        }
      g_ptr_array_set_size (self->items, self->keys->len);
    }
  else
    {
      g_autoptr(GPtrArray) hits = NULL;

      hits = koers_store_search (self->store, self->search, KOERS_SEARCH_ALL,
                                 KOERS_CLIENT_LIST_MAX_HITS, &error);
      if (hits == NULL)
        {
          set_error (self, error);
          return;
        }
      for (guint i = 0; i < hits->len; i++)
        {
          KoersSearchHit *hit = g_ptr_array_index (hits, i);
          KoersClientRow *row;

          row = koers_store_get_client_row (self->store, hit->client_id, &self->filter, &error);
          if (error != NULL)
            {
              set_error (self, error);
              error = NULL;
            }
          if (row != NULL)
            g_ptr_array_add (self->items, koers_client_item_new (row));
        }
      self->n_fetched_pages = 1;
    }
}

static void
reload (KoersClientList *self)
{
  guint removed = self->items->len;

  load (self);
  if (removed > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

static void
koers_client_list_dispose (GObject *object)
{
  KoersClientList *self = KOERS_CLIENT_LIST (object);

  g_clear_object (&self->store);
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
koers_client_list_class_init (KoersClientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_client_list_dispose;
  object_class->finalize = koers_client_list_finalize;
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
}

KoersClientList *
koers_client_list_new (KoersStore *store)
{
  KoersClientList *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  self = g_object_new (KOERS_TYPE_CLIENT_LIST, NULL);
  self->store = g_object_ref (store);
  load (self);
  return self;
}

void
koers_client_list_close (KoersClientList *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_LIST (self));

  g_clear_object (&self->store);
  g_clear_pointer (&self->search, g_free);
  reload (self);
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

guint
koers_client_list_get_n_fetched_pages (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), 0);
  return self->n_fetched_pages;
}

const GError *
koers_client_list_get_error (KoersClientList *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_LIST (self), NULL);
  return self->error;
}
