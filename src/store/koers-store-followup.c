/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-followup.c: what a consultation hour must act on: steps and
 * check-ins due, unreferred psychosocial signals, recently opened files,
 * and the monitoring schedule. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-date.h"
#include "koers-store-private.h"

void
koers_due_item_free (KoersDueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->client_id);
  g_free (item->due_on);
  g_free (item->description);
  g_free (item);
}

static const char *const due_sql =
  "SELECT kind, id, client_id, due_on, description FROM (" KOERS_OPEN_ITEMS_SQL ")"
  " WHERE due_on BETWEEN ?1 AND ?2 ORDER BY 4, 1, 2";

static KoersDueItem *
read_due_item (sqlite3_stmt *stmt)
{
  KoersDueItem *item = g_new0 (KoersDueItem, 1);

  koers_entity_from_name ((const char *) sqlite3_column_text (stmt, 0), &item->kind);
  item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  item->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  item->due_on = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  item->description = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return item;
}

GPtrArray *
koers_store_list_due (KoersStore  *self,
                      const char  *from,
                      const char  *to,
                      GError     **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_due_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if ((stmt = koers_store_prepare (self, due_sql, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, read_due_item (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* The first column of every row of @sql, bound to @number if >= 0. */
static char **
query_ids (KoersStore  *self,
           const char  *sql,
           int          number,
           GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  if (number >= 0)
    sqlite3_bind_int (stmt, 1, number);
  return koers_store_collect_ids (self, stmt, error);
}

char **
koers_store_list_unreferred_signals (KoersStore  *self,
                                     GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return query_ids (self,
    "SELECT DISTINCT v.client_id FROM conversation v WHERE v.psychosocial_signal"
    " AND NOT EXISTS (SELECT 1 FROM referral r"
    "  LEFT JOIN referral_org o ON o.id = r.organisation_id"
    "  WHERE r.client_id = v.client_id AND r.referred_on >= v.held_on AND r.status <> 'declined'"
    "  AND (r.counsellor_id IS NOT NULL OR o.kind = 'mental_health'))"
    " ORDER BY v.client_id", -1, error);
}

char **
koers_store_list_recently_opened (KoersStore  *self,
                                  guint        limit,
                                  GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return query_ids (self,
    "SELECT a.client_id FROM audit a JOIN client c ON c.id = a.client_id"
    " WHERE a.action = 'open' GROUP BY a.client_id ORDER BY max (a.seq) DESC LIMIT ?",
    (int) MIN (limit, G_MAXINT), error);
}

/* Check-in schedule -------------------------------------------------------------------- */

static gboolean
has_month (GPtrArray *checkins,
           int        month)
{
  for (guint i = 0; i < checkins->len; i++)
    if (((KoersCheckin *) checkins->pdata[i])->month == month)
      return TRUE;
  return FALSE;
}

static gboolean
schedule (KoersStore  *self,
          const char  *plan_id,
          const int   *months,
          guint        n_months,
          GError     **error)
{
  g_autofree char *departure = koers_store_plan_departure (self, plan_id);
  g_autoptr (GPtrArray) existing = NULL;

  if (departure == NULL)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
                   _("Set the departure date of the return plan before planning check-ins."));
      return FALSE;
    }
  if ((existing = koers_store_list (self, KOERS_ENTITY_CHECKIN, plan_id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < n_months; i++)
    {
      g_autoptr (KoersCheckin) checkin = NULL;

      if (has_month (existing, months[i]))
        continue;
      checkin = koers_checkin_new ();
      checkin->plan_id = g_strdup (plan_id);
      checkin->month = months[i];
      checkin->due_on = koers_date_add_months (departure, months[i]);
      if (!koers_store_add_checkin (self, checkin, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_store_schedule_checkins (KoersStore  *self,
                               const char  *plan_id,
                               const int   *months,
                               guint        n_months,
                               GError     **error)
{
  static const int standard[] = { 1, 3, 6, 12 };

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (plan_id != NULL, FALSE);

  if (months == NULL)
    {
      months = standard;
      n_months = G_N_ELEMENTS (standard);
    }
  if (!koers_store_begin (self, error))
    return FALSE;
  if (!schedule (self, plan_id, months, n_months, error))
    {
      koers_store_rollback (self);
      return FALSE;
    }
  return koers_store_commit (self, error);
}
