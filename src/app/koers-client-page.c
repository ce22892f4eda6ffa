/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-client-page"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "koers-client-item.h"
#include "koers-ask.h"
#include "koers-client-page.h"
#include "koers-labels.h"
#include "koers-main-view.h"
#include "koers-print.h"
#include "koers-toasts.h"
#include "store/koers-client-file.h"

struct _KoersClientPage
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  AdwStatusPage   *error_page;
  GtkLabel        *header_name;
  GtkLabel        *header_summary;
  GtkWidget       *print_button;
  GtkSwitch       *consent_switch;
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
  GtkLabel        *form_error;
  GtkButton       *save_button;
  GtkWidget       *file_group;
  AdwActionRow    *plan_row;
  GtkWidget       *close_row;
  GtkWidget       *timeline_group;
  GtkListBox      *timeline_list;

  KoersStore      *store;
  guint            refresh_id;   /* a re-read queued after a change */
  KoersClientFile *file;          /* as read; NULL for a new client */
  KoersClient     *client;        /* as stored; NULL for a new client */
  gboolean         has_consent;
  GPtrArray       *country_codes; /* of country_row's rows; NULL: not recorded */
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

static void
show_message (GtkLabel   *label,
              GtkWidget  *shown,
              const char *message)
{
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
  show_message (self->birth_year_error, self->birth_year_error_row, message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->birth_year_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->birth_year_row), "error");

  if (*name == '\0')
    ok = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "client.save", ok);
  return ok;
}

/* Header and timeline ------------------------------------------------- */

static char *
format_date (const char *iso)
{
  char *date = koers_label_date (iso);

  return date != NULL ? date : g_strdup ("");
}

typedef struct
{
  char     *date;     /* sort key, YYYY-MM-DD */
  char     *title;
  char     *subtitle;
  char     *conversation_id;
  KoersReferral *referral;   /* a referral's row has its status to change */
} Event;

static void
event_free (Event *event)
{
  g_free (event->date);
  g_free (event->title);
  g_free (event->subtitle);
  g_free (event->conversation_id);
  g_clear_pointer (&event->referral, koers_referral_free);
  g_free (event);
}

static Event *
event_new (const char *date,
           char       *title,
           char       *subtitle)
{
  Event *event = g_new0 (Event, 1);

  event->date = g_strdup (date != NULL ? date : "");
  event->title = title;
  event->subtitle = subtitle;
  return event;
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *x = *(Event *const *) a;
  const Event *y = *(Event *const *) b;

  return strcmp (y->date, x->date);
}

static char *
dated (const char *date,
       const char *text)
{
  g_autofree char *when = format_date (date);

  if (text == NULL || *text == '\0')
    return g_steal_pointer (&when);
  return g_strdup_printf ("%s · %s", when, text);
}

/* "Referral to Name", the counsellor's or organisation's. */
static char *
referral_title (KoersStore    *store,
                KoersReferral *referral)
{
  g_autoptr(KoersWorker) counsellor = NULL;
  g_autoptr(KoersReferralOrg) org = NULL;
  const char *name = NULL;

  if (referral->counsellor_id != NULL &&
      (counsellor = koers_store_get_worker (store, referral->counsellor_id, NULL)) != NULL)
    name = counsellor->name;
  else if (referral->organisation_id != NULL &&
           (org = koers_store_get_referral_org (store, referral->organisation_id, NULL)) != NULL)
    name = org->name;
  if (name == NULL)
    return g_strdup (_("Referral"));
  return g_strdup_printf (_("Referral to %s"), name);
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
  g_autoptr(GError) error = NULL;

  if (!koers_store_set_referral_status (self->store, id, status, NULL, &error))
    {
      koers_toast_show (GTK_WIDGET (self), error->message);
      return;
    }
  /* The store's "changed" queues the re-read that shows it. */
}

/* The referral's status, changeable on the spot. */
static GtkWidget *
referral_status_dropdown (KoersClientPage *self,
                          KoersReferral   *referral)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (KoersReferralStatus s = KOERS_REFERRAL_PROPOSED; s <= KOERS_REFERRAL_DECLINED; s++)
    gtk_string_list_append (statuses, koers_label_referral_status (s));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&statuses)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), referral->status);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Status of the referral"), -1);
  gtk_widget_set_tooltip_text (dropdown, _("Status of the referral"));
  g_object_set_data_full (G_OBJECT (dropdown), "referral-id", g_strdup (referral->id), g_free);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_referral_status_chosen), self);
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

