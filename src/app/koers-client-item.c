/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-item"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-client-item.h"
#include "koers-labels.h"

struct _KoersClientItem
{
  GObject         parent_instance;
  KoersClientRow *row;
  int             delivery;
  gboolean        changed_elsewhere;
};

enum
{
  PROP_0,
  PROP_DELIVERY,
  PROP_CHANGED_ELSEWHERE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KoersClientItem, koers_client_item, G_TYPE_OBJECT)

static void
koers_client_item_finalize (GObject *object)
{
  KoersClientItem *self = KOERS_CLIENT_ITEM (object);

  g_clear_pointer (&self->row, koers_client_row_free);

  G_OBJECT_CLASS (koers_client_item_parent_class)->finalize (object);
}

static void
koers_client_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KoersClientItem *self = KOERS_CLIENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_DELIVERY:
      g_value_set_int (value, self->delivery);
      break;
    case PROP_CHANGED_ELSEWHERE:
      g_value_set_boolean (value, self->changed_elsewhere);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_client_item_class_init (KoersClientItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = koers_client_item_finalize;
  object_class->get_property = koers_client_item_get_property;

  properties[PROP_DELIVERY] =
    g_param_spec_int ("delivery", NULL, NULL, KOERS_CLIENT_ITEM_DELIVERY_NONE, KOERS_DELIVERY_NOT_SENT,
                      KOERS_CLIENT_ITEM_DELIVERY_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGED_ELSEWHERE] =
    g_param_spec_boolean ("changed-elsewhere", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_client_item_init (KoersClientItem *self)
{
  self->delivery = KOERS_CLIENT_ITEM_DELIVERY_NONE;
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

/* A UUIDv7 starts with its Unix time in milliseconds: 48 bits, the first
 * 12 hex digits (with a dash after the eighth). */
GDateTime *
koers_client_item_dup_added (KoersClientItem *self)
{
  const char *id;
  guint64 ms = 0;

  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), NULL);

  id = self->row->id;
  if (id == NULL || strlen (id) < 36 || id[8] != '-' || id[14] != '7')
    return NULL;
  for (guint i = 0; i < 13; i++)
    {
      if (i == 8)
        continue;
      if (!g_ascii_isxdigit (id[i]))
        return NULL;
      ms = ms << 4 | (guint64) g_ascii_xdigit_value (id[i]);
    }
  return g_date_time_new_from_unix_local ((gint64) (ms / 1000));
}

char *
koers_client_item_dup_detail (KoersClientItem *self)
{
  const KoersClientRow *row;
  GString *line;
  gboolean has_country;

  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), NULL);

  /* Who first (what tells two people apart, and what a narrow row keeps
   * before it ellipsizes), then where the file stands. */
  row = self->row;
  line = g_string_new (NULL);
  has_country = row->country_of_origin != NULL && *row->country_of_origin != '\0';
  if (has_country)
    g_string_append_printf (line, " · %s", koers_label_country (row->country_of_origin));
  if (row->birth_year > 0)
    /* Translators: a client's year of birth in the client list */
    g_string_append_printf (line, _(" · born %d"), row->birth_year);
  else if (!has_country)
    {
      g_autoptr(GDateTime) added = koers_client_item_dup_added (self);
      g_autofree char *day = added != NULL ? koers_label_day (added) : NULL;

      if (day != NULL)
        /* Translators: in the client list, when neither a year of birth
         * nor a country is known: the day the file was made */
        g_string_append_printf (line, _(" · added %s"), day);
    }
  g_string_append_printf (line, " · %s", koers_phase_label (row->phase));
  if (row->outcome != KOERS_OUTCOME_UNKNOWN)
    g_string_append_printf (line, " · %s", koers_outcome_label (row->outcome));
  /* Each part came with its " · " before it. */
  g_string_erase (line, 0, strlen (" · "));
  return g_string_free (line, FALSE);
}

int
koers_client_item_get_delivery (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), KOERS_CLIENT_ITEM_DELIVERY_NONE);
  return self->delivery;
}

void
koers_client_item_set_delivery (KoersClientItem *self,
                                int              delivery)
{
  g_return_if_fail (KOERS_IS_CLIENT_ITEM (self));
  g_return_if_fail (delivery >= KOERS_CLIENT_ITEM_DELIVERY_NONE && delivery <= KOERS_DELIVERY_NOT_SENT);

  if (self->delivery == delivery)
    return;
  self->delivery = delivery;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERY]);
}

gboolean
koers_client_item_get_changed_elsewhere (KoersClientItem *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_ITEM (self), FALSE);
  return self->changed_elsewhere;
}

void
koers_client_item_set_changed_elsewhere (KoersClientItem *self,
                                         gboolean         changed)
{
  g_return_if_fail (KOERS_IS_CLIENT_ITEM (self));

  if (self->changed_elsewhere == !!changed)
    return;
  self->changed_elsewhere = !!changed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED_ELSEWHERE]);
}
