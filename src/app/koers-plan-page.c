/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-plan-page"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-checkin-dialog.h"
#include "koers-country-row.h"
#include "koers-date-row.h"
#include "koers-labels.h"
#include "koers-plan-page.h"
#include "koers-print.h"
#include "koers-toasts.h"
#include "store/koers-client-file.h"
#include "store/koers-country.h"
#include "store/koers-date.h"

struct _KoersPlanPage
{
  GtkWidget            parent_instance;

  GtkWidget           *scroller;
  GtkWidget           *create_group;
  KoersCountryRow     *create_country_row;
  GtkWidget           *plan_group;
  KoersCountryRow     *country_row;
  AdwComboRow         *partner_row;
  AdwActionRow        *no_partner_row;
  KoersDateRow        *planned_row;
  AdwActionRow        *status_row;
  GtkMenuButton       *status_button;
  AdwActionRow        *departed_row;
  GtkWidget           *support_group;
  GtkListBox          *support_list;
  AdwComboRow         *support_kind_row;
  AdwEntryRow         *support_details_row;
  GtkWidget           *steps_group;
  GtkListBox          *steps_list;
  AdwEntryRow         *step_row;
  KoersDateRow        *step_date_row;
  AdwComboRow         *owner_row;
  GtkWidget           *checkins_group;
  AdwActionRow        *latest_row;
  AdwActionRow        *twelve_row;
  GtkListBox          *checkins_list;
  GtkLabel            *error_label;

  KoersStore          *store;
  char                *client_id;
  char                *plan_id;
  KoersPlanStatus      status;
  GPtrArray           *partner_ids;   /* of partner_row's rows; [0] NULL: none chosen */
  char                *title;
  guint                reload_id;
  gboolean             loading;       /* filling the rows: no saves */
};

enum { PROP_0, PROP_TITLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KoersPlanPage, koers_plan_page, GTK_TYPE_WIDGET)

static void
show_error (KoersPlanPage *self,
            const char    *message)
{
  if (message != NULL && g_strcmp0 (gtk_label_get_text (self->error_label), message) != 0)
    koers_a11y_announce (GTK_WIDGET (self), message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Removes every row of @list before @keep (the form rows at its end). */
static void
clear_rows (GtkListBox *list,
            GtkWidget  *keep)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL && child != keep)
    gtk_list_box_remove (list, child);
}

static void
insert_before (GtkListBox *list,
               GtkWidget  *row,
               GtkWidget  *form)
{
  gtk_list_box_insert (list, row, form != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (form)) : -1);
}

static GtkWidget *
flat_icon_button (const char *icon,
                  const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

/* TRUE if the keyboard is in @widget: a reload leaves what is typed there. */
static gboolean
is_typing_in (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, widget);
}

/* The plan as stored now, or NULL (the page says why). */
static KoersReturnPlan *
stored_plan (KoersPlanPage *self)
{
  g_autoptr(GError) error = NULL;
  KoersReturnPlan *plan;

  if (self->plan_id == NULL)
    return NULL;
  plan = koers_store_get_return_plan (self->store, self->plan_id, &error);
  if (plan == NULL)
    show_error (self, error->message);
  return plan;
}

