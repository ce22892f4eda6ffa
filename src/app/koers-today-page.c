/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-today-page"

#include <glib/gi18n.h>
#include <stdio.h>

#include "koers-labels.h"
#include "koers-today-page.h"
#include "koers-toasts.h"

#define RECENT_LIMIT 8
/* Rows a section shows at first, and more with each "Show More": a vault
 * with years of open steps could have thousands, and a list box row
 * costs memory and time to lay out. */
#define ROWS_STEP 50

struct _KoersTodayPage
{
  GtkWidget   parent_instance;

  GtkWidget  *scroller;
  AdwStatusPage *error_page;
  GtkListBox *due_list;
  GtkListBox *signal_list;
  GtkListBox *recent_list;

  KoersStore       *store;   /* today's date, by its clock */
  KoersStoreReader *reader;  /* the lists */
  GCancellable     *load_cancellable;  /* the read under way, or NULL */
  guint             reload_source;

  struct _TodayLists *lists;         /* what the rows show */
  guint             due_shown;       /* rows asked for, per section */
  guint             signals_shown;
};

G_DEFINE_FINAL_TYPE (KoersTodayPage, koers_today_page, GTK_TYPE_WIDGET)

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_append (list, row);
}

/* What the worker read: the three lists and the names of their clients. */
typedef struct _TodayLists
{
  char       *today;
  char       *week_end;
  GPtrArray  *due;
  char      **signal_ids;
  char      **recent;
  GHashTable *names;  /* client id → name, of the rows shown */
  guint       due_shown;
  guint       signals_shown;
} TodayLists;

static void
today_lists_free (gpointer data)
{
  TodayLists *lists = data;

  g_free (lists->today);
  g_free (lists->week_end);
  g_clear_pointer (&lists->due, g_ptr_array_unref);
  g_strfreev (lists->signal_ids);
  g_strfreev (lists->recent);
  g_clear_pointer (&lists->names, g_hash_table_unref);
  g_free (lists);
}

