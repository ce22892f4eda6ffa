/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-page"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "koers-a11y.h"
#include "koers-client-item.h"
#include "koers-ask.h"
#include "koers-client-page.h"
#include "koers-conflict-banner.h"
#include "koers-file-view.h"
#include "koers-labels.h"
#include "koers-main-view.h"
#include "koers-print.h"
#include "koers-referral-status.h"
#include "koers-quick-write.h"
#include "koers-toasts.h"
#include "store/koers-client-file.h"
#include "store/koers-date.h"

struct _KoersClientPage
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  GtkSpinner      *loading_spinner;
  AdwStatusPage   *error_page;
  GtkLabel        *header_name;
  GtkLabel        *header_summary;
  GtkWidget       *print_button;
  AdwActionRow    *consent_row;
  GtkSwitch       *consent_switch;
  AdwActionRow    *share_row;
  GtkSwitch       *share_switch;
  AdwActionRow    *reporting_row;
  GtkSwitch       *reporting_switch;
  AdwEntryRow     *consent_date_row;
  AdwComboRow     *consent_how_row;
  GtkLabel        *consent_error;
  AdwEntryRow     *name_row;
  GtkWidget       *name_error_row;
  GtkLabel        *name_error;
  AdwEntryRow     *aliases_row;
  AdwEntryRow     *birth_year_row;
  GtkWidget       *birth_year_error_row;
  GtkLabel        *birth_year_error;
  AdwComboRow     *country_row;
  AdwEntryRow     *languages_row;
  GtkSwitch       *interpreter_switch;
  AdwComboRow     *phase_row;
  AdwComboRow     *outcome_row;
  GtkWidget       *duplicates_group;
  GtkListBox      *duplicates_list;
  GtkLabel        *form_error;
  GtkButton       *save_button;
  GtkWidget       *file_group;
  AdwActionRow    *delivery_row;
  GtkImage        *delivery_icon;
  AdwActionRow    *plan_row;
  GtkWidget       *close_row;
  GtkWidget       *upcoming_group;
  GtkListBox      *upcoming_list;
  GtkWidget       *timeline_group;
  GtkListBox      *timeline_list;
  KoersConflictBanner *conflict_banner;

  KoersStore       *store;
  KoersStoreReader *reader;
  GCancellable     *cancellable;     /* reads of the file; cancelled on dispose */
  gboolean          reading;         /* a read of the file is under way */
  gboolean          fill_after_read; /* it also fills the form */
  gboolean          stale;           /* changed during the read: read again */
  guint             refresh_id;      /* a re-read queued after a change */
  guint             duplicates_id;   /* the duplicate check, after typing stops */
  GCancellable     *duplicates_cancellable;
  gboolean          checking_duplicates;  /* a check is under way */
  gboolean          saving;               /* a save is being written */
  KoersFileView    *view;            /* as read; NULL for a new client */
  KoersClient      *client;          /* as stored; NULL for a new client */
  char             *client_id;       /* being read, or stored */
  gboolean          has_consent;
  GPtrArray        *country_codes;   /* of country_row's rows; NULL: not recorded */
  gboolean          focus_when_read; /* the heading takes the focus once it shows */
};

G_DEFINE_FINAL_TYPE (KoersClientPage, koers_client_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where most clients of a steunpunt come from, by their ISO 3166 names;
 * the names are translated by the iso-codes package. A stored code that
 * is not here is added to the list when the file opens. */
static const char *const countries[][2] = {
  { "AF", "Afghanistan" }, { "AL", "Albania" }, { "DZ", "Algeria" }, { "AO", "Angola" },
  { "AM", "Armenia" }, { "AZ", "Azerbaijan" }, { "BD", "Bangladesh" }, { "BY", "Belarus" },
  { "BA", "Bosnia and Herzegovina" }, { "BR", "Brazil" }, { "BI", "Burundi" },
  { "CM", "Cameroon" }, { "CN", "China" }, { "CO", "Colombia" },
  { "CD", "Congo, The Democratic Republic of the" }, { "CG", "Congo" },
  { "CI", "Côte d'Ivoire" }, { "EG", "Egypt" }, { "ER", "Eritrea" }, { "ET", "Ethiopia" },
  { "GM", "Gambia" }, { "GE", "Georgia" }, { "GH", "Ghana" }, { "GN", "Guinea" },
  { "IN", "India" }, { "ID", "Indonesia" }, { "IR", "Iran, Islamic Republic of" },
  { "IQ", "Iraq" }, { "JO", "Jordan" }, { "KZ", "Kazakhstan" }, { "KE", "Kenya" },
  { "LB", "Lebanon" }, { "LR", "Liberia" }, { "LY", "Libya" }, { "MK", "North Macedonia" },
  { "MA", "Morocco" }, { "MD", "Moldova, Republic of" }, { "MN", "Mongolia" },
  { "ME", "Montenegro" }, { "NP", "Nepal" }, { "NG", "Nigeria" }, { "PK", "Pakistan" },
  { "PS", "Palestine, State of" }, { "PE", "Peru" }, { "RU", "Russian Federation" },
  { "RW", "Rwanda" }, { "SN", "Senegal" }, { "RS", "Serbia" }, { "SL", "Sierra Leone" },
  { "SO", "Somalia" }, { "ZA", "South Africa" }, { "SS", "South Sudan" },
  { "LK", "Sri Lanka" }, { "SD", "Sudan" }, { "SR", "Suriname" },
  { "SY", "Syrian Arab Republic" }, { "TJ", "Tajikistan" }, { "TN", "Tunisia" },
  { "TR", "Türkiye" }, { "TM", "Turkmenistan" }, { "UG", "Uganda" }, { "UA", "Ukraine" },
  { "UZ", "Uzbekistan" }, { "VE", "Venezuela, Bolivarian Republic of" },
  { "VN", "Viet Nam" }, { "YE", "Yemen" },
};

static const char *
country_name (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_ascii_strcasecmp (countries[i][0], code) == 0)
      return g_dgettext ("iso_3166-1", countries[i][1]);
  return NULL;
}

