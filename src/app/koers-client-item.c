/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-item"


#include "koers-client-item.h"

struct _KoersClientItem
{
  GObject         parent_instance;
  KoersClientRow *row;
};

G_DEFINE_FINAL_TYPE (KoersClientItem, koers_client_item, G_TYPE_OBJECT)

static void
koers_client_item_finalize (GObject *object)
{
  KoersClientItem *self = KOERS_CLIENT_ITEM (object);

  g_clear_pointer (&self->row, koers_client_row_free);

  G_OBJECT_CLASS (koers_client_item_parent_class)->finalize (object);
}

static void
koers_client_item_class_init (KoersClientItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_client_item_finalize;
}

static void
koers_client_item_init (KoersClientItem *self)
{
}

KoersClientItem *
koers_client_item_new (KoersClientRow *row)
{
  KoersClientItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (KOERS_TYPE_CLIENT_ITEM, NULL);
  self->row = row;
  return self;
}

gboolean
koers_client_item_shows (KoersClientItem      *self,
                         const KoersClientRow *row)
{
  const KoersClientRow *mine;

  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  mine = self->row;
  return g_strcmp0 (mine->id, row->id) == 0 && g_strcmp0 (mine->name, row->name) == 0
         && mine->phase == row->phase && mine->outcome == row->outcome
         && g_strcmp0 (mine->country_of_origin, row->country_of_origin) == 0
         && mine->birth_year == row->birth_year;
}

const char *
koers_client_item_get_id (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), NULL);
  return self->row->id;
}

const char *
koers_client_item_get_name (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), NULL);
  return self->row->name;
}

KoersPhase
koers_client_item_get_phase (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), KOERS_PHASE_INTAKE);
  return self->row->phase;
}

KoersOutcome
koers_client_item_get_outcome (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), KOERS_OUTCOME_UNKNOWN);
  return self->row->outcome;
}

const char *
koers_client_item_get_country (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), NULL);
  return self->row->country_of_origin;
}

int
koers_client_item_get_birth_year (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), 0);
  return self->row->birth_year;
}