static gboolean
read_name (KoersStore  *store,
           TodayLists  *lists,
           const char  *client_id,
           GError     **error)
{
  g_autoptr(KoersClient) client = NULL;
  g_autoptr(GError) local = NULL;

  if (g_hash_table_contains (lists->names, client_id))
    return TRUE;
  client = koers_store_get_client (store, client_id, &local);
  if (client != NULL)
    g_hash_table_insert (lists->names, g_strdup (client_id), g_strdup (client->name));
  /* A client deleted since the list was read has no row; a failed read
   * fails the lists. */
  if (local != NULL && !g_error_matches (local, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* On the reader's thread; @data is the TodayLists asked for. A list that
 * fails to read fails them all: the page shows the error, not empty
 * lists. */
static gpointer
read_lists (KoersStore    *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  TodayLists *lists = g_new0 (TodayLists, 1);
  TodayLists *asked = data;

  lists->today = g_strdup (asked->today);
  lists->week_end = g_strdup (asked->week_end);
  lists->due_shown = asked->due_shown;
  lists->signals_shown = asked->signals_shown;
  lists->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* This week: today and the six days after it; overdue items first. */
  if ((lists->due = koers_store_list_due (store, "0000-01-01", lists->week_end, error)) == NULL ||
      (lists->signal_ids = koers_store_list_unreferred_signals (store, error)) == NULL ||
      (lists->recent = koers_store_list_recently_opened (store, RECENT_LIMIT, error)) == NULL)
    goto fail;
  /* Names only for the rows shown: a name costs a record read, and the
   * lists can be thousands long. */
  for (guint i = 0; i < MIN (lists->due->len, lists->due_shown); i++)
    if (!read_name (store, lists, ((KoersDueItem *) g_ptr_array_index (lists->due, i))->client_id, error))
      goto fail;
  for (guint i = 0; lists->signal_ids[i] != NULL && i < lists->signals_shown; i++)
    if (!read_name (store, lists, lists->signal_ids[i], error))
      goto fail;
  for (guint i = 0; lists->recent[i] != NULL; i++)
    if (!read_name (store, lists, lists->recent[i], error))
      goto fail;
  return lists;

fail:
  today_lists_free (lists);
  return NULL;
}

static void
add_client_row (TodayLists *lists,
                GtkListBox *list,
                const char *client_id,
                const char *subtitle,
                const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();
  const char *name = g_hash_table_lookup (lists->names, client_id);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Unknown client"));
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name != NULL)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (client_id), g_free);
  gtk_list_box_append (list, row);
}

static char *
due_subtitle (const KoersDueItem *item,
              const char         *today)
{
  g_autofree char *date = koers_label_date (item->due_on);
  const char *what = item->description;
  g_autofree char *checkin = NULL;

  if (item->kind == KOERS_ENTITY_CHECKIN)
    what = checkin = g_strdup (_("Monitoring check-in"));
  if (g_strcmp0 (item->due_on, today) < 0)
    /* Translators: a next step and its date, e.g. "Passport photo — overdue since 3 November 2026". */
    return g_strdup_printf (_("%s — overdue since %s"), what, date);
  /* Translators: a next step and its date, e.g. "Passport photo — due 24 November 2026". */
  return g_strdup_printf (_("%s — due %s"), what, date);
}

static const char *
due_icon (const KoersDueItem *item)
{
  switch (item->kind)
    {
    case KOERS_ENTITY_CHECKIN:
      return "x-office-calendar-symbolic";
    case KOERS_ENTITY_RETURN_STEP:
      return "mark-location-symbolic";
    default:
      return "object-select-symbolic";
    }
}

static char *
date_plus_days (const char *iso,
                int         days)
{
  int y, m, d;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) later = NULL;

  if (sscanf (iso, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (iso);
  date = g_date_time_new_utc (y, m, d, 12, 0, 0);
  later = g_date_time_add_days (date, days);
  return g_date_time_format (later, "%Y-%m-%d");
}

/* The last row of a section with more than it shows. */
static void
add_more_row (GtkListBox *list,
              guint       hidden)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more is not shown yet",
                                           "%u more are not shown yet", hidden), hidden);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Show More"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-down-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "koers-show-more", GINT_TO_POINTER (TRUE));
  gtk_list_box_append (list, row);
}

static void
show_due (KoersTodayPage *self)
{
  TodayLists *lists = self->lists;
  guint n = lists->due != NULL ? lists->due->len : 0;

  clear_list (self->due_list);
  for (guint i = 0; i < MIN (n, lists->due_shown); i++)
    {
      KoersDueItem *item = g_ptr_array_index (lists->due, i);
      g_autofree char *subtitle = due_subtitle (item, lists->today);

      add_client_row (lists, self->due_list, item->client_id, subtitle, due_icon (item));
    }
  if (n > lists->due_shown)
    add_more_row (self->due_list, n - lists->due_shown);
  if (n == 0)
    add_placeholder (self->due_list, _("Nothing is due this week."));
}

static void
show_signals (KoersTodayPage *self)
{
  TodayLists *lists = self->lists;
  guint n = lists->signal_ids != NULL ? g_strv_length (lists->signal_ids) : 0;

  clear_list (self->signal_list);
  for (guint i = 0; i < MIN (n, lists->signals_shown); i++)
    add_client_row (lists, self->signal_list, lists->signal_ids[i],
                    _("Offer a referral to a counsellor"), "dialog-warning-symbolic");
  if (n > lists->signals_shown)
    add_more_row (self->signal_list, n - lists->signals_shown);
  if (n == 0)
    add_placeholder (self->signal_list, _("Every signal has been referred."));
}

static void
show_recent (KoersTodayPage *self)
{
  TodayLists *lists = self->lists;

  clear_list (self->recent_list);
  for (guint i = 0; lists->recent != NULL && lists->recent[i] != NULL; i++)
    add_client_row (lists, self->recent_list, lists->recent[i], NULL, NULL);
  if (lists->recent == NULL || lists->recent[0] == NULL)
    add_placeholder (self->recent_list, _("No file has been opened yet."));
}