typedef struct
{
  const char *code;
  const char *name;
} Country;

static int
compare_country (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (((const Country *) a)->name, ((const Country *) b)->name);
}

static void
fill_countries (KoersClientPage *self,
                const char      *extra_code)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (Country));

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      Country c = { countries[i][0], g_dgettext ("iso_3166-1", countries[i][1]) };
      g_array_append_val (sorted, c);
    }
  if (extra_code != NULL && country_name (extra_code) == NULL)
    {
      Country c = { extra_code, extra_code };
      g_array_append_val (sorted, c);
    }
  g_array_sort (sorted, compare_country);

  g_ptr_array_set_size (self->country_codes, 0);
  gtk_string_list_append (names, _("Not recorded"));
  g_ptr_array_add (self->country_codes, NULL);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Country *c = &g_array_index (sorted, Country, i);

      gtk_string_list_append (names, c->name);
      g_ptr_array_add (self->country_codes, g_strdup (c->code));
    }
  adw_combo_row_set_model (self->country_row, G_LIST_MODEL (names));
}

static void
select_country (KoersClientPage *self,
                const char      *code)
{
  for (guint i = 1; code != NULL && i < self->country_codes->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->country_codes, i), code) == 0)
      {
        adw_combo_row_set_selected (self->country_row, i);
        return;
      }
  adw_combo_row_set_selected (self->country_row, 0);
}

/* Messages ------------------------------------------------------------- */

/* A new message is said to a screen reader too, once. */
static void
show_message (GtkLabel   *label,
              GtkWidget  *shown,
              const char *message)
{
  if (message != NULL && g_strcmp0 (gtk_label_get_label (label), message) != 0)
    koers_a11y_announce (GTK_WIDGET (label), message);
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (shown != NULL ? shown : GTK_WIDGET (label), message != NULL);
}

static void
clear_messages (KoersClientPage *self)
{
  show_message (self->consent_error, NULL, NULL);
  show_message (self->form_error, NULL, NULL);
  show_message (self->name_error, self->name_error_row, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
}

/* The year as typed: 0 for blank; -1 (and a message) for a wrong one. */
static int
parse_birth_year (KoersClientPage  *self,
                  const char      **message)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->birth_year_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char *end = NULL;
  gint64 year;

  *message = NULL;
  if (*stripped == '\0')
    return 0;
  year = g_ascii_strtoll (stripped, &end, 10);
  if (end == stripped || *end != '\0')
    {
      *message = _("Type the year as four digits, for example 1990.");
      return -1;
    }
  if (year > g_date_time_get_year (now))
    {
      *message = _("The year of birth cannot be in the future.");
      return -1;
    }
  if (year < 1900)
    {
      *message = _("Type the year as four digits, for example 1990.");
      return -1;
    }
  return (int) year;
}

static gboolean
validate (KoersClientPage *self)
{
  const char *message = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gboolean ok = TRUE;

  if (parse_birth_year (self, &message) < 0)
    ok = FALSE;
  /* The field tells its error itself (read with it, and when it is reached). */
  koers_a11y_tell_error (GTK_WIDGET (self->birth_year_row), message);
  show_message (self->birth_year_error, self->birth_year_error_row, message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->birth_year_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->birth_year_row), "error");

  if (*name == '\0')
    ok = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", ok && !self->saving);
  return ok;
}

/* Consent ---------------------------------------------------------------- */

typedef struct
{
  KoersConsentKind kind;
  gsize            row_offset;      /* of its AdwActionRow in KoersClientPage */
  gsize            switch_offset;   /* of its GtkSwitch */
  const char      *without;         /* what is missing without it */
} Scope;

#define SCOPE_WIDGET(self, offset) (*(gpointer *) G_STRUCT_MEMBER_P ((self), (offset)))

static const Scope scopes[] = {
  { KOERS_CONSENT_STORE_FILE, G_STRUCT_OFFSET (KoersClientPage, consent_row),
    G_STRUCT_OFFSET (KoersClientPage, consent_switch),
    N_("Without it, only the intake is kept.") },
  { KOERS_CONSENT_SHARE_PARTNER, G_STRUCT_OFFSET (KoersClientPage, share_row),
    G_STRUCT_OFFSET (KoersClientPage, share_switch),
    N_("Without it, no partner organisation abroad can be chosen on the return plan.") },
  { KOERS_CONSENT_PSEUDONYMOUS_REPORTING, G_STRUCT_OFFSET (KoersClientPage, reporting_row),
    G_STRUCT_OFFSET (KoersClientPage, reporting_switch),
    N_("Without it, this client is not to be counted in reports to the office.") },
};

static const KoersConsent *
latest_consent (KoersClientPage  *self,
                KoersConsentKind  kind)
{
  return self->view != NULL ? koers_file_view_latest_consent (self->view, kind) : NULL;
}