static gboolean
save_plan (KoersPlanPage   *self,
           KoersReturnPlan *plan)
{
  g_autoptr(GError) error = NULL;

  if (!koers_store_update_return_plan (self->store, plan, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  return TRUE;
}

/* Steps ------------------------------------------------------------------- */

static void
on_step_done (GtkCheckButton *check,
              GParamSpec     *pspec,
              KoersPlanPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "step-id");
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;
  if (!koers_store_set_step_done (self->store, KOERS_ENTITY_RETURN_STEP, id,
                                  gtk_check_button_get_active (check), &error))
    show_error (self, error->message);
}

/* What Undo adds again; it outlives the page (the toast stays on Back). */
typedef struct
{
  KoersStore      *store;
  KoersReturnStep *step;
  GWeakRef         page;
} RemovedStep;

static void
removed_step_free (RemovedStep *removed)
{
  g_object_unref (removed->store);
  koers_return_step_free (removed->step);
  g_weak_ref_clear (&removed->page);
  g_free (removed);
}

static void
on_undo_remove_step (AdwToast    *toast,
                     RemovedStep *removed)
{
  g_autoptr(KoersPlanPage) self = g_weak_ref_get (&removed->page);
  g_autoptr(KoersReturnStep) again = koers_return_step_copy (removed->step);
  g_autoptr(GError) error = NULL;

  /* A new record: the removed one stays a tombstone for sync. */
  g_clear_pointer (&again->id, g_free);
  if (!koers_store_add_return_step (removed->store, again, &error) && self != NULL)
    show_error (self, error->message);
}

static void
on_remove_step (GtkButton     *button,
                KoersPlanPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "step-id");
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnStep) step = koers_store_get_return_step (self->store, id, &error);
  RemovedStep *removed;

  /* Keep the keyboard in the list: the next row, or the new-step row. */
  gtk_widget_grab_focus (gtk_widget_get_next_sibling (row));
  if (step == NULL || !koers_store_delete_return_step (self->store, id, &error))
    {
      show_error (self, g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND)
                        ? _("This step is no longer in the plan.") : error->message);
      return;
    }
  show_error (self, NULL);
  removed = g_new0 (RemovedStep, 1);
  removed->store = g_object_ref (self->store);
  removed->step = g_steal_pointer (&step);
  g_weak_ref_init (&removed->page, self);
  koers_toast_show_undo (GTK_WIDGET (self), _("Step removed"), G_CALLBACK (on_undo_remove_step), removed,
                         (GDestroyNotify) removed_step_free);
}

static void
add_step_row (KoersPlanPage         *self,
              const KoersReturnStep *step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *remove = flat_icon_button ("user-trash-symbolic", _("Remove Step"));
  g_autofree char *due = koers_label_date (step->due_on);
  g_autofree char *subtitle = NULL;

  if (due != NULL)
    /* Translators: who does a step, and by when: "Client · due 3 December 2026". */
    subtitle = g_strdup_printf (_("%s · due %s"), koers_label_owner (step->owner), due);
  else
    subtitle = g_strdup (koers_label_owner (step->owner));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->description);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), step->done);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"), -1);
  gtk_widget_set_tooltip_text (check, _("Done"));
  g_object_set_data_full (G_OBJECT (check), "step-id", g_strdup (step->id), g_free);
  g_signal_connect (check, "notify::active", G_CALLBACK (on_step_done), self);
  g_object_set_data_full (G_OBJECT (remove), "step-id", g_strdup (step->id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_step), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  insert_before (self->steps_list, row, GTK_WIDGET (self->step_row));
}

static void
add_step_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (widget);
  g_autoptr(KoersReturnStep) step = koers_return_step_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->step_row))));
  g_autofree char *due_on = NULL;

  if (self->plan_id == NULL)
    return;
  if (*description == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
      return;
    }
  /* The row says why under its title. */
  if (!koers_date_row_read (self->step_date_row, &due_on, NULL))
    return;
  step->plan_id = g_strdup (self->plan_id);
  step->description = g_steal_pointer (&description);
  step->owner = adw_combo_row_get_selected (self->owner_row);
  step->due_on = g_steal_pointer (&due_on);
  if (!koers_store_add_return_step (self->store, step, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->step_row), "");
  koers_date_row_set_date (self->step_date_row, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
  /* The store's "changed" shows it, in its place by date. */
}

/* Support ----------------------------------------------------------------- */

static void
on_support_status (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   KoersPlanPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dropdown), "support-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSupportItem) item = NULL;

  if (self->loading)
    return;
  item = koers_store_get_support_item (self->store, id, &error);
  if (item != NULL)
    item->status = gtk_drop_down_get_selected (dropdown);
  if (item == NULL || !koers_store_update_support_item (self->store, item, &error))
    show_error (self, error->message);
}

static void
on_remove_support (GtkButton     *button,
                   KoersPlanPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "support-id");
  g_autoptr(GError) error = NULL;

  gtk_widget_grab_focus (GTK_WIDGET (self->support_kind_row));
  if (!koers_store_delete_support_item (self->store, id, &error))
    show_error (self, error->message);
}

