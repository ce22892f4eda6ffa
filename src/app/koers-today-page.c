/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-today-page"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-checkin-dialog.h"
#include "koers-labels.h"
#include "koers-referral-status.h"
#include "koers-today-page.h"
#include "koers-quick-write.h"
#include "koers-toasts.h"

#define RECENT_LIMIT 8
/* Rows a section shows at first, and more with each "Show More": a vault
 * with years of open steps could have thousands, and a list box row
 * costs memory and time to lay out. */
#define ROWS_STEP 50
/* Overdue, due today, later this week: KoersTodaySection's values. */
#define N_DUE_SECTIONS 3
/* The lists whose rows are built: the due sections, the signals, the
 * files opened recently. */
#define N_ROW_LISTS (N_DUE_SECTIONS + 2)
/* Rows built a frame: a row (an action row with its check box, button or
 * drop-down) costs a few hundred microseconds to build and lay out, and
 * the lists can show over 200 of them. */
#define ROWS_PER_FRAME 8

typedef struct
{
  AdwPreferencesGroup *group;
  GtkListBox          *list;
  GtkLabel            *count;
  guint                shown;  /* rows asked for */
} DueSection;

struct _KoersTodayPage
{
  GtkWidget   parent_instance;

  GtkWidget  *scroller;
  AdwStatusPage *error_page;
  GtkWidget  *lists_box;
  AdwStatusPage *empty_page;
  DueSection  due[N_DUE_SECTIONS];
  GtkWidget  *signal_group;
  GtkListBox *signal_list;
  GtkWidget  *recent_group;
  GtkListBox *recent_list;

  KoersStore       *store;   /* the writes (the main connection) */
  KoersStoreReader *reader;  /* the lists */
  GCancellable     *load_cancellable;  /* the read under way, or NULL */
  guint             reload_source;

  struct _TodayLists *lists;         /* what the rows show */
  guint             signals_shown;
  /* New rows are built a batch a frame, each in the place of the row
   * shown there before: the page keeps its height and its scroll
   * position meanwhile. */
  guint             build_tick;        /* a tick callback, or 0: all built */
  guint             build_list;        /* the list being built (< N_ROW_LISTS) */
  guint             build_row;         /* its next row */
  GPtrArray        *retired;           /* TodayLists that old rows still point into */
  guint             focus_section;     /* where the focus goes once all are built */
  int               focus_index;       /* -1: nowhere */
  /* A step's check box and another row's icon, one width: the names line
   * up. */
  GtkSizeGroup     *prefixes;
};

G_DEFINE_FINAL_TYPE (KoersTodayPage, koers_today_page, GTK_TYPE_WIDGET)

static void put_row (KoersTodayPage *self,
                     GtkListBox     *list,
                     GtkWidget      *row);

static void
add_placeholder (KoersTodayPage *self,
                 GtkListBox     *list,
                 const char     *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  put_row (self, list, row);
}

/* One open item and what its row says beyond the store's list: read on the
 * reader's thread, for the rows shown only. */
typedef struct
{
  KoersDueItem        *due;
  char                *to_whom;  /* a referral's counsellor or organisation */
  KoersReferralStatus  status;   /* a referral's */
  int                  month;    /* a check-in's */
} TodayItem;

static void
today_item_free (gpointer data)
{
  TodayItem *item = data;

  koers_due_item_free (item->due);
  g_free (item->to_whom);
  g_free (item);
}

/* What the worker read: the lists and the names of their clients. */
typedef struct _TodayLists
{
  GPtrArray  *due[N_DUE_SECTIONS];  /* TodayItem */
  guint       due_shown[N_DUE_SECTIONS];
  char      **signal_ids;
  guint       n_signals;
  char      **recent;
  guint       n_recent;
  GHashTable *names;  /* client id → name, of the rows shown */
  guint       signals_shown;
} TodayLists;

static void
today_lists_free (gpointer data)
{
  TodayLists *lists = data;

  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    g_clear_pointer (&lists->due[s], g_ptr_array_unref);
  g_strfreev (lists->signal_ids);
  g_strfreev (lists->recent);
  g_clear_pointer (&lists->names, g_hash_table_unref);
  g_free (lists);
}