/* "Given on 6 December 2026, spoken." and, when not given, what that means. */
static char *
consent_status (const KoersConsent *latest,
                const Scope        *scope)
{
  g_autofree char *when = latest != NULL ? koers_label_date (latest->recorded_on) : NULL;
  g_autofree char *status = NULL;

  if (latest == NULL)
    status = g_strdup (_("Not asked yet."));
  else if (latest->granted && latest->given_how == KOERS_CONSENT_SPOKEN)
    status = g_strdup_printf (_("Given on %s, spoken."), when);
  else if (latest->granted && latest->given_how == KOERS_CONSENT_WRITTEN)
    status = g_strdup_printf (_("Given on %s, in writing."), when);
  else if (latest->granted)
    status = g_strdup_printf (_("Given on %s."), when);
  else
    status = g_strdup_printf (_("Not given or withdrawn on %s."), when);
  if (latest != NULL && latest->granted)
    return g_steal_pointer (&status);
  return g_strdup_printf ("%s %s", status, _(scope->without));
}

static void
update_consent_rows (KoersClientPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      g_autofree char *status = consent_status (latest_consent (self, scopes[i].kind), &scopes[i]);

      adw_action_row_set_subtitle (SCOPE_WIDGET (self, scopes[i].row_offset), status);
    }
}

static void
fill_consent (KoersClientPage *self)
{
  g_autofree char *today = koers_store_today (self->store);
  g_autofree char *shown = koers_label_date (today);

  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      const KoersConsent *latest = latest_consent (self, scopes[i].kind);

      gtk_switch_set_active (SCOPE_WIDGET (self, scopes[i].switch_offset), latest != NULL && latest->granted);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->consent_date_row), shown);
  adw_combo_row_set_selected (self->consent_how_row, KOERS_CONSENT_HOW_UNKNOWN);
}

/* The consent records (or withdrawals) to save: one for each scope whose
 * switch no longer says what is stored (@client_id NULL: a new client,
 * nothing stored), dated and with how it was given. NULL with @error when
 * the date cannot be read or is before a later decision. */
static GPtrArray *
consents_to_record (KoersClientPage  *self,
                    const char       *client_id,
                    GError          **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);
  g_autofree char *date = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    {
      gboolean wanted = gtk_switch_get_active (SCOPE_WIDGET (self, scopes[i].switch_offset));
      gboolean stored = client_id != NULL && koers_store_has_consent (self->store, client_id, scopes[i].kind);
      const KoersConsent *latest = client_id != NULL ? latest_consent (self, scopes[i].kind) : NULL;
      KoersConsent *record;

      if (wanted == stored)
        continue;
      if (date == NULL &&
          (date = koers_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->consent_date_row)), error)) == NULL)
        return NULL;
      if (latest != NULL && g_strcmp0 (date, latest->recorded_on) < 0)
        {
          g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
                       _("A later decision of the client about this is already recorded. "
                         "Type the date on which the client decided this."));
          return NULL;
        }
      record = koers_consent_new ();
      record->kind = scopes[i].kind;
      record->granted = wanted;
      record->recorded_on = g_strdup (date);
      record->recorded_by_id = g_strdup (koers_store_get_current_worker (self->store));
      record->given_how = adw_combo_row_get_selected (self->consent_how_row);
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

/* Header and timeline ------------------------------------------------- */

static char *
format_date (const char *iso)
{
  char *date = koers_label_date (iso);

  return date != NULL ? date : g_strdup ("");
}

static void refresh_file (KoersClientPage *self);

static gboolean
refresh_in_idle (gpointer data)
{
  KoersClientPage *self = data;

  self->refresh_id = 0;
  refresh_file (self);
  return G_SOURCE_REMOVE;
}

/* Anything stored (here, in a conversation, on the plan page, by sync)
 * may change what this file shows: it is read again once the change is
 * done, and never from inside a signal of a widget the reload replaces. */
static void
queue_refresh (KoersClientPage *self)
{
  if (self->refresh_id == 0 && self->client != NULL)
    self->refresh_id = g_idle_add (refresh_in_idle, self);
}

static void
on_referral_status_chosen (GtkDropDown     *dropdown,
                           GParamSpec      *pspec,
                           KoersClientPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dropdown), "referral-id");
  KoersReferralStatus status = gtk_drop_down_get_selected (dropdown);

  /* The store's "changed" queues the re-read that shows it. */
  koers_quick_write_referral_status (GTK_WIDGET (self), self->reader, self->store, id, status, NULL);
}

/* The referral's status, changeable on the spot. */
static GtkWidget *
referral_status_dropdown (KoersClientPage *self,
                          KoersReferral   *referral)
{
  GtkWidget *dropdown = koers_referral_status_dropdown_new (referral->status, G_CALLBACK (on_referral_status_chosen),
                                                            self);

  g_object_set_data_full (G_OBJECT (dropdown), "referral-id", g_strdup (referral->id), g_free);
  return dropdown;
}

static void
on_row_activated (KoersClientPage *self,
                  GtkListBoxRow   *row)
{
  const char *conversation_id = g_object_get_data (G_OBJECT (row), "conversation-id");

  if (conversation_id != NULL && self->client != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "view.open-conversation", "(ss)",
                                self->client->id, conversation_id);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
event_row (KoersClientPage *self,
           KoersFileEvent  *event)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), event->subtitle);
  koers_a11y_tell (row, event->subtitle);
  if (event->overdue)
    {
      GtkWidget *overdue = gtk_label_new (_("Overdue"));

      gtk_widget_add_css_class (overdue, "warning");
      gtk_widget_add_css_class (overdue, "caption-heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), overdue);
    }
  if (event->conversation_id != NULL)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "conversation-id", g_strdup (event->conversation_id), g_free);
    }
  if (event->referral != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), referral_status_dropdown (self, event->referral));
  return row;
}