/* Fills the timeline; returns the earliest open due date (or NULL). */
static char *
load_timeline (KoersClientPage *self)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  char *due = NULL;
  GtkWidget *child;

#define NOTE_DUE(d) G_STMT_START { if ((d) != NULL && (due == NULL || strcmp ((d), due) < 0)) \
                                     { g_free (due); due = g_strdup (d); } } G_STMT_END

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list))) != NULL)
    gtk_list_box_remove (self->timeline_list, child);
  gtk_widget_set_visible (self->timeline_group, self->file != NULL);
  if (self->file == NULL)
    return NULL;

  for (guint i = 0; i < self->file->conversations->len; i++)
    {
      KoersFileConversation *node = g_ptr_array_index (self->file->conversations, i);
      KoersConversation *c = node->conversation;
      g_autoptr(GString) what = g_string_new (NULL);
      Event *event;

      if (c->interpreter_present)
        g_string_append (what, _("with an interpreter"));
      if (c->psychosocial_signal)
        g_string_append_printf (what, "%s%s", what->len > 0 ? " · " : "", _("psychosocial signal"));
      event = event_new (c->held_on, g_strdup (_("Conversation")), dated (c->held_on, what->str));
      event->conversation_id = g_strdup (c->id);
      g_ptr_array_add (events, event);

      for (guint j = 0; j < node->next_steps->len; j++)
        {
          KoersNextStep *s = g_ptr_array_index (node->next_steps, j);

          g_ptr_array_add (events, event_new (s->due_on,
                                              g_strdup (s->done ? _("Next step (done)") : _("Next step")),
                                              dated (s->due_on, s->description)));
          if (!s->done)
            NOTE_DUE (s->due_on);
        }
    }

  for (guint i = 0; i < self->file->referrals->len; i++)
    {
      KoersReferral *r = g_ptr_array_index (self->file->referrals, i);

      Event *event = event_new (r->referred_on, referral_title (self->store, r),
                                dated (r->referred_on, r->reason));

      event->referral = koers_referral_copy (r);
      g_ptr_array_add (events, event);
    }

  for (guint i = 0; i < self->file->plans->len; i++)
    {
      KoersFilePlan *plan = g_ptr_array_index (self->file->plans, i);

      for (guint j = 0; j < plan->steps->len; j++)
        {
          KoersReturnStep *s = g_ptr_array_index (plan->steps, j);

          g_ptr_array_add (events, event_new (s->due_on,
                                              g_strdup (s->done ? _("Plan step (done)") : _("Plan step")),
                                              dated (s->due_on, s->description)));
          if (!s->done)
            NOTE_DUE (s->due_on);
        }
      for (guint j = 0; j < plan->checkins->len; j++)
        {
          KoersCheckin *c = g_ptr_array_index (plan->checkins, j);
          const char *date = c->held_on != NULL ? c->held_on : c->due_on;

          g_ptr_array_add (events, event_new (date,
                                              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                            "Check-in after %d month",
                                                                            "Check-in after %d months",
                                                                            c->month), c->month),
                                              dated (date, c->held_on != NULL ? _("held") : _("due"))));
          if (c->held_on == NULL)
            NOTE_DUE (c->due_on);
        }
    }
#undef NOTE_DUE

  g_ptr_array_sort (events, compare_events);
  for (guint i = 0; i < events->len; i++)
    {
      Event *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), event->subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (event->conversation_id != NULL)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          g_object_set_data_full (G_OBJECT (row), "conversation-id",
                                  g_steal_pointer (&event->conversation_id), g_free);
        }
      if (event->referral != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), referral_status_dropdown (self, event->referral));
      gtk_list_box_append (self->timeline_list, row);
    }
  if (events->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("Nothing recorded yet"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (empty), FALSE);
      gtk_widget_set_focusable (empty, FALSE);
      gtk_list_box_append (self->timeline_list, empty);
    }
  return due;
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
  if (self->client == NULL)
    return;

  if (self->file != NULL)
    current = koers_client_file_get_plan (self->file);
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
  update_file_rows (self);
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

  gtk_switch_set_active (self->consent_switch, self->has_consent);
  if (client == NULL)
    return;

  aliases = self->file->aliases;
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

/* Reads the file; with @audit_open as a person opening it (not after a
 * save: saving is not opening). */