/* A record deleted since the list was read is simply left out; a failed
 * read (@local set otherwise) goes to @error. */
static gboolean
read_ok (GError **local,
         GError **error)
{
  if (*local == NULL || g_error_matches (*local, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (local));
  return FALSE;
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
  return read_ok (&local, error);
}

/* The counsellor's or organisation's name of a referral. */
static char *
referral_to_whom (KoersStore     *store,
                  KoersReferral  *referral,
                  GError        **error)
{
  g_autoptr(KoersWorker) counsellor = NULL;
  g_autoptr(KoersReferralOrg) org = NULL;
  g_autoptr(GError) local = NULL;

  if (referral->counsellor_id != NULL)
    {
      if ((counsellor = koers_store_get_worker (store, referral->counsellor_id, &local)) != NULL)
        return g_strdup (counsellor->name);
    }
  else if (referral->organisation_id != NULL)
    {
      if ((org = koers_store_get_referral_org (store, referral->organisation_id, &local)) != NULL)
        return g_strdup (org->name);
    }
  read_ok (&local, error);
  return NULL;
}

/* The month of a check-in, a referral's status and to whom. */
static gboolean
read_item (KoersStore  *store,
           TodayItem   *item,
           GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (item->due->kind == KOERS_ENTITY_CHECKIN)
    {
      g_autoptr(KoersCheckin) checkin = koers_store_get_checkin (store, item->due->id, &local);

      if (checkin != NULL)
        item->month = checkin->month;
    }
  else if (item->due->kind == KOERS_ENTITY_REFERRAL)
    {
      g_autoptr(KoersReferral) referral = koers_store_get_referral (store, item->due->id, &local);

      if (referral != NULL)
        {
          item->status = referral->status;
          item->to_whom = referral_to_whom (store, referral, &local);
        }
    }
  return read_ok (&local, error);
}

/* A section of open items (the store's: overdue oldest first, today,
 * the six days after today), each with room for what its row says. */
static GPtrArray *
read_section (KoersStore         *store,
              KoersTodaySection   section,
              GError            **error)
{
  g_autoptr(GPtrArray) due = koers_store_list_today (store, section, error);
  GPtrArray *items;

  if (due == NULL)
    return NULL;
  items = g_ptr_array_new_full (due->len, today_item_free);
  for (guint i = 0; i < due->len; i++)
    {
      TodayItem *item = g_new0 (TodayItem, 1);

      item->due = g_steal_pointer (&due->pdata[i]);
      g_ptr_array_add (items, item);
    }
  return items;
}

/* The rows shown of a section: their clients' names and details. */
static gboolean
read_shown_items (KoersStore  *store,
                  TodayLists  *lists,
                  guint        section,
                  GError     **error)
{
  GPtrArray *items = lists->due[section];

  for (guint i = 0; i < MIN (items->len, lists->due_shown[section]); i++)
    {
      TodayItem *item = g_ptr_array_index (items, i);

      if (!read_name (store, lists, item->due->client_id, error) || !read_item (store, item, error))
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

  lists->signals_shown = asked->signals_shown;
  lists->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    {
      lists->due_shown[s] = asked->due_shown[s];
      if ((lists->due[s] = read_section (store, s, error)) == NULL)
        goto fail;
    }
  if ((lists->signal_ids = koers_store_list_unreferred_signals (store, error)) == NULL ||
      (lists->recent = koers_store_list_recently_opened (store, RECENT_LIMIT, error)) == NULL)
    goto fail;
  lists->n_signals = g_strv_length (lists->signal_ids);
  lists->n_recent = g_strv_length (lists->recent);
  /* Names only for the rows shown: a name costs a record read, and the
   * lists can be thousands long. */
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    if (!read_shown_items (store, lists, s, error))
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

/* A row that opens the client's file, titled with the client's name. */
static GtkWidget *
client_row (TodayLists *lists,
            const char *client_id,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  const char *name = g_hash_table_lookup (lists->names, client_id);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Unknown client"));
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Heard with the name: what is due (libadwaita 1.2 reads the title only). */
  koers_a11y_tell (row, subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (client_id), g_free);
  return row;
}

static void
add_go_next (GtkWidget *row)
{
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
}

static void
add_prefix (KoersTodayPage *self,
            GtkWidget      *row,
            GtkWidget      *prefix)
{
  gtk_size_group_add_widget (self->prefixes, prefix);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
}

static void
add_icon (KoersTodayPage *self,
          GtkWidget      *row,
          const char     *icon_name)
{
  add_prefix (self, row, gtk_image_new_from_icon_name (icon_name));
}

static void
add_client_row (KoersTodayPage *self,
                GtkListBox     *list,
                const char     *client_id,
                const char     *subtitle,
                const char     *icon_name)
{
  GtkWidget *row = client_row (self->lists, client_id, subtitle);

  if (icon_name != NULL)
    add_icon (self, row, icon_name);
  add_go_next (row);
  put_row (self, list, row);
}

/* What is due, in words: never a code. */
static char *
item_what (const TodayItem *item)
{
  switch (item->due->kind)
    {
    case KOERS_ENTITY_CHECKIN:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Check-in after %d month", "Check-in after %d months",
                                           item->month), item->month);
    case KOERS_ENTITY_REFERRAL:
      if (item->to_whom != NULL)
        return g_strdup_printf (_("Referral to %s"), item->to_whom);
      return g_strdup (_("Referral"));
    case KOERS_ENTITY_NEXT_STEP:
    case KOERS_ENTITY_RETURN_STEP:
    default:
      return g_strdup (item->due->description);
    }
}

static char *
due_subtitle (const TodayItem   *item,
              KoersTodaySection  section)
{
  g_autofree char *date = koers_label_date (item->due->due_on);
  g_autofree char *what = item_what (item);

  switch (section)
    {
    case KOERS_TODAY_OVERDUE:
      /* Translators: a next step and its date, e.g. "Passport photo — overdue since 3 November 2026". */
      return g_strdup_printf (_("%s — overdue since %s"), what, date);
    case KOERS_TODAY_TODAY:
      return g_steal_pointer (&what);
    case KOERS_TODAY_THIS_WEEK:
    default:
      /* Translators: a next step and its date, e.g. "Passport photo — due 24 November 2026". */
      return g_strdup_printf (_("%s — due %s"), what, date);
    }
}

/* Actions on a row ---------------------------------------------------------- */

/* What Undo marks open again; it outlives the page (the toast stays on a
 * tab switch) but not the store (a lock drops the store: Undo does
 * nothing then). */
typedef struct
{
  GWeakRef    store;
  GWeakRef    reader;
  KoersEntity kind;
  char       *step_id;
} DoneStep;

static void
done_step_free (DoneStep *done)
{
  g_weak_ref_clear (&done->store);
  g_weak_ref_clear (&done->reader);
  g_free (done->step_id);
  g_free (done);
}

static void
on_undo_step_done (AdwToast *toast,
                   DoneStep *done)
{
  g_autoptr(KoersStore) store = g_weak_ref_get (&done->store);
  g_autoptr(KoersStoreReader) reader = g_weak_ref_get (&done->reader);

  /* The store's "changed" brings the row back. */
  if (store != NULL && reader != NULL)
    koers_quick_write_step_done (NULL, reader, store, done->kind, done->step_id, FALSE, NULL, NULL, NULL);
}

static DoneStep *
done_step_copy (const DoneStep *done)
{
  DoneStep *copy = g_new0 (DoneStep, 1);
  g_autoptr(GObject) store = g_weak_ref_get ((GWeakRef *) &done->store);
  g_autoptr(GObject) reader = g_weak_ref_get ((GWeakRef *) &done->reader);

  g_weak_ref_init (&copy->store, store);
  g_weak_ref_init (&copy->reader, reader);
  copy->kind = done->kind;
  copy->step_id = g_strdup (done->step_id);
  return copy;
}

static void
offer_undo (GtkWidget *page,
            gpointer   done)
{
  koers_toast_show_undo (page, _("Step marked as done"), G_CALLBACK (on_undo_step_done), done_step_copy (done),
                         (GDestroyNotify) done_step_free);
}

/* A step's check box: ticking it marks the step done, with Undo. The row
 * goes at once; the store's "changed" reads the lists again. */
static void
on_step_toggled (GtkCheckButton *check,
                 KoersTodayPage *self)
{
  TodayItem *item = g_object_get_data (G_OBJECT (check), "today-item");
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (check), GTK_TYPE_LIST_BOX_ROW);
  GtkWidget *next;
  DoneStep *done;

  if (!gtk_check_button_get_active (check))
    return;
  /* Keep the keyboard in the list: the next row, else the one before. */
  next = gtk_widget_get_next_sibling (row);
  if (next == NULL)
    next = gtk_widget_get_prev_sibling (row);
  if (next != NULL && gtk_widget_has_focus (GTK_WIDGET (check)))
    gtk_widget_grab_focus (next);
  gtk_widget_set_visible (row, FALSE);

  /* Written on the reader's thread: Undo is offered once it is; a refusal
   * is a toast, and the lists read again show the row as stored. */
  done = g_new0 (DoneStep, 1);
  g_weak_ref_init (&done->store, self->store);
  g_weak_ref_init (&done->reader, self->reader);
  done->kind = item->due->kind;
  done->step_id = g_strdup (item->due->id);
  koers_quick_write_step_done (GTK_WIDGET (self), self->reader, self->store, item->due->kind, item->due->id, TRUE,
                               offer_undo, done, (GDestroyNotify) done_step_free);
}