static void
fill_list (KoersClientPage *self,
           GtkListBox      *list,
           GPtrArray       *events,
           const char      *empty)
{
  clear_list (list);
  for (guint i = 0; i < events->len; i++)
    gtk_list_box_append (list, event_row (self, g_ptr_array_index (events, i)));
  if (events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), empty);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (list, row);
    }
}

/* Fills what is coming up and the history; returns the earliest date
 * due (or NULL). */
static char *
load_timeline (KoersClientPage *self)
{
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GPtrArray) history = NULL;

  gtk_widget_set_visible (self->upcoming_group, self->view != NULL);
  gtk_widget_set_visible (self->timeline_group, self->view != NULL);
  if (self->view == NULL)
    {
      clear_list (self->upcoming_list);
      clear_list (self->timeline_list);
      return NULL;
    }
  koers_file_view_timeline (self->view, &upcoming, &history);
  fill_list (self, self->upcoming_list, upcoming, _("Nothing planned"));
  fill_list (self, self->timeline_list, history, _("Nothing recorded yet"));
  if (upcoming->len > 0 && *((KoersFileEvent *) upcoming->pdata[0])->date != '\0')
    return g_strdup (((KoersFileEvent *) upcoming->pdata[0])->date);
  return NULL;
}

/* Whether this file's changes reached the national office. */
static void
update_delivery (KoersClientPage *self)
{
  static const struct
  {
    const char *icon;
    const char *title;
    const char *subtitle;
  } states[] = {
    [KOERS_FILE_ON_LAPTOP_ONLY] = { "computer-symbolic", N_("Only on this laptop"),
                                    N_("Sync is not set up on this laptop, so nothing of this file goes to the "
                                       "national office. It stays in the encrypted vault.") },
    [KOERS_FILE_WAITING] = { "emblem-synchronizing-symbolic", N_("Waiting to be sent"),
                             N_("The latest changes to this file go to the national office at the next sync.") },
    [KOERS_FILE_SENT] = { "document-send-symbolic", N_("Sent, not yet confirmed"),
                          N_("The changes are on the server; the national office has not yet confirmed "
                             "that it has them.") },
    [KOERS_FILE_ARRIVED] = { "emblem-ok-symbolic", N_("Arrived at the office"),
                             N_("The national office has confirmed every change to this file.") },
  };
  KoersFileDelivery state;

  gtk_widget_set_visible (GTK_WIDGET (self->delivery_row), self->view != NULL);
  if (self->view == NULL)
    return;
  state = self->view->delivery;
  gtk_image_set_from_icon_name (self->delivery_icon, states[state].icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->delivery_row), _(states[state].title));
  adw_action_row_set_subtitle (self->delivery_row, _(states[state].subtitle));
}

/* The return plan row says where the plan stands; the file can be closed
 * once it exists and while it is open. */
static void
update_file_rows (KoersClientPage *self)
{
  KoersFilePlan *current = NULL;
  gboolean is_open;

  gtk_widget_set_visible (self->file_group, self->client != NULL);
  gtk_widget_set_visible (self->print_button, self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.show-plan", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.print", self->client != NULL);
  is_open = self->client != NULL && self->client->phase != KOERS_PHASE_CLOSED;
  gtk_widget_set_visible (self->close_row, is_open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.close-file", is_open);
  update_delivery (self);
  if (self->client == NULL)
    return;

  if (self->view != NULL)
    current = koers_client_file_get_plan (self->view->file);
  if (current != NULL)
    {
      /* The newest plan is the current one, as on the plan page. */
      KoersReturnPlan *plan = current->plan;
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", koers_label_plan_status (plan->status),
                                                   koers_label_country (plan->country));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), _("Return Plan"));
      adw_action_row_set_subtitle (self->plan_row, subtitle);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), _("Make a Return Plan"));
      adw_action_row_set_subtitle (self->plan_row, _("No plan yet"));
    }
}

static void
update_header (KoersClientPage *self)
{
  g_autofree char *due = load_timeline (self);
  g_autoptr(GString) summary = NULL;

  update_consent_rows (self);
  if (self->client == NULL)
    {
      gtk_label_set_label (self->header_name, _("New Client"));
      gtk_label_set_label (self->header_summary,
                           _("Ask for consent first, then fill in what the client wants to share."));
      gtk_button_set_label (self->save_button, _("_Add Client"));
      update_file_rows (self);
      return;
    }

  summary = g_string_new (koers_phase_label (self->client->phase));
  if (due != NULL)
    {
      g_autofree char *when = format_date (due);

      g_string_append (summary, " · ");
      g_string_append_printf (summary, _("next date due: %s"), when);
    }
  else
    g_string_append_printf (summary, " · %s", _("nothing due"));
  if (!self->has_consent)
    g_string_append_printf (summary, " · %s", _("no consent recorded"));
  gtk_label_set_label (self->header_name, self->client->name);
  gtk_label_set_label (self->header_summary, summary->str);
  gtk_button_set_label (self->save_button, _("_Save Changes"));
  gtk_widget_set_visible (self->duplicates_group, FALSE);
  update_file_rows (self);
}

/* The duplicate check at intake ------------------------------------------ */

#define DUPLICATE_CHECK_DELAY_MS 400   /* after the last key */
#define DUPLICATE_MIN_CHARS      3

