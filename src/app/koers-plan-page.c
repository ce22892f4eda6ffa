/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-plan-page"

#include <glib/gi18n.h>

#include "koers-labels.h"
#include "store/koers-country.h"
#include "store/koers-date.h"
#include "koers-plan-page.h"
#include "koers-print.h"
#include "koers-toasts.h"
#include "store/koers-client-file.h"

struct _KoersPlanPage
{
  GtkWidget            parent_instance;

  GtkWidget           *scroller;
  GtkWidget           *create_group;
  AdwEntryRow         *country_row;
  GtkWidget           *plan_group;
  AdwActionRow        *country_info_row;
  AdwEntryRow         *departure_row;
  AdwActionRow        *status_row;
  GtkWidget           *steps_group;
  GtkListBox          *steps_list;
  AdwEntryRow         *step_row;
  GtkDropDown         *owner_dropdown;
  GtkEntry            *step_due_entry;
  GtkWidget           *checkins_group;
  GtkWidget           *schedule_button;
  GtkListBox          *checkins_list;
  GtkLabel            *error_label;

  KoersStore          *store;
  char                *client_id;
  char                *plan_id;
};

G_DEFINE_FINAL_TYPE (KoersPlanPage, koers_plan_page, GTK_TYPE_WIDGET)

static void
show_error (KoersPlanPage *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
clear_rows (GtkListBox *list,
            GtkWidget  *keep)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != keep)
        gtk_list_box_remove (list, child);
      child = next;
    }
}

/* Steps ------------------------------------------------------------------- */

static void
on_step_done (GtkCheckButton *check,
              GParamSpec     *pspec,
              KoersPlanPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "step-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReturnStep) step = koers_store_get_return_step (self->store, id, &error);

  if (step == NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (step->done == gtk_check_button_get_active (check))
    return;
  step->done = gtk_check_button_get_active (check);
  if (!koers_store_update_return_step (self->store, step, &error))
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
  if (!koers_store_add_return_step (removed->store, again, &error))
    {
      if (self != NULL)
        show_error (self, error->message);
      return;
    }
  if (self != NULL)
    koers_plan_page_reload (self);
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

  if (step == NULL || !koers_store_delete_return_step (self->store, id, &error))
    {
      show_error (self, g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND)
                        ? _("This step is no longer in the plan.") : error->message);
      return;
    }
  show_error (self, NULL);
  /* Keep the keyboard in the list: the next row, or the new-step row. */
  gtk_widget_grab_focus (gtk_widget_get_next_sibling (row));
  gtk_list_box_remove (self->steps_list, row);

  removed = g_new0 (RemovedStep, 1);
  removed->store = g_object_ref (self->store);
  removed->step = g_steal_pointer (&step);
  g_weak_ref_init (&removed->page, self);
  koers_toast_show_undo (GTK_WIDGET (self), _("Step removed"), G_CALLBACK (on_undo_remove_step), removed,
                         (GDestroyNotify) removed_step_free);
}

static GtkWidget *
remove_step_button (KoersPlanPage         *self,
                    const KoersReturnStep *step)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove Step"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Step"), -1);
  g_object_set_data_full (G_OBJECT (button), "step-id", g_strdup (step->id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_step), self);
  return button;
}

static void
add_step_row (KoersPlanPage         *self,
              const KoersReturnStep *step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Done"), -1);
  gtk_widget_set_tooltip_text (check, _("Done"));
  g_object_set_data_full (G_OBJECT (check), "step-id", g_strdup (step->id), g_free);
  g_signal_connect (check, "notify::active", G_CALLBACK (on_step_done), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_step_button (self, step));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_list_box_insert (self->steps_list, row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->step_row)));
}

/* Check-ins --------------------------------------------------------------- */

