/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-arrivals"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-arrivals.h"
#include "koers-toasts.h"

/* Laptops named in one toast; more are "…". */
#define LAPTOPS_SHOWN 3

/* "3 new conversations": the kinds a volunteer looks for. */
static char *
new_records (KoersEntity kind,
             guint       n)
{
  switch (kind)
    {
    case KOERS_ENTITY_CLIENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new file", "%u new files", n), n);
    case KOERS_ENTITY_CONVERSATION:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new conversation", "%u new conversations", n), n);
    case KOERS_ENTITY_REFERRAL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new referral", "%u new referrals", n), n);
    case KOERS_ENTITY_RETURN_PLAN:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new return plan", "%u new return plans", n), n);
    default:
      return NULL;
    }
}

/* Who: the person who made the last of the changes, when this vault knows
 * them; else the laptop, unnamed. */
static char *
from_whom (KoersStore             *store,
           const KoersSyncArrival *arrival,
           const char             *what)
{
  g_autoptr(KoersWorker) worker = NULL;

  if (arrival->device_id[0] == '\0')
    /* Translators: "3 new conversations from other laptops". */
    return g_strdup_printf (_("%s from other laptops"), what);
  if (arrival->worker_id[0] != '\0')
    worker = koers_store_get_worker (store, arrival->worker_id, NULL);
  if (worker != NULL && worker->name != NULL)
    /* Translators: "3 new conversations from Fatima" (a colleague). */
    return g_strdup_printf (_("%s from %s"), what, worker->name);
  /* Translators: "3 new conversations from another laptop". */
  return g_strdup_printf (_("%s from another laptop"), what);
}

static char *
describe_one (KoersStore             *store,
              const KoersSyncArrival *arrival)
{
  static const KoersEntity kinds[] = { KOERS_ENTITY_CLIENT, KOERS_ENTITY_CONVERSATION,
                                       KOERS_ENTITY_REFERRAL, KOERS_ENTITY_RETURN_PLAN };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *what = NULL;
  guint listed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (arrival->inserted[kinds[i]] > 0)
      {
        g_ptr_array_add (parts, new_records (kinds[i], arrival->inserted[kinds[i]]));
        listed += arrival->inserted[kinds[i]];
      }
  if (arrival->changes > listed)
    {
      guint rest = arrival->changes - listed;

      g_ptr_array_add (parts, g_strdup_printf (listed > 0
                                               ? g_dngettext (GETTEXT_PACKAGE, "%u other change", "%u other changes", rest)
                                               : g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", rest),
                                               rest));
    }
  g_ptr_array_add (parts, NULL);
  what = g_strjoinv (", ", (char **) parts->pdata);
  return from_whom (store, arrival, what);
}

char *
koers_arrivals_describe (KoersStore             *store,
                         const KoersSyncArrival *arrivals,
                         guint                   n_arrivals)
{
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (arrivals != NULL || n_arrivals == 0, NULL);

  for (guint i = 0; i < n_arrivals && i < LAPTOPS_SHOWN; i++)
    if (arrivals[i].changes > 0)
      g_ptr_array_add (sentences, describe_one (store, &arrivals[i]));
  if (sentences->len == 0)
    return NULL;
  if (n_arrivals > LAPTOPS_SHOWN)
    g_ptr_array_add (sentences, g_strdup ("…"));
  g_ptr_array_add (sentences, NULL);
  return g_strjoinv ("; ", (char **) sentences->pdata);
}

char *
koers_arrivals_toast (GtkWidget       *widget,
                      KoersStore      *store,
                      KoersSyncEngine *engine)
{
  const KoersSyncArrival *arrivals;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;
  guint n = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (engine), NULL);

  if (store == NULL)
    return NULL;
  arrivals = koers_sync_engine_get_arrivals (engine, &n);
  if ((text = koers_arrivals_describe (store, arrivals, n)) == NULL)
    return NULL;
  /* A toast's title is markup: a colleague's name may hold an "&". */
  markup = g_markup_escape_text (text, -1);
  koers_toast_show (widget, markup);
  return g_steal_pointer (&text);
}