static GtkWidget *
step_check (KoersTodayPage *self,
            TodayItem      *item)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Mark as done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Mark as done"), -1);
  g_object_set_data (G_OBJECT (check), "today-item", item);
  g_signal_connect (check, "toggled", G_CALLBACK (on_step_toggled), self);
  return check;
}

static void
on_referral_status_chosen (GtkDropDown    *dropdown,
                           GParamSpec     *pspec,
                           KoersTodayPage *self)
{
  TodayItem *item = g_object_get_data (G_OBJECT (dropdown), "today-item");
  KoersReferralStatus status = gtk_drop_down_get_selected (dropdown);

  if (status == item->status)
    return;
  /* The store's "changed" reads the lists again: a closed referral
   * leaves Today, an open one comes back a week after this change. */
  koers_quick_write_referral_status (GTK_WIDGET (self), self->reader, self->store, item->due->id, status,
                                     koers_referral_is_open (status)
                                     ? _("Status changed: the referral shows here again in a week")
                                     : _("Referral closed"));
}

/* The referral's status, changeable on the spot (open until done or
 * declined). */
static GtkWidget *
referral_status_dropdown (KoersTodayPage *self,
                          TodayItem      *item)
{
  GtkWidget *dropdown = koers_referral_status_dropdown_new (item->status, G_CALLBACK (on_referral_status_chosen),
                                                            self);

  g_object_set_data (G_OBJECT (dropdown), "today-item", item);
  return dropdown;
}