static GtkWidget *
support_status_dropdown (KoersPlanPage          *self,
                         const KoersSupportItem *item)
{
  const char *statuses[] = {
    koers_label_support_status (KOERS_SUPPORT_PLANNED), koers_label_support_status (KOERS_SUPPORT_APPROVED),
    koers_label_support_status (KOERS_SUPPORT_DELIVERED), koers_label_support_status (KOERS_SUPPORT_CANCELLED),
    NULL,
  };
  GtkWidget *dropdown = gtk_drop_down_new_from_strings (statuses);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), item->status);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status of the support"), -1);
  koers_a11y_describe_choice (dropdown);
  g_object_set_data_full (G_OBJECT (dropdown), "support-id", g_strdup (item->id), g_free);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_support_status), self);
  return dropdown;
}

static void
add_support_row (KoersPlanPage          *self,
                 const KoersSupportItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = flat_icon_button ("user-trash-symbolic", _("Remove Support"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), koers_label_support_kind (item->kind));
  if (item->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->description);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), support_status_dropdown (self, item));
  g_object_set_data_full (G_OBJECT (remove), "support-id", g_strdup (item->id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_support), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  insert_before (self->support_list, row, GTK_WIDGET (self->support_kind_row));
}

static void
add_support_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (widget);
  g_autoptr(KoersSupportItem) item = koers_support_item_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *details = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->support_details_row))));

  if (self->plan_id == NULL)
    return;
  item->plan_id = g_strdup (self->plan_id);
  item->kind = adw_combo_row_get_selected (self->support_kind_row);
  item->description = *details != '\0' ? g_steal_pointer (&details) : NULL;
  item->status = KOERS_SUPPORT_PLANNED;
  if (!koers_store_add_support_item (self->store, item, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->support_details_row), "");
}

/* Check-ins --------------------------------------------------------------- */

/* "Social contacts: yes · Economic activity: not known" */
static char *
answers_text (const KoersCheckin *checkin)
{
  /* Translators: the two indicators of a check-in, each yes, no or not known. */
  return g_strdup_printf (_("Social contacts: %s · Economic activity: %s"),
                          koers_label_answer (checkin->social_contacts),
                          koers_label_answer (checkin->economic_activity));
}

static void
on_record_checkin (GtkButton     *button,
                   KoersPlanPage *self)
{
  koers_checkin_dialog_open (GTK_WIDGET (self), self->store, g_object_get_data (G_OBJECT (button), "checkin-id"));
}