static GtkWidget *
duplicate_row (const KoersPossibleDuplicate *dup)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;

  if (dup->birth_year > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("born %d"), dup->birth_year));
  if (dup->country_of_origin != NULL)
    g_ptr_array_add (parts, g_strdup (koers_label_country (dup->country_of_origin)));
  g_ptr_array_add (parts, g_strdup (koers_phase_label (dup->phase)));
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dup->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (dup->client_id), g_free);
  return row;
}

static void
show_duplicates (KoersClientPage *self,
                 GPtrArray       *found)
{
  clear_list (self->duplicates_list);
  for (guint i = 0; found != NULL && i < found->len; i++)
    gtk_list_box_append (self->duplicates_list, duplicate_row (g_ptr_array_index (found, i)));
  gtk_widget_set_visible (self->duplicates_group, self->client == NULL && found != NULL && found->len > 0);
}

static void
on_duplicates_found (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = koers_file_view_find_duplicates_finish (KOERS_STORE_READER (source), result,
                                                                        &error);
  KoersClientPage *self;

  /* Superseded by newer typing, or the page disposed. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return;
  self = KOERS_CLIENT_PAGE (user_data);
  self->checking_duplicates = FALSE;
  /* A check that failed offers nothing; saving still works (and reports
   * a damaged vault itself). Never the name in a log. */
  if (found == NULL)
    g_debug ("The duplicate check failed: %s %d", g_quark_to_string (error->domain), error->code);
  show_duplicates (self, found);
}

static gboolean
check_duplicates (gpointer data)
{
  KoersClientPage *self = data;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  const char *message = NULL;
  int year = parse_birth_year (self, &message);

  self->duplicates_id = 0;
  g_cancellable_cancel (self->duplicates_cancellable);
  g_clear_object (&self->duplicates_cancellable);
  self->checking_duplicates = FALSE;
  if (self->client != NULL || g_utf8_strlen (name, -1) < DUPLICATE_MIN_CHARS)
    {
      show_duplicates (self, NULL);
      return G_SOURCE_REMOVE;
    }
  self->duplicates_cancellable = g_cancellable_new ();
  self->checking_duplicates = TRUE;
  koers_file_view_find_duplicates_async (self->reader, name, MAX (year, 0), self->duplicates_cancellable,
                                         on_duplicates_found, self);
  return G_SOURCE_REMOVE;
}

/* While a new client's name or year of birth is typed: the check runs
 * once typing pauses, on the reader's thread. */
static void
on_identity_changed (KoersClientPage *self)
{
  validate (self);
  if (self->client != NULL || self->client_id != NULL)
    return;
  g_clear_handle_id (&self->duplicates_id, g_source_remove);
  self->duplicates_id = g_timeout_add (DUPLICATE_CHECK_DELAY_MS, check_duplicates, self);
}

/* Choosing a file that is the same person opens it instead: the new
 * client's form goes (nothing was saved), that file comes. */
static void
on_duplicate_chosen (KoersClientPage *self,
                     GtkListBoxRow   *row)
{
  g_autofree char *client_id = g_strdup (g_object_get_data (G_OBJECT (row), "client-id"));
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), KOERS_TYPE_MAIN_VIEW);

  if (client_id == NULL || view == NULL)
    return;
  g_object_ref (view);
  gtk_widget_activate_action (GTK_WIDGET (self), "view.back", NULL);
  gtk_widget_activate_action (view, "view.open-client", "s", client_id);
  g_object_unref (view);
}

/* Loading and saving ------------------------------------------------------ */

static void
fill_form (KoersClientPage *self)
{
  KoersClient *client = self->client;
  GPtrArray *aliases;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) alias_names = NULL;
  g_autofree char *aliases_text = NULL;
  g_autofree char *languages = NULL;
  g_autofree char *year = NULL;

  fill_consent (self);
  if (client == NULL)
    return;

  aliases = self->view->file->aliases;
  for (guint i = 0; i < aliases->len; i++)
    g_strv_builder_add (names, ((KoersAlias *) g_ptr_array_index (aliases, i))->name);
  alias_names = g_strv_builder_end (names);
  aliases_text = g_strjoinv (", ", alias_names);
  languages = client->languages != NULL ? g_strjoinv (", ", client->languages) : g_strdup ("");
  year = client->birth_year > 0 ? g_strdup_printf ("%d", client->birth_year) : g_strdup ("");

  fill_countries (self, client->country_of_origin);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), client->name);
  gtk_editable_set_text (GTK_EDITABLE (self->aliases_row), aliases_text);
  gtk_editable_set_text (GTK_EDITABLE (self->birth_year_row), year);
  select_country (self, client->country_of_origin);
  gtk_editable_set_text (GTK_EDITABLE (self->languages_row), languages);
  gtk_switch_set_active (self->interpreter_switch, client->needs_interpreter);
  adw_combo_row_set_selected (self->phase_row, client->phase);
  adw_combo_row_set_selected (self->outcome_row, client->outcome);
}

static void read_file (KoersClientPage *self,
                       gboolean         fill);

/* Shows the file as read: the header, the timeline, the plan row, the
 * consent's state; the form only after opening or saving, never while a
 * person types in it. */