static void
on_record_checkin (GtkButton      *button,
                   KoersTodayPage *self)
{
  TodayItem *item = g_object_get_data (G_OBJECT (button), "today-item");

  /* The dialog saves through the store; Today follows its `changed`. */
  koers_checkin_dialog_open (GTK_WIDGET (self), self->store, item->due->id);
}

static GtkWidget *
checkin_button (KoersTodayPage *self,
                TodayItem      *item)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Record…"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Record the check-in"));
  koers_a11y_name (button, _("Record the check-in"));
  g_object_set_data (G_OBJECT (button), "today-item", item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_record_checkin), self);
  return button;
}

/* A row of what is due: the client's name, what and when, and the action
 * the item asks for. Icons say what kind of item it is, never that it is
 * done: an open step has an empty check box. */
static GtkWidget *
due_row (KoersTodayPage    *self,
         TodayItem         *item,
         KoersTodaySection  section)
{
  g_autofree char *subtitle = due_subtitle (item, section);
  GtkWidget *row = client_row (self->lists, item->due->client_id, subtitle);

  switch (item->due->kind)
    {
    case KOERS_ENTITY_CHECKIN:
      add_icon (self, row, "call-outgoing-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), checkin_button (self, item));
      break;
    case KOERS_ENTITY_REFERRAL:
      add_icon (self, row, "mail-forward-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), referral_status_dropdown (self, item));
      break;
    case KOERS_ENTITY_NEXT_STEP:
    case KOERS_ENTITY_RETURN_STEP:
    default:
      add_prefix (self, row, step_check (self, item));
      break;
    }
  add_go_next (row);
  return row;
}

/* The last row of a section with more than it shows. */
static void
add_more_row (KoersTodayPage *self,
              GtkListBox     *list,
              guint           hidden)
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
  put_row (self, list, row);
}

/* What an empty section says. Overdue is left out when empty. */
static const char *
empty_text (KoersTodaySection section)
{
  if (section == KOERS_TODAY_TODAY)
    return _("Nothing is due today.");
  return _("Nothing else is due this week.");
}

/* A section's count and whether it shows; its rows are built apart. */
static void
show_due_header (KoersTodayPage    *self,
                 KoersTodaySection  section)
{
  DueSection *shown = &self->due[section];
  guint n = self->lists->due[section]->len;
  g_autofree char *count = g_strdup_printf ("%u", n);

  gtk_label_set_text (shown->count, count);
  gtk_widget_set_visible (GTK_WIDGET (shown->count), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (shown->group), n > 0 || section != KOERS_TODAY_OVERDUE);
}

/* The rows of list @l (the due sections, then the signals, then the
 * files opened recently). */
static GtkListBox *
row_list (KoersTodayPage *self,
          guint           l)
{
  if (l < N_DUE_SECTIONS)
    return self->due[l].list;
  return l == N_DUE_SECTIONS ? self->signal_list : self->recent_list;
}

/* How many rows list @l shows: what is shown of it, and a "Show More"
 * row or what an empty section says. */
static guint
n_rows_of (TodayLists *lists,
           guint       l)
{
  if (l < N_DUE_SECTIONS)
    {
      guint n = lists->due[l]->len;

      return MIN (n, lists->due_shown[l]) + (n > lists->due_shown[l]) + (n == 0);
    }
  if (l == N_DUE_SECTIONS)
    return MIN (lists->n_signals, lists->signals_shown) + (lists->n_signals > lists->signals_shown);
  return lists->n_recent;
}

/* Row @i of list @l. */
static void
build_row (KoersTodayPage *self,
           guint           l,
           guint           i)
{
  TodayLists *lists = self->lists;
  GtkListBox *list = row_list (self, l);

  if (l < N_DUE_SECTIONS)
    {
      GPtrArray *items = lists->due[l];
      guint shown = MIN (items->len, lists->due_shown[l]);

      if (i < shown)
        put_row (self, list, due_row (self, g_ptr_array_index (items, i), l));
      else if (items->len == 0)
        add_placeholder (self, list, empty_text (l));
      else
        add_more_row (self, list, items->len - shown);
    }
  else if (l == N_DUE_SECTIONS)
    {
      if (i < MIN (lists->n_signals, lists->signals_shown))
        add_client_row (self, list, lists->signal_ids[i], _("Offer a referral to a counsellor"),
                        "dialog-warning-symbolic");
      else
        add_more_row (self, list, lists->n_signals - lists->signals_shown);
    }
  else
    add_client_row (self, list, lists->recent[i], NULL, NULL);
}

/* The builder's next row of @list, in the place of the row shown there
 * before: rows before it are new, from it on old. */
static void
put_row (KoersTodayPage *self,
         GtkListBox     *list,
         GtkWidget      *row)
{
  GtkListBoxRow *old = gtk_list_box_get_row_at_index (list, (int) self->build_row);

  gtk_list_box_insert (list, row, (int) self->build_row);
  if (old != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (old));
}

static void
remove_rows_from (GtkListBox *list,
                  guint       first)
{
  GtkListBoxRow *old;

  while ((old = gtk_list_box_get_row_at_index (list, (int) first)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (old));
}

/* Builds up to @budget rows; TRUE once every row is new. */
static gboolean
build_rows (KoersTodayPage *self,
            guint           budget)
{
  while (self->build_list < N_ROW_LISTS)
    {
      if (self->build_row < n_rows_of (self->lists, self->build_list))
        {
          if (budget-- == 0)
            return FALSE;
          build_row (self, self->build_list, self->build_row);
          self->build_row++;
          continue;
        }
      remove_rows_from (row_list (self, self->build_list), self->build_row);
      self->build_list++;
      self->build_row = 0;
    }
  return TRUE;
}

/* Nothing due, no signal and no file opened: a fresh vault, or a quiet
 * week. The page says what will show here and how to start. */
static gboolean
lists_are_empty (TodayLists *lists)
{
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    if (lists->due[s]->len > 0)
      return FALSE;
  return lists->n_signals == 0 && lists->n_recent == 0;
}

/* Where the keyboard focus is among the shown rows of a due list (its
 * section to @section), or -1. A row ticked done is hidden until the
 * lists are read again: the rows after it count one place earlier. */
static int
focused_due_row (KoersTodayPage *self,
                 guint          *section)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;
  int index = 0;

  for (guint s = 0; row != NULL && s < N_DUE_SECTIONS; s++)
    if (gtk_widget_get_parent (row) == GTK_WIDGET (self->due[s].list))
      {
        *section = s;
        for (GtkWidget *before = gtk_widget_get_prev_sibling (row); before != NULL;
             before = gtk_widget_get_prev_sibling (before))
          index += gtk_widget_get_visible (before);
        return index;
      }
  return -1;
}

/* After a step ticked or a status changed from the keyboard, the rows
 * are new: the focus goes to the row now in the same place. */
static void
refocus_row (KoersTodayPage *self,
             guint           section,
             int             index)
{
  GtkListBox *list = self->due[section].list;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  if (row == NULL)
    row = GTK_LIST_BOX_ROW (gtk_widget_get_last_child (GTK_WIDGET (list)));
  if (row != NULL && gtk_widget_get_focusable (GTK_WIDGET (row)))
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
rows_built (KoersTodayPage *self)
{
  /* No row points into the earlier lists any more. */
  g_ptr_array_set_size (self->retired, 0);
  if (self->focus_index >= 0)
    refocus_row (self, self->focus_section, self->focus_index);
  self->focus_index = -1;
}

static gboolean
build_on_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  KoersTodayPage *self = KOERS_TODAY_PAGE (widget);

  if (!build_rows (self, ROWS_PER_FRAME))
    return G_SOURCE_CONTINUE;
  self->build_tick = 0;
  rows_built (self);
  return G_SOURCE_REMOVE;
}

/* Takes @lists. Built all at once, Today's rows took 0.4-0.6 s of the
 * main thread at 10k demo clients: they come a batch a frame while the
 * page is shown, at once while it is not. */
static void
show_lists (KoersTodayPage *self,
            TodayLists     *lists)
{
  gboolean empty = lists_are_empty (lists);
  guint focus_section = 0;
  int focus_index = focused_due_row (self, &focus_section);

  if (focus_index >= 0)
    {
      self->focus_section = focus_section;
      self->focus_index = focus_index;
    }
  if (self->lists != NULL)
    g_ptr_array_add (self->retired, self->lists);
  self->lists = lists;
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    show_due_header (self, s);
  gtk_widget_set_visible (self->signal_group, lists->n_signals > 0);
  gtk_widget_set_visible (self->recent_group, lists->n_recent > 0);
  gtk_widget_set_visible (self->lists_box, !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), empty);

  self->build_list = 0;
  self->build_row = 0;
  if (self->build_tick != 0)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->build_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), build_on_tick, NULL, NULL);
  else
    {
      build_rows (self, G_MAXUINT);
      rows_built (self);
    }
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
  asked = g_new0 (TodayLists, 1);
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    asked->due_shown[s] = self->due[s].shown;
  asked->signals_shown = self->signals_shown;
  self->load_cancellable = g_cancellable_new ();
  koers_store_reader_run_async (self->reader, read_lists, asked, today_lists_free, today_lists_free,
                                self->load_cancellable, on_lists_read, self);
}

