/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-quick-write"

#include "koers-quick-write.h"
#include "koers-toasts.h"

typedef struct
{
  char               *id;
  KoersEntity         kind;     /* of a step */
  gboolean            done;
  KoersReferralStatus status;   /* of a referral */
} Change;

static void
change_free (Change *change)
{
  g_free (change->id);
  g_free (change);
}

/* Waits on the main thread for the job's end. */
typedef struct
{
  GWeakRef            widget;
  KoersStore         *store;
  char               *done_message;
  KoersQuickWriteDone on_written;
  gpointer            data;
  GDestroyNotify      data_free;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_weak_ref_clear (&outcome->widget);
  g_object_unref (outcome->store);
  g_free (outcome->done_message);
  if (outcome->data_free != NULL)
    outcome->data_free (outcome->data);
  g_free (outcome);
}

static void
on_job_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&outcome->widget);
  g_autoptr(GError) error = NULL;

  if (koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error) != NULL)
    {
      if (widget != NULL && outcome->done_message != NULL)
        koers_toast_show (widget, outcome->done_message);
      if (widget != NULL && outcome->on_written != NULL)
        outcome->on_written (widget, outcome->data);
    }
  else if (widget != NULL)
    {
      koers_toast_show (widget, error->message);
      /* The page ticked or chose at once: it reads what is stored. */
      if (koers_store_reader_is_open (KOERS_STORE_READER (source)))
        g_signal_emit_by_name (outcome->store, "changed");
    }
  else
    g_warning ("A change made on the spot was not saved: %s", error->message);
  outcome_free (outcome);
}

static Outcome *
outcome_new (const char          *done_message,
             KoersQuickWriteDone  on_written,
             gpointer             data,
             GDestroyNotify       data_free)
{
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->done_message = g_strdup (done_message);
  outcome->on_written = on_written;
  outcome->data = data;
  outcome->data_free = data_free;
  return outcome;
}

static void
write_change (GtkWidget          *widget,
              KoersStoreReader   *reader,
              KoersStore         *store,
              KoersStoreReadFunc  func,
              Change             *change,
              Outcome            *outcome)
{
  g_weak_ref_init (&outcome->widget, widget);
  outcome->store = g_object_ref (store);
  koers_store_reader_write_async (reader, store, func, change, (GDestroyNotify) change_free, NULL, on_job_done,
                                  outcome);
}

static gpointer
write_step_done (KoersStore    *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Change *change = data;

  return GINT_TO_POINTER (koers_store_set_step_done (store, change->kind, change->id, change->done, error));
}

void
koers_quick_write_step_done (GtkWidget          *widget,
                             KoersStoreReader   *reader,
                             KoersStore         *store,
                             KoersEntity         kind,
                             const char         *step_id,
                             gboolean            done,
                             KoersQuickWriteDone on_written,
                             gpointer            data,
                             GDestroyNotify      data_free)
{
  Change *change = g_new0 (Change, 1);

  g_return_if_fail (step_id != NULL);
  change->id = g_strdup (step_id);
  change->kind = kind;
  change->done = done;
  write_change (widget, reader, store, write_step_done, change,
                outcome_new (NULL, on_written, data, data_free));
}

static gpointer
write_referral_status (KoersStore    *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Change *change = data;

  return GINT_TO_POINTER (koers_store_set_referral_status (store, change->id, change->status, NULL, error));
}

void
koers_quick_write_referral_status (GtkWidget          *widget,
                                   KoersStoreReader   *reader,
                                   KoersStore         *store,
                                   const char         *referral_id,
                                   KoersReferralStatus status,
                                   const char         *done_message)
{
  Change *change = g_new0 (Change, 1);

  g_return_if_fail (referral_id != NULL);
  change->id = g_strdup (referral_id);
  change->status = status;
  write_change (widget, reader, store, write_referral_status, change,
                outcome_new (done_message, NULL, NULL, NULL));
}