static void
show_view (KoersClientPage *self,
           KoersFileView   *view,
           gboolean         fill)
{
  g_clear_pointer (&self->view, koers_file_view_free);
  self->view = view;
  g_clear_pointer (&self->client, koers_client_free);
  self->client = koers_client_copy (view->file->client);
  self->has_consent = view->file->store_file_consent;
  if (fill)
    fill_form (self);
  update_header (self);
  koers_conflict_banner_set (self->conflict_banner, self->store, view->conflicts);
  validate (self);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  KoersFileView *view = koers_file_view_read_finish (KOERS_STORE_READER (source), result, &error);
  KoersClientPage *self;
  gboolean fill;

  /* Disposed (the read is cancelled then) or locked: the page may be
   * gone, and holds no store to show anything with. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return;
  self = KOERS_CLIENT_PAGE (user_data);
  fill = self->fill_after_read;
  self->reading = FALSE;
  self->fill_after_read = FALSE;
  gtk_spinner_stop (self->loading_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), FALSE);
  if (view == NULL && self->view == NULL)
    {
      /* Unreadable: the page says so instead of showing an empty form
       * that would save a new client. */
      koers_show_read_error (self->error_page, self->scroller, _("Could Not Read This File"), error);
      return;
    }
  if (view == NULL)
    koers_toast_show (GTK_WIDGET (self), error->message);
  else
    {
      koers_show_read_error (self->error_page, self->scroller, NULL, NULL);
      show_view (self, view, fill);
      if (self->focus_when_read)
        koers_client_page_focus (self);
    }
  if (self->stale)
    {
      self->stale = FALSE;
      read_file (self, FALSE);
    }
}

/* Reads the file on the reader's thread; with @fill the form follows. */
static void
read_file (KoersClientPage *self,
           gboolean         fill)
{
  self->fill_after_read |= fill;
  if (self->reading)
    {
      self->stale = TRUE;
      return;
    }
  self->reading = TRUE;
  /* No reference: dispose cancels the read, and a cancelled read never
   * calls back into the page. */
  koers_file_view_read_async (self->reader, self->client_id, self->cancellable, on_file_read, self);
}

/* Opens the file: recorded in the audit here, on the main connection (a
 * person opened it), then read on the reader's thread while the page
 * shows that it is reading. */
static void
open_file (KoersClientPage *self,
           const char      *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) opened = NULL;

  if (client_id == NULL)
    {
      fill_form (self);
      update_header (self);
      validate (self);
      return;
    }
  self->client_id = g_strdup (client_id);
  if ((opened = koers_store_open_file (self->store, client_id, &error)) == NULL)
    {
      koers_show_read_error (self->error_page, self->scroller, _("Could Not Read This File"), error);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", FALSE);
      return;
    }
  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), TRUE);
  gtk_spinner_start (self->loading_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", FALSE);
  read_file (self, TRUE);
}

/* Reads the file again for the header, the timeline and the plan row,
 * leaving the form (and what is being typed in it) alone. */
static void
refresh_file (KoersClientPage *self)
{
  if (self->client != NULL)
    read_file (self, FALSE);
}

/* Splits "a, b ,c" into its non-blank parts (NULL for none). */
static GStrv
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  result = g_strv_builder_end (builder);
  if (result[0] == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

/* The client as the form says (a copy of the stored one, changed). */
static KoersClient *
client_from_form (KoersClientPage *self,
                  int              year)
{
  KoersClient *client;
  guint country = adw_combo_row_get_selected (self->country_row);
  guint outcome = adw_combo_row_get_selected (self->outcome_row);
  guint phase = adw_combo_row_get_selected (self->phase_row);

  if (self->client != NULL)
    client = koers_client_copy (self->client);
  else
    {
      /* The store gives a new client the worker's steunpunt. */
      client = koers_client_new ();
      client->intake_channel = KOERS_INTAKE_CONSULTATION_HOUR;
    }
  g_free (client->name);
  client->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  client->birth_year = year;
  g_free (client->country_of_origin);
  client->country_of_origin = country < self->country_codes->len
                              ? g_strdup (g_ptr_array_index (self->country_codes, country)) : NULL;
  g_strfreev (client->languages);
  client->languages = split_list (gtk_editable_get_text (GTK_EDITABLE (self->languages_row)));
  client->needs_interpreter = gtk_switch_get_active (self->interpreter_switch);
  if (phase != GTK_INVALID_LIST_POSITION)
    client->phase = phase;
  if (outcome != GTK_INVALID_LIST_POSITION)
    client->outcome = outcome;
  return client;
}

/* What a save writes, taken from the form on the main thread. */
typedef struct
{
  KoersClient *client;
  GStrv        aliases;
  GPtrArray   *consents;
  gboolean     stored_consent;
} FileSave;

static void
file_save_free (FileSave *save)
{
  koers_client_free (save->client);
  g_strfreev (save->aliases);
  g_clear_pointer (&save->consents, g_ptr_array_unref);
  g_free (save);
}

/* The client's file and the consents of each scope, all or nothing (the
 * store's use case), as a write job on the reader's thread: the commit
 * waits for the disk there, not here. The result is the saved client. */
static gpointer
write_file (KoersStore    *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  FileSave *save = data;

  if (!koers_store_save_client_consents (store, save->client, save->stored_consent,
                                         (const char *const *) save->aliases, save->consents, error))
    return NULL;
  return koers_client_copy (save->client);
}

static void
set_saving (KoersClientPage *self,
            gboolean         saving)
{
  self->saving = saving;
  if (saving)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", FALSE);
  else
    validate (self);
}

static void
on_file_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KoersClientPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KoersClient *client = koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error);

  if (self->store == NULL)   /* the page went while the save was written */
    {
      g_clear_pointer (&client, koers_client_free);
      return;
    }
  set_saving (self, FALSE);
  if (client == NULL)
    {
      gboolean in_consent = g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);

      show_message (in_consent ? self->consent_error : self->form_error, NULL, error->message);
      return;
    }

  /* The title and header follow at once; the rest when it is read back. */
  g_clear_pointer (&self->client, koers_client_free);
  self->client = client;
  g_free (self->client_id);
  self->client_id = g_strdup (client->id);
  g_clear_handle_id (&self->duplicates_id, g_source_remove);
  g_cancellable_cancel (self->duplicates_cancellable);
  self->checking_duplicates = FALSE;
  update_header (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  read_file (self, TRUE);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, client->id);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (widget);
  g_autoptr(GError) error = NULL;
  FileSave *save;
  const char *message = NULL;
  int year;

  clear_messages (self);
  if (self->saving || !validate (self))
    return;
  year = parse_birth_year (self, &message);
  save = g_new0 (FileSave, 1);
  save->client = client_from_form (self, year);
  save->aliases = split_list (gtk_editable_get_text (GTK_EDITABLE (self->aliases_row)));
  save->stored_consent = save->client->id != NULL
                         && koers_store_has_consent (self->store, save->client->id,
                                                     KOERS_CONSENT_STORE_FILE);
  save->consents = consents_to_record (self, save->client->id, &error);
  if (save->consents == NULL)
    {
      show_message (self->consent_error, NULL, error->message);
      file_save_free (save);
      return;
    }
  set_saving (self, TRUE);
  koers_store_reader_write_async (self->reader, self->store, write_file, save,
                                  (GDestroyNotify) file_save_free,
                                  (GDestroyNotify) koers_client_free, on_file_saved,
                                  g_object_ref (self));
}