gboolean
koers_today_page_is_loading (KoersTodayPage *self)
{
  g_return_val_if_fail (KOERS_IS_TODAY_PAGE (self), FALSE);
  return self->load_cancellable != NULL || self->build_tick != 0;
}

static void
show_more (KoersTodayPage *self,
           GtkListBox     *list)
{
  self->signals_shown += list == self->signal_list ? ROWS_STEP : 0;
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    self->due[s].shown += list == self->due[s].list ? ROWS_STEP : 0;
  /* Read again, with the names of the further rows. */
  koers_today_page_reload (self);
}

static void
on_row_activated (GtkListBox     *list,
                  GtkListBoxRow  *row,
                  KoersTodayPage *self)
{
  const char *client_id = g_object_get_data (G_OBJECT (row), "client-id");

  if (g_object_get_data (G_OBJECT (row), "koers-show-more") != NULL)
    show_more (self, list);
  else if (client_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "view.open-client", "s", client_id);
}

static void
on_find_client (KoersTodayPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "view.search", NULL);
}

static void
koers_today_page_dispose (GObject *object)
{
  KoersTodayPage *self = KOERS_TODAY_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->build_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->build_tick);
  self->build_tick = 0;
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_TODAY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->lists, today_lists_free);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_object (&self->prefixes);

  G_OBJECT_CLASS (koers_today_page_parent_class)->dispose (object);
}