static void
add_checkin_row (KoersPlanPage      *self,
                 const KoersCheckin *checkin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  g_autofree char *title = koers_label_checkin (checkin->month);
  g_autofree char *subtitle = NULL;

  if (checkin->held_on != NULL)
    {
      g_autofree char *held = koers_label_date (checkin->held_on);
      g_autofree char *answers = answers_text (checkin);

      /* Translators: "held on 12 January 2027 · Social contacts: yes · …" */
      subtitle = g_strdup_printf (_("held on %s · %s"), held, answers);
    }
  else
    {
      g_autofree char *due = koers_label_date (checkin->due_on);

      subtitle = due != NULL ? g_strdup_printf (_("due %s"), due) : g_strdup ("");
    }
  button = gtk_button_new_with_label (checkin->held_on != NULL ? _("Change…") : _("Record…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  koers_a11y_name (button, checkin->held_on != NULL ? _("Change the check-in") : _("Record the check-in"));
  g_object_set_data_full (G_OBJECT (button), "checkin-id", g_strdup (checkin->id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_record_checkin), self);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  gtk_list_box_append (self->checkins_list, row);
}

static void
show_indicator (AdwActionRow       *row,
                const KoersCheckin *checkin,
                const char         *none)
{
  g_autofree char *held = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *text = NULL;

  if (checkin == NULL)
    {
      adw_action_row_set_subtitle (row, none);
      return;
    }
  held = koers_label_date (checkin->held_on);
  answers = answers_text (checkin);
  /* Translators: "12 January 2027: Social contacts: yes · Economic activity: no" */
  text = g_strdup_printf (_("%s: %s"), held, answers);
  adw_action_row_set_subtitle (row, text);
}

static void
show_indicators (KoersPlanPage *self)
{
  g_autoptr(KoersCheckin) latest = NULL;
  g_autoptr(KoersCheckin) twelve = NULL;
  g_autoptr(GError) error = NULL;

  if (!koers_store_plan_indicators (self->store, self->plan_id, &latest, &twelve, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_indicator (self->latest_row, latest, _("No check-in held yet"));
  show_indicator (self->twelve_row, twelve, _("Not held yet"));
}

/* The status --------------------------------------------------------------- */

/* The moves a person can make from here: any status further on, and back
 * one step (with a reason). */
static void
fill_status_menu (KoersPlanPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) forward = g_menu_new ();
  g_autoptr(GMenu) back = g_menu_new ();

  for (int s = self->status + 1; s <= KOERS_PLAN_CLOSED; s++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (koers_label_plan_status (s), NULL);

      g_menu_item_set_action_and_target (item, "plan.move", "i", s);
      g_menu_append_item (forward, item);
    }
  if (self->status > KOERS_PLAN_DRAFT)
    {
      g_autofree char *label = g_strdup_printf (_("Back to %s…"), koers_label_plan_status (self->status - 1));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "plan.move", "i", (int) self->status - 1);
      g_menu_append_item (back, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (forward));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (back));
  gtk_menu_button_set_menu_model (self->status_button, G_MENU_MODEL (menu));
}

static void
show_status (KoersPlanPage         *self,
             const KoersReturnPlan *plan)
{
  g_autofree char *departed = koers_label_date (plan->departed_on);

  self->status = plan->status;
  if (plan->status_reason != NULL)
    {
      /* Translators: a status and why the plan went back to it. */
      g_autofree char *text = g_strdup_printf (_("%s (%s)"), koers_label_plan_status (plan->status),
                                               plan->status_reason);

      adw_action_row_set_subtitle (self->status_row, text);
    }
  else
    adw_action_row_set_subtitle (self->status_row, koers_label_plan_status (plan->status));
  fill_status_menu (self);
  gtk_widget_set_visible (GTK_WIDGET (self->departed_row), departed != NULL);
  adw_action_row_set_subtitle (self->departed_row, departed != NULL ? departed : "");
}

/* The partner --------------------------------------------------------------- */

static void
show_partners (KoersPlanPage         *self,
               const KoersReturnPlan *plan)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) partners = koers_store_list_partners (self->store, plan->country, &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint chosen = 0;
  gboolean any = partners != NULL && partners->len > 0;

  if (partners == NULL)
    show_error (self, error->message);
  g_ptr_array_set_size (self->partner_ids, 0);
  g_ptr_array_add (self->partner_ids, NULL);
  gtk_string_list_append (names, _("None chosen yet"));
  for (guint i = 0; any && i < partners->len; i++)
    {
      KoersPartnerOrg *partner = g_ptr_array_index (partners, i);

      gtk_string_list_append (names, partner->name);
      g_ptr_array_add (self->partner_ids, g_strdup (partner->id));
      if (g_strcmp0 (partner->id, plan->partner_id) == 0)
        chosen = i + 1;
    }
  adw_combo_row_set_model (self->partner_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->partner_row, chosen);
  gtk_widget_set_visible (GTK_WIDGET (self->partner_row), any);
  gtk_widget_set_visible (GTK_WIDGET (self->no_partner_row), !any);
  if (!any)
    {
      /* Translators: %s is a country. */
      g_autofree char *text = g_strdup_printf (_("Koers has no partner organisation in %s yet. "
                                                 "A coordinator adds them in Preferences, under Organisations."),
                                               koers_label_country (plan->country));

      adw_action_row_set_subtitle (self->no_partner_row, text);
    }
}

static void
on_partner_chosen (KoersPlanPage *self)
{
  g_autoptr(KoersReturnPlan) plan = NULL;
  guint chosen = adw_combo_row_get_selected (self->partner_row);

  if (self->loading || chosen >= self->partner_ids->len || (plan = stored_plan (self)) == NULL)
    return;
  if (g_strcmp0 (plan->partner_id, g_ptr_array_index (self->partner_ids, chosen)) == 0)
    return;
  g_free (plan->partner_id);
  plan->partner_id = g_strdup (g_ptr_array_index (self->partner_ids, chosen));
  /* Refused (no consent to share with the partner): the reload shows what is stored. */
  if (!save_plan (self, plan))
    koers_plan_page_reload (self);
}

static void
on_country_chosen (KoersPlanPage *self)
{
  g_autoptr(KoersReturnPlan) plan = stored_plan (self);
  const char *country = koers_country_row_get_country (self->country_row);

  if (plan == NULL || g_strcmp0 (plan->country, country) == 0)
    return;
  g_free (plan->country);
  plan->country = g_strdup (country);
  /* A partner works in its own country. */
  g_clear_pointer (&plan->partner_id, g_free);
  if (!save_plan (self, plan))
    koers_plan_page_reload (self);
}

static void
on_planned_apply (KoersPlanPage *self)
{
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autofree char *planned = NULL;

  if (self->loading || self->store == NULL || !koers_date_row_read (self->planned_row, &planned, NULL) ||
      (plan = stored_plan (self)) == NULL || g_strcmp0 (plan->planned_departure, planned) == 0)
    return;
  g_free (plan->planned_departure);
  plan->planned_departure = g_steal_pointer (&planned);
  save_plan (self, plan);
}

/* Loading ----------------------------------------------------------------- */

static void
set_title (KoersPlanPage *self,
           const char    *country)
{
  g_autofree char *title = country != NULL
                           /* Translators: the plan page's title; %s is the country of return. */
                           ? g_strdup_printf (_("Return Plan to %s"), koers_label_country (country))
                           : g_strdup (_("Return Plan"));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
show_plan (KoersPlanPage *self,
           KoersFilePlan *current)
{
  KoersReturnPlan *plan = current->plan;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = koers_store_list_plan_steps (self->store, plan->id, &error);

  self->plan_id = g_strdup (plan->id);
  koers_country_row_set_country (self->country_row, plan->country);
  show_partners (self, plan);
  if (!is_typing_in (GTK_WIDGET (self->planned_row)))
    koers_date_row_set_date (self->planned_row, plan->planned_departure);
  show_status (self, plan);

  for (guint i = 0; i < current->support_items->len; i++)
    add_support_row (self, g_ptr_array_index (current->support_items, i));
  if (steps == NULL)
    show_error (self, error->message);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    add_step_row (self, g_ptr_array_index (steps, i));
  for (guint i = 0; i < current->checkins->len; i++)
    add_checkin_row (self, g_ptr_array_index (current->checkins, i));
  gtk_widget_set_visible (GTK_WIDGET (self->checkins_list), current->checkins->len > 0);
  show_indicators (self);
}

void
koers_plan_page_reload (KoersPlanPage *self)
{
  g_autoptr(KoersClientFile) file = NULL;
  g_autoptr(GError) error = NULL;
  KoersFilePlan *current = NULL;
  gboolean has_plan;

  g_return_if_fail (KOERS_IS_PLAN_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->loading = TRUE;
  clear_rows (self->steps_list, GTK_WIDGET (self->step_row));
  clear_rows (self->support_list, GTK_WIDGET (self->support_kind_row));
  clear_rows (self->checkins_list, NULL);
  g_clear_pointer (&self->plan_id, g_free);

  file = koers_store_read_file (self->store, self->client_id, FALSE, &error);
  if (file != NULL)
    current = koers_client_file_get_plan (file);
  /* Unreadable: say so, and offer no new plan over one that may exist. */
  show_error (self, error != NULL ? error->message : NULL);
  has_plan = current != NULL;
  gtk_widget_set_visible (self->create_group, file != NULL && !has_plan);
  gtk_widget_set_visible (self->plan_group, has_plan);
  gtk_widget_set_visible (self->support_group, has_plan);
  gtk_widget_set_visible (self->steps_group, has_plan);
  gtk_widget_set_visible (self->checkins_group, has_plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.print", has_plan);
  if (has_plan)
    show_plan (self, current);
  else if (file != NULL && koers_country_row_get_country (self->create_country_row) == NULL)
    {
      /* Most return to the country they came from. */
      g_autofree char *suggested = koers_store_suggest_return_country (self->store, self->client_id);

      koers_country_row_set_country (self->create_country_row, suggested);
    }
  set_title (self, has_plan ? current->plan->country : NULL);
  self->loading = FALSE;
}

static gboolean
reload_in_idle (gpointer data)
{
  KoersPlanPage *self = data;

  self->reload_id = 0;
  koers_plan_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* After any save, here or elsewhere: once, when the saves are done. */
static void
queue_reload (KoersPlanPage *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_in_idle, self);
}

/* Actions ----------------------------------------------------------------- */

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (widget);
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(GError) error = NULL;
  const char *country = koers_country_row_get_country (self->create_country_row);

  if (country == NULL)
    {
      show_error (self, _("Choose the country of return first: type its name in the list."));
      gtk_widget_grab_focus (GTK_WIDGET (self->create_country_row));
      return;
    }
  plan->client_id = g_strdup (self->client_id);
  plan->country = g_strdup (country);
  plan->status = KOERS_PLAN_DRAFT;
  if (!koers_store_add_return_plan (self->store, plan, &error))
    {
      show_error (self, error->message);
      return;
    }
  koers_plan_page_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->partner_row));
}

/* Moving the status ----------------------------------------------------------- */

typedef struct
{
  GWeakRef         page;    /* the page may go (a lock) while it asks */
  KoersPlanStatus  status;
  GtkWidget       *field;   /* the reason's entry row or the date row */
} Move;

static void
move_free (Move *move)
{
  g_weak_ref_clear (&move->page);
  g_free (move);
}

static void
move_now (KoersPlanPage   *self,
          KoersPlanStatus  status,
          const char      *reason)
{
  g_autoptr(GError) error = NULL;

  if (!koers_store_set_plan_status (self->store, self->plan_id, status, reason, &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
}

/* Departed (or further) without a date of departure: record it first; it
 * plans the check-ins from that day. */
static void
depart (KoersPlanPage   *self,
        KoersPlanStatus  status,
        KoersDateRow    *date_row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *departed_on = NULL;

  if (!koers_date_row_read (date_row, &departed_on, &error) || departed_on == NULL ||
      !koers_store_record_departure (self->store, self->plan_id, departed_on, &error))
    {
      show_error (self, error != NULL ? error->message : _("Type the date the client left."));
      return;
    }
  show_error (self, NULL);
  if (status != KOERS_PLAN_DEPARTED)
    move_now (self, status, NULL);
}

static void
on_move_response (AdwMessageDialog *dialog,
                  const char       *response,
                  Move             *move)
{
  g_autoptr(KoersPlanPage) page = g_weak_ref_get (&move->page);
  g_autofree char *reason = NULL;

  if (page == NULL || g_strcmp0 (response, "move") != 0)
    return;
  if (KOERS_IS_DATE_ROW (move->field))
    {
      depart (page, move->status, KOERS_DATE_ROW (move->field));
      return;
    }
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (move->field))));
  move_now (page, move->status, reason);
}