static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (widget);

  if (self->client != NULL)
    gtk_widget_activate_action (widget, "view.new-conversation", "s", self->client->id);
}

/* Return plan, printing, closing ---------------------------------------- */

static void
show_plan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (widget);

  if (self->client != NULL)
    gtk_widget_activate_action (widget, "view.show-plan", "s", self->client->id);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  koers_client_page_print (KOERS_CLIENT_PAGE (widget), NULL);
}

static gboolean
set_phase (KoersStore    *store,
           const char    *client_id,
           KoersPhase     phase,
           KoersOutcome   outcome,
           GError       **error)
{
  g_autoptr(KoersClient) client = koers_store_get_client (store, client_id, error);

  if (client == NULL)
    return FALSE;
  client->phase = phase;
  client->outcome = outcome;
  return koers_store_update_client (store, client, error);
}

/* After the phase changed in the store: the header, the rows and the two
 * combos follow; the other fields keep what is typed and not saved yet. */
static void
refresh_phase (KoersClientPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) stored = koers_store_get_client (self->store, self->client->id, &error);

  if (stored == NULL)
    {
      show_message (self->form_error, NULL, error->message);
      return;
    }
  koers_client_free (self->client);
  self->client = g_steal_pointer (&stored);
  adw_combo_row_set_selected (self->phase_row, self->client->phase);
  adw_combo_row_set_selected (self->outcome_row, self->client->outcome);
  update_header (self);
}

/* What Undo puts back; it outlives the page (the toast stays on Back). */
typedef struct
{
  KoersStore   *store;
  char         *client_id;
  KoersPhase    phase;
  KoersOutcome  outcome;
  GWeakRef      page;
} ClosedFile;

static void
closed_file_free (ClosedFile *closed)
{
  g_object_unref (closed->store);
  g_free (closed->client_id);
  g_weak_ref_clear (&closed->page);
  g_free (closed);
}

static void
on_undo_close (AdwToast   *toast,
               ClosedFile *closed)
{
  g_autoptr(KoersClientPage) self = g_weak_ref_get (&closed->page);
  g_autoptr(GError) error = NULL;

  if (!set_phase (closed->store, closed->client_id, closed->phase, closed->outcome, &error))
    {
      if (self != NULL)
        show_message (self->form_error, NULL, error->message);
      return;
    }
  if (self != NULL && self->client != NULL && g_str_equal (self->client->id, closed->client_id))
    {
      refresh_phase (self);
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, closed->client_id);
    }
}

static void
close_file (KoersClientPage *self,
            KoersOutcome     outcome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  ClosedFile *closed;

  if (self->client == NULL || self->client->phase == KOERS_PHASE_CLOSED)
    return;
  id = g_strdup (self->client->id);
  closed = g_new0 (ClosedFile, 1);
  closed->store = g_object_ref (self->store);
  closed->client_id = g_strdup (id);
  closed->phase = self->client->phase;
  closed->outcome = self->client->outcome;
  g_weak_ref_init (&closed->page, self);
  if (!set_phase (self->store, id, KOERS_PHASE_CLOSED, outcome, &error))
    {
      closed_file_free (closed);
      show_message (self->form_error, NULL, error->message);
      return;
    }
  koers_toast_show_undo (GTK_WIDGET (self), _("File closed"), G_CALLBACK (on_undo_close), closed,
                         (GDestroyNotify) closed_file_free);
  refresh_phase (self);
  /* The Close File row is hidden now: keep the keyboard next to it. */
  gtk_widget_grab_focus (GTK_WIDGET (self->plan_row));
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id);
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   KoersClientPage  *self)
{
  GtkDropDown *outcomes = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  guint outcome = gtk_drop_down_get_selected (outcomes);

  if (g_str_equal (response, "close") && outcome != GTK_INVALID_LIST_POSITION)
    close_file (self, (KoersOutcome) outcome);
}