/* Takes @lists. */
static void
show_lists (KoersTodayPage *self,
            TodayLists     *lists)
{
  g_clear_pointer (&self->lists, today_lists_free);
  self->lists = lists;
  show_due (self);
  show_signals (self);
  show_recent (self);
}

static void
on_lists_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  TodayLists *lists = koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error);
  KoersTodayPage *self;

  /* Superseded or disposed: the page may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KOERS_TODAY_PAGE (user_data);
  g_clear_object (&self->load_cancellable);
  koers_show_read_error (self->error_page, self->scroller, _("Could Not Read Today’s Lists"), error);
  if (lists != NULL)
    show_lists (self, g_steal_pointer (&lists));
}

void
koers_today_page_reload (KoersTodayPage *self)
{
  TodayLists *asked;

  g_return_if_fail (KOERS_IS_TODAY_PAGE (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->store == NULL || self->reader == NULL)
    return;
  /* The date by the main store's clock (tests and screenshots set it). */
  asked = g_new0 (TodayLists, 1);
  asked->today = koers_store_today (self->store);
  asked->week_end = date_plus_days (asked->today, 6);
  asked->due_shown = self->due_shown;
  asked->signals_shown = self->signals_shown;
  self->load_cancellable = g_cancellable_new ();
  koers_store_reader_run_async (self->reader, read_lists, asked, today_lists_free, today_lists_free,
                                self->load_cancellable, on_lists_read, self);
}

gboolean
koers_today_page_is_loading (KoersTodayPage *self)
{
  g_return_val_if_fail (KOERS_IS_TODAY_PAGE (self), FALSE);
  return self->load_cancellable != NULL;
}

static void
on_row_activated (GtkListBox     *list,
                  GtkListBoxRow  *row,
                  KoersTodayPage *self)
{
  const char *client_id = g_object_get_data (G_OBJECT (row), "client-id");

  if (g_object_get_data (G_OBJECT (row), "koers-show-more") != NULL)
    {
      /* Read again, with the names of the further rows. */
      if (list == self->due_list)
        self->due_shown += ROWS_STEP;
      else
        self->signals_shown += ROWS_STEP;
      koers_today_page_reload (self);
      return;
    }
  if (client_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "view.open-client", "s", client_id);
}

static void
koers_today_page_dispose (GObject *object)
{
  KoersTodayPage *self = KOERS_TODAY_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_TODAY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->lists, today_lists_free);

  G_OBJECT_CLASS (koers_today_page_parent_class)->dispose (object);
}

/* Shown again (back from a file or a conversation): read the lists anew,
 * after the frame that maps the page (changing rows while a transition
 * snapshots them leaks render nodes in GTK 4.8). */
static gboolean
reload_idle (gpointer user_data)
{
  KoersTodayPage *self = user_data;

  self->reload_source = 0;
  if (self->store != NULL)
    koers_today_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
koers_today_page_map (GtkWidget *widget)
{
  KoersTodayPage *self = KOERS_TODAY_PAGE (widget);

  GTK_WIDGET_CLASS (koers_today_page_parent_class)->map (widget);
  if (self->store != NULL && self->reload_source == 0)
    self->reload_source = g_idle_add (reload_idle, self);
}

static void
koers_today_page_class_init (KoersTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_today_page_dispose;
  widget_class->map = koers_today_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, due_list);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, signal_list);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_today_page_init (KoersTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->due_shown = ROWS_STEP;
  self->signals_shown = ROWS_STEP;
}

GtkWidget *
koers_today_page_new (KoersStore       *store,
                      KoersStoreReader *reader)
{
  KoersTodayPage *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (KOERS_IS_STORE_READER (reader), NULL);

  self = g_object_new (KOERS_TYPE_TODAY_PAGE, NULL);
  self->store = g_object_ref (store);
  self->reader = g_object_ref (reader);
  koers_today_page_reload (self);
  return GTK_WIDGET (self);
}