/* The date of departure: one that reads, and not in the future. */
static void
on_departure_changed (AdwMessageDialog *dialog,
                      GtkEditable      *editable)
{
  KoersDateRow *row = KOERS_DATE_ROW (gtk_widget_get_ancestor (GTK_WIDGET (editable), KOERS_TYPE_DATE_ROW));
  g_autofree char *date = koers_date_parse (gtk_editable_get_text (editable), NULL);
  KoersStore *store = g_object_get_data (G_OBJECT (dialog), "koers-store");
  g_autofree char *today = koers_store_today (store);
  gboolean future = date != NULL && g_strcmp0 (date, today) > 0;

  if (future)
    koers_date_row_set_message (row, _("The client cannot have left on a day still to come."));
  adw_message_dialog_set_response_enabled (dialog, "move", date != NULL && !future);
}

static void
on_reason_changed (AdwMessageDialog *dialog,
                   GtkEditable      *reason)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "move", *text != '\0');
}

/* Asks for what a move needs: the reason to go back, or the date of
 * departure. */
static AdwMessageDialog *
ask_for_move (KoersPlanPage   *self,
              KoersPlanStatus  status,
              gboolean         back)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  Move *move = g_new0 (Move, 1);
  g_autofree char *heading = back ? g_strdup_printf (_("Back to %s?"), koers_label_plan_status (status))
                                  : g_strdup (_("The Client Has Left"));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog, back ? _("Say why the plan goes back a step; the file keeps the reason.")
                                            : _("The check-ins are planned from the date of departure."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "move", back ? _("_Go Back") : _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  if (back)
    {
      move->field = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (move->field), _("Reason"));
      g_signal_connect_swapped (move->field, "changed", G_CALLBACK (on_reason_changed), dialog);
      adw_message_dialog_set_response_enabled (dialog, "move", FALSE);
    }
  else
    {
      g_autofree char *today = koers_store_today (self->store);

      move->field = koers_date_row_new (_("Date of departure"));
      g_object_set_data_full (G_OBJECT (dialog), "koers-store", g_object_ref (self->store), g_object_unref);
      g_signal_connect_swapped (koers_date_row_get_editable (KOERS_DATE_ROW (move->field)), "changed",
                                G_CALLBACK (on_departure_changed), dialog);
      koers_date_row_set_date (KOERS_DATE_ROW (move->field), today);
    }
  gtk_list_box_append (GTK_LIST_BOX (list), move->field);
  adw_message_dialog_set_extra_child (dialog, list);
  g_weak_ref_init (&move->page, self);
  move->status = status;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_move_response), move,
                         (GClosureNotify) (void (*) (void)) move_free, 0);
  /* Locking drops the page: the question goes with it. */
  g_signal_connect_object (self, "destroy", G_CALLBACK (gtk_window_destroy), dialog, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (widget);
  KoersPlanStatus status = g_variant_get_int32 (parameter);
  g_autoptr(KoersReturnPlan) plan = stored_plan (self);

  if (plan == NULL || status == plan->status)
    return;
  if (status < plan->status)
    ask_for_move (self, status, TRUE);
  else if ((status == KOERS_PLAN_DEPARTED || status == KOERS_PLAN_MONITORING) && plan->departed_on == NULL)
    ask_for_move (self, status, FALSE);
  else
    move_now (self, status, NULL);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  koers_plan_page_print (KOERS_PLAN_PAGE (widget), NULL);
}