static void
on_answer (GtkSwitch     *toggle,
           GParamSpec    *pspec,
           KoersPlanPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (toggle), "checkin-id");
  gboolean social = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toggle), "social"));
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersCheckin) checkin = koers_store_get_checkin (self->store, id, &error);
  KoersAnswer answer = gtk_switch_get_active (toggle) ? KOERS_ANSWER_YES : KOERS_ANSWER_NO;

  if (checkin == NULL)
    {
      show_error (self, error->message);
      return;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (toggle), ADW_TYPE_ACTION_ROW)), "");
  if (social)
    checkin->social_contacts = answer;
  else
    checkin->economic_activity = answer;
  if (!koers_store_update_checkin (self->store, checkin, &error))
    show_error (self, error->message);
}

static GtkWidget *
answer_row (KoersPlanPage *self,
            const char    *title,
            const char    *checkin_id,
            KoersAnswer    answer,
            gboolean       social)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (answer == KOERS_ANSWER_UNKNOWN)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not recorded yet"));
  gtk_switch_set_active (GTK_SWITCH (toggle), answer == KOERS_ANSWER_YES);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (toggle), "checkin-id", g_strdup (checkin_id), g_free);
  g_object_set_data (G_OBJECT (toggle), "social", GINT_TO_POINTER (social));
  g_signal_connect (toggle, "notify::active", G_CALLBACK (on_answer), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static void
add_checkin_row (KoersPlanPage      *self,
                 const KoersCheckin *checkin)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *due = koers_label_date (checkin->due_on);
  g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month after departure",
                                                         "%d months after departure", checkin->month),
                                            checkin->month);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), due);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            answer_row (self, _("Social contacts"), checkin->id, checkin->social_contacts, TRUE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            answer_row (self, _("Economic activity"), checkin->id, checkin->economic_activity, FALSE));
  gtk_list_box_append (self->checkins_list, row);
}

/* Loading ----------------------------------------------------------------- */

void
koers_plan_page_reload (KoersPlanPage *self)
{
  g_autoptr(KoersClientFile) file = NULL;
  g_autoptr(GError) error = NULL;
  KoersFilePlan *current = NULL;
  KoersReturnPlan *plan;
  GPtrArray *checkins;
  gboolean has_plan;

  g_return_if_fail (KOERS_IS_PLAN_PAGE (self));

  clear_rows (self->steps_list, GTK_WIDGET (self->step_row));
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
  gtk_widget_set_visible (self->steps_group, has_plan);
  gtk_widget_set_visible (self->checkins_group, has_plan);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plan.print", has_plan);
  if (!has_plan)
    return;

  /* The newest plan is the current one. */
  plan = current->plan;
  self->plan_id = g_strdup (plan->id);
  adw_action_row_set_subtitle (self->country_info_row, koers_label_country (plan->country));
  gtk_editable_set_text (GTK_EDITABLE (self->departure_row),
                         plan->planned_departure != NULL ? plan->planned_departure : "");
  adw_action_row_set_subtitle (self->status_row, koers_label_plan_status (plan->status));

  for (guint i = 0; i < current->steps->len; i++)
    add_step_row (self, g_ptr_array_index (current->steps, i));

  checkins = current->checkins;
  for (guint i = 0; i < checkins->len; i++)
    add_checkin_row (self, g_ptr_array_index (checkins, i));
  gtk_widget_set_visible (self->schedule_button, checkins->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->checkins_list), checkins->len > 0);
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
  g_auto(GStrv) found = koers_country_find (gtk_editable_get_text (GTK_EDITABLE (self->country_row)),
                                            koers_ui_language (), 1);

  if (found == NULL || found[0] == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->country_row), "error");
      show_error (self, _("Koers does not know this country. Type its name, for example Georgia or Eritrea."));
      return;
    }
  plan->client_id = g_strdup (self->client_id);
  plan->country = g_strdup (found[0]);
  plan->status = KOERS_PLAN_DRAFT;
  if (!koers_store_add_return_plan (self->store, plan, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->country_row), "error");
      show_error (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->country_row), "error");
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->country_row), "");
  koers_plan_page_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
}