static void
load (KoersClientPage *self,
      const char      *client_id,
      gboolean         audit_open)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->file, koers_client_file_free);
  g_clear_pointer (&self->client, koers_client_free);
  self->has_consent = FALSE;
  if (client_id != NULL)
    {
      self->file = koers_store_read_file (self->store, client_id, audit_open, &error);
      /* Unreadable: the page says so instead of showing an empty form
       * that would save a new client. */
      koers_show_read_error (self->error_page, self->scroller, _("Could Not Read This File"), error);
      if (self->file != NULL)
        {
          self->client = koers_client_copy (self->file->client);
          self->has_consent = self->file->store_file_consent;
        }
    }
  fill_form (self);
  update_header (self);
  validate (self);
}

/* Reads the file again for the header, the timeline and the plan row,
 * leaving the form (and what is being typed in it) alone. */
static void
refresh_file (KoersClientPage *self)
{
  g_autoptr(GError) error = NULL;
  KoersClientFile *file;

  if (self->client == NULL)
    return;
  if ((file = koers_store_read_file (self->store, self->client->id, FALSE, &error)) == NULL)
    {
      koers_toast_show (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->file, koers_client_file_free);
  self->file = file;
  g_clear_pointer (&self->client, koers_client_free);
  self->client = koers_client_copy (file->client);
  self->has_consent = file->store_file_consent;
  update_header (self);
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

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KoersClientPage *self = KOERS_CLIENT_PAGE (widget);
  g_autoptr(KoersClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) aliases = NULL;
  const char *message = NULL;
  gboolean consent = gtk_switch_get_active (self->consent_switch);
  guint country = adw_combo_row_get_selected (self->country_row);
  guint outcome = adw_combo_row_get_selected (self->outcome_row);
  guint phase = adw_combo_row_get_selected (self->phase_row);
  int year;

  clear_messages (self);
  if (!validate (self))
    return;
  year = parse_birth_year (self, &message);

  if (self->client != NULL)
    client = koers_client_copy (self->client);
  else
    {
      /* The store gives a new client the worker's steunpunt. */
      client = koers_client_new ();
      client->intake_channel = KOERS_INTAKE_CONSULTATION_HOUR;
    }

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_free (client->name);
  client->name = g_steal_pointer (&name);
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

  aliases = split_list (gtk_editable_get_text (GTK_EDITABLE (self->aliases_row)));
  if (!koers_store_save_client_file (self->store, client, consent, (const char *const *) aliases, &error))
    {
      if (g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT))
        show_message (self->consent_error, NULL, error->message);
      else
        show_message (self->form_error, NULL, error->message);
      return;
    }

  load (self, client->id, FALSE);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, client->id);
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
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_CLIENT_PAGE);
  g_clear_pointer (&self->file, koers_client_file_free);
  g_clear_pointer (&self->client, koers_client_free);
  g_clear_object (&self->store);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-client-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, header_name);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, header_summary);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, consent_switch);
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
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, form_error);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, file_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, plan_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, close_row);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, KoersClientPage, timeline_list);

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

  gtk_widget_init_template (GTK_WIDGET (self));
  self->country_codes = g_ptr_array_new_with_free_func (g_free);

  for (int i = KOERS_PHASE_INTAKE; i <= KOERS_PHASE_CLOSED; i++)
    gtk_string_list_append (phases, koers_phase_label (i));
  for (int i = KOERS_OUTCOME_UNKNOWN; i <= KOERS_OUTCOME_OTHER; i++)
    gtk_string_list_append (outcomes, koers_outcome_label (i));
  adw_combo_row_set_model (self->phase_row, G_LIST_MODEL (phases));
  adw_combo_row_set_model (self->outcome_row, G_LIST_MODEL (outcomes));
  fill_countries (self, NULL);

  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->birth_year_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->timeline_list, "row-activated", G_CALLBACK (on_row_activated), self);
}

KoersClientPage *
koers_client_page_new (KoersStore *store,
                       const char *client_id)
{
  KoersClientPage *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  self = g_object_new (KOERS_TYPE_CLIENT_PAGE, NULL);
  self->store = g_object_ref (store);
  load (self, client_id, TRUE);
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
  g_autofree char *id = NULL;

  g_return_if_fail (KOERS_IS_CLIENT_PAGE (self));

  if (self->client == NULL)
    return;
  id = g_strdup (self->client->id);
  load (self, id, FALSE);
}

void
koers_client_page_focus (KoersClientPage *self)
{
  g_return_if_fail (KOERS_IS_CLIENT_PAGE (self));

  if (self->client == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->consent_switch));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
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