static void
on_step_activated (KoersPlanPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "plan.add-step", NULL);
}

static void
on_support_activated (KoersPlanPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "plan.add-support", NULL);
}

/* GObject ----------------------------------------------------------------- */

static void
koers_plan_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_plan_page_dispose (GObject *object)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_PLAN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (koers_plan_page_parent_class)->dispose (object);
}

static void
koers_plan_page_finalize (GObject *object)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (object);

  g_free (self->client_id);
  g_free (self->plan_id);
  g_free (self->title);
  g_ptr_array_unref (self->partner_ids);

  G_OBJECT_CLASS (koers_plan_page_parent_class)->finalize (object);
}

static void
koers_plan_page_class_init (KoersPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_plan_page_dispose;
  object_class->finalize = koers_plan_page_finalize;
  object_class->get_property = koers_plan_page_get_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KOERS_TYPE_COUNTRY_ROW);
  g_type_ensure (KOERS_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, create_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, create_country_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, plan_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, partner_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, no_partner_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, planned_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, status_button);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, departed_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, support_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, support_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, support_kind_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, support_details_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, steps_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, step_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, step_date_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, owner_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, checkins_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, latest_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, twelve_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, checkins_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, error_label);

  gtk_widget_class_install_action (widget_class, "plan.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "plan.add-step", NULL, add_step_action);
  gtk_widget_class_install_action (widget_class, "plan.add-support", NULL, add_support_action);
  gtk_widget_class_install_action (widget_class, "plan.move", "i", move_action);
  gtk_widget_class_install_action (widget_class, "plan.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "plan.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GListModel *
string_model (const char *(*label) (int),
              int           n)
{
  GtkStringList *model = gtk_string_list_new (NULL);

  for (int i = 0; i < n; i++)
    gtk_string_list_append (model, label (i));
  return G_LIST_MODEL (model);
}

static void
koers_plan_page_init (KoersPlanPage *self)
{
  g_autoptr(GListModel) owners = NULL;
  g_autoptr(GListModel) kinds = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->partner_ids = g_ptr_array_new_with_free_func (g_free);

  owners = string_model ((const char *(*) (int)) koers_label_owner, KOERS_OWNER_PARTNER + 1);
  adw_combo_row_set_model (self->owner_row, owners);
  kinds = string_model ((const char *(*) (int)) koers_label_support_kind, KOERS_SUPPORT_FAMILY_TRACING + 1);
  adw_combo_row_set_model (self->support_kind_row, kinds);
  koers_a11y_name_lists (GTK_WIDGET (self));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name (GTK_WIDGET (self->status_button), _("Change the status of the plan"));
  koers_a11y_name (self->scroller, _("Return Plan"));
  /* The focus goes to what is in it, never to the pane (GTK 4.8 lets a
   * scrolled window take it, and Orca reads it by its name only). */
  gtk_widget_set_focusable (self->scroller, FALSE);
  koers_a11y_describe_choice (GTK_WIDGET (self->partner_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->support_kind_row));
  koers_a11y_describe_choice (GTK_WIDGET (self->owner_row));

  g_signal_connect_swapped (self->step_row, "entry-activated", G_CALLBACK (on_step_activated), self);
  g_signal_connect_swapped (self->step_date_row, "entry-activated", G_CALLBACK (on_step_activated), self);
  g_signal_connect_swapped (self->support_details_row, "entry-activated", G_CALLBACK (on_support_activated), self);
  g_signal_connect_swapped (self->create_country_row, "chosen", G_CALLBACK (gtk_widget_grab_focus),
                            self->create_country_row);
  g_signal_connect_swapped (self->country_row, "chosen", G_CALLBACK (on_country_chosen), self);
  g_signal_connect_swapped (self->partner_row, "notify::selected", G_CALLBACK (on_partner_chosen), self);
  g_signal_connect_swapped (self->planned_row, "entry-activated", G_CALLBACK (on_planned_apply), self);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    /* The planned date is saved when the keyboard leaves it, or on Enter. */
    g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_planned_apply), self);
    gtk_widget_add_controller (GTK_WIDGET (koers_date_row_get_editable (self->planned_row)), focus);
  }
}