static void
on_departure_apply (KoersPlanPage *self)
{
  g_autoptr(KoersReturnPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->departure_row));
  g_autofree char *planned = NULL;

  if (self->plan_id == NULL)
    return;
  if (*text != '\0' && (planned = koers_date_parse (text, &error)) == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->departure_row), "error");
      show_error (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->departure_row), "error");
  plan = koers_store_get_return_plan (self->store, self->plan_id, &error);
  if (plan == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_free (plan->planned_departure);
  plan->planned_departure = g_steal_pointer (&planned);
  if (!koers_store_update_return_plan (self->store, plan, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
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
  const char *due = gtk_editable_get_text (GTK_EDITABLE (self->step_due_entry));
  g_autofree char *due_on = NULL;

  if (self->plan_id == NULL)
    return;
  if (*description == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
      return;
    }
  if (*due != '\0' && (due_on = koers_date_parse (due, &error)) == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->step_due_entry), "error");
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->step_due_entry));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->step_due_entry), "error");
  step->plan_id = g_strdup (self->plan_id);
  step->description = g_steal_pointer (&description);
  step->owner = gtk_drop_down_get_selected (self->owner_dropdown);
  step->due_on = g_steal_pointer (&due_on);
  if (!koers_store_add_return_step (self->store, step, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  add_step_row (self, step);
  gtk_editable_set_text (GTK_EDITABLE (self->step_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->step_due_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->plan_id == NULL)
    return;
  on_departure_apply (self);
  if (!koers_store_schedule_checkins (self->store, self->plan_id, NULL, 0, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  koers_plan_page_reload (self);
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
on_country_activated (KoersPlanPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "plan.create", NULL);
}

/* GObject ----------------------------------------------------------------- */

static void
koers_plan_page_dispose (GObject *object)
{
  KoersPlanPage *self = KOERS_PLAN_PAGE (object);
  GtkWidget *child;

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

  G_OBJECT_CLASS (koers_plan_page_parent_class)->finalize (object);
}

static void
koers_plan_page_class_init (KoersPlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_plan_page_dispose;
  object_class->finalize = koers_plan_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, create_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, plan_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, country_info_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, departure_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, steps_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, step_row);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, step_due_entry);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, checkins_group);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, checkins_list);
  gtk_widget_class_bind_template_child (widget_class, KoersPlanPage, error_label);

  gtk_widget_class_install_action (widget_class, "plan.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "plan.add-step", NULL, add_step_action);
  gtk_widget_class_install_action (widget_class, "plan.schedule", NULL, schedule_action);
  gtk_widget_class_install_action (widget_class, "plan.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "plan.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_plan_page_init (KoersPlanPage *self)
{
  const char *owners[] = { NULL, NULL, NULL, NULL };
  g_autoptr(GtkStringList) model = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  owners[KOERS_OWNER_CLIENT] = koers_label_owner (KOERS_OWNER_CLIENT);
  owners[KOERS_OWNER_STEUNPUNT] = koers_label_owner (KOERS_OWNER_STEUNPUNT);
  owners[KOERS_OWNER_PARTNER] = koers_label_owner (KOERS_OWNER_PARTNER);
  model = gtk_string_list_new (owners);
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (model));

  g_signal_connect_swapped (self->step_row, "entry-activated", G_CALLBACK (on_step_activated), self);
  g_signal_connect_swapped (self->step_due_entry, "activate", G_CALLBACK (on_step_activated), self);
  g_signal_connect_swapped (self->country_row, "entry-activated", G_CALLBACK (on_country_activated), self);
  g_signal_connect_swapped (self->departure_row, "apply", G_CALLBACK (on_departure_apply), self);
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
  return GTK_WIDGET (self);
}

const char *
koers_plan_page_get_plan_id (KoersPlanPage *self)
{
  g_return_val_if_fail (KOERS_IS_PLAN_PAGE (self), NULL);
  return self->plan_id;
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