static void
close_file_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (widget);
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *dropdown;

  if (self->client == NULL)
    return;
  for (int i = KOERS_OUTCOME_UNKNOWN; i <= KOERS_OUTCOME_OTHER; i++)
    gtk_string_list_append (outcomes, koers_outcome_label (i));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&outcomes)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), self->client->outcome);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("How the work ended"), -1);
  gtk_widget_set_tooltip_text (dropdown, _("How the work ended"));

  dialog = GTK_WIDGET (koers_ask (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  _("Close This File?"),
                                  _("Choose how the work with the client ended. The file stays in "
                                    "Koers and can be opened again by changing its phase."),
                                  "cancel", _("_Cancel"), "close", _("_Close File"),
                                  ADW_RESPONSE_SUGGESTED, TRUE));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), dropdown);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
koers_client_page_dispose (GObject *object)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->duplicates_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->duplicates_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_CLIENT_PAGE);
  g_clear_pointer (&self->view, koers_file_view_free);
  g_clear_pointer (&self->client, koers_client_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->duplicates_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (koers_client_page_parent_class)->dispose (object);
}

static void
koers_client_page_finalize (GObject *object)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (object);

  g_clear_pointer (&self->country_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (koers_client_page_parent_class)->finalize (object);
}

static void
koers_client_page_class_init (KoersClientPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_client_page_dispose;
  object_class->finalize = koers_client_page_finalize;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KOERS_TYPE_CONFLICT_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-client-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, header_name);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, header_summary);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, share_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, share_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, reporting_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, reporting_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_date_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_how_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_error);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, name_error_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, name_error);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, aliases_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, birth_year_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, birth_year_error_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, birth_year_error);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, languages_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, interpreter_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, phase_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, duplicates_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, duplicates_list);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, form_error);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, file_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, delivery_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, delivery_icon);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, plan_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, close_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, upcoming_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, upcoming_list);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, conflict_banner);

  gtk_widget_class_install_action (widget_class, "client.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "client.new-conversation", NULL, new_conversation_action);
  gtk_widget_class_install_action (widget_class, "client.show-plan", NULL, show_plan_action);
  gtk_widget_class_install_action (widget_class, "client.close-file", NULL, close_file_action);
  gtk_widget_class_install_action (widget_class, "client.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "client.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "client.print", NULL);
}

static void
koers_client_page_init (KoersClientPage *self)
{
  g_autoptr(GtkStringList) phases = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);
  const char *const hows[] = { N_("Not recorded"), N_("Spoken"), N_("In writing") };
  g_autoptr(GtkStringList) how = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (hows); i++)
    gtk_string_list_append (how, _(hows[i]));
  adw_combo_row_set_model (self->consent_how_row, G_LIST_MODEL (how));

  for (int i = KOERS_PHASE_INTAKE; i <= KOERS_PHASE_CLOSED; i++)
    gtk_string_list_append (phases, koers_phase_label (i));
  for (int i = KOERS_OUTCOME_UNKNOWN; i <= KOERS_OUTCOME_OTHER; i++)
    gtk_string_list_append (outcomes, koers_outcome_label (i));
  adw_combo_row_set_model (self->phase_row, G_LIST_MODEL (phases));
  adw_combo_row_set_model (self->outcome_row, G_LIST_MODEL (outcomes));
  fill_countries (self, NULL);
  koers_a11y_name_lists (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_describe_choice (GTK_WIDGET (self->consent_how_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->country_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->phase_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->outcome_row));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->scroller), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  self->header_name, NULL, -1);
  gtk_widget_set_focusable (self->scroller, FALSE);  /* the heading takes it */
  /* The rows of a group without a title (delivery, plan, closing). */
  koers_a11y_name (gtk_widget_get_parent (GTK_WIDGET (self->delivery_row)), _("Client File"));

  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_identity_changed), self);
  g_signal_connect_swapped (self->birth_year_row, "changed", G_CALLBACK (on_identity_changed), self);
  g_signal_connect_swapped (self->timeline_list, "row-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect_swapped (self->duplicates_list, "row-activated", G_CALLBACK (on_duplicate_chosen), self);
}

KoersClientPage *
koers_client_page_new (KoersStore       *store,
                       KoersStoreReader *reader,
                       const char       *client_id)
{
  KoersClientPage *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (KOERS_IS_STORE_READER (reader), NULL);

  self = g_object_new (KOERS_TYPE_CLIENT_PAGE, NULL);
  self->store = g_object_ref (store);
  self->reader = g_object_ref (reader);
  open_file (self, client_id);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (queue_refresh), self);
  return self;
}

const char *
koers_client_page_get_client_id (KoersClientPage *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_PAGE (self), NULL);
  return self->client != NULL ? self->client->id : NULL;
}

void
koers_client_page_reload (KoersClientPage *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_PAGE (self));

  if (self->client != NULL)
    read_file (self, TRUE);
}

gboolean
koers_client_page_is_loading (KoersClientPage *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENT_PAGE (self), FALSE);
  return self->reading || self->saving || self->duplicates_id != 0 || self->checking_duplicates;
}

void
koers_client_page_focus (KoersClientPage *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_PAGE (self));

  self->focus_when_read = self->client_id != NULL && self->client == NULL;
  if (self->client_id == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->consent_switch));
  else if (self->client != NULL && gtk_widget_grab_focus (GTK_WIDGET (self->header_name)))
    /* Heard, not selected (a label selects all it says on focus). */
    gtk_label_select_region (self->header_name, 0, 0);
}

void
koers_client_page_print (KoersClientPage *self,
                         const char      *export_filename)
{
  g_return_if_fail (KOERS_IS_CLIENT_PAGE (self));

  if (self->client != NULL)
    koers_print_from_widget (GTK_WIDGET (self), KOERS_ENTITY_CLIENT, self->store, self->client->id,
                             export_filename);
}