GtkWidget *
koers_plan_page_new (KoersStore *store,
                     const char *client_id)
{
  KoersPlanPage *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (KOERS_TYPE_PLAN_PAGE, NULL);
  self->store = g_object_ref (store);
  self->client_id = g_strdup (client_id);
  koers_plan_page_reload (self);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (queue_reload), self);
  return GTK_WIDGET (self);
}

const char *
koers_plan_page_get_plan_id (KoersPlanPage *self)
{
  g_return_val_if_fail (KOERS_IS_PLAN_PAGE (self), NULL);
  return self->plan_id;
}

const char *
koers_plan_page_get_title (KoersPlanPage *self)
{
  g_return_val_if_fail (KOERS_IS_PLAN_PAGE (self), NULL);
  return self->title;
}

void
koers_plan_page_print (KoersPlanPage *self,
                       const char    *export_filename)
{
  g_return_if_fail (KOERS_IS_PLAN_PAGE (self));

  if (self->plan_id != NULL)
    koers_print_from_widget (GTK_WIDGET (self), KOERS_ENTITY_RETURN_PLAN, self->store, self->client_id,
                             export_filename);
}

void
koers_plan_page_focus (KoersPlanPage *self)
{
  g_return_if_fail (KOERS_IS_PLAN_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->plan_id != NULL ? self->country_row : self->create_country_row));
}