/* Read the lists anew after the frame that asked (a map, a save): changing
 * rows while a transition snapshots them leaks render nodes in GTK 4.8,
 * and a row must not go from inside its own signal. */
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
queue_reload (KoersTodayPage *self)
{
  if (self->store != NULL && self->reload_source == 0)
    self->reload_source = g_idle_add (reload_idle, self);
}

/* Shown again (back from a file or a conversation). */
static void
koers_today_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (koers_today_page_parent_class)->map (widget);
  queue_reload (KOERS_TODAY_PAGE (widget));
}

/* A save here or on another page: a page out of sight reads again when it
 * is shown. */
static void
on_store_changed (KoersTodayPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    queue_reload (self);
}

/* The template's group, list and count of each section, in
 * KoersTodaySection's order. */
static const char *const section_children[N_DUE_SECTIONS][3] = {
  { "overdue_group", "overdue_list", "overdue_count" },
  { "today_group", "today_list", "today_count" },
  { "week_group", "week_list", "week_count" },
};

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
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, lists_box);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, empty_page);
  for (guint i = 0; i < N_DUE_SECTIONS; i++)
    {
      gsize section = G_STRUCT_OFFSET (KoersTodayPage, due) + i * sizeof (DueSection);

      gtk_widget_class_bind_template_child_full (widget_class, section_children[i][0], FALSE,
                                                 section + G_STRUCT_OFFSET (DueSection, group));
      gtk_widget_class_bind_template_child_full (widget_class, section_children[i][1], FALSE,
                                                 section + G_STRUCT_OFFSET (DueSection, list));
      gtk_widget_class_bind_template_child_full (widget_class, section_children[i][2], FALSE,
                                                 section + G_STRUCT_OFFSET (DueSection, count));
    }
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, signal_group);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, signal_list);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, KoersTodayPage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_find_client);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_today_page_init (KoersTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_a11y_name_lists (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name (self->scroller, _("Today"));
  koers_a11y_name_status_pages (GTK_WIDGET (self));
  /* The focus goes to what is in it, never to the pane (GTK 4.8 lets a
   * scrolled window take it, and Orca reads it by its name only). */
  gtk_widget_set_focusable (self->scroller, FALSE);
  self->prefixes = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->retired = g_ptr_array_new_with_free_func (today_lists_free);
  self->focus_index = -1;
  for (guint s = 0; s < N_DUE_SECTIONS; s++)
    self->due[s].shown = ROWS_STEP;
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
  g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed), self);
  koers_today_page_reload (self);
  return GTK_WIDGET (self);
}
