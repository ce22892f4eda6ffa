/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-clients-page"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-client-item.h"
#include "koers-clients-page.h"
#include "koers-labels.h"
#include "koers-toasts.h"

struct _KoersClientsPage
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkSearchEntry  *search_entry;
  GtkWidget       *new_button;
  GtkWidget       *filter_box;
  GtkDropDown     *phase_dropdown;
  GtkDropDown     *outcome_dropdown;
  GtkDropDown     *steunpunt_dropdown;
  GtkDropDown     *due_dropdown;
  GtkLabel        *count_label;
  GtkStack        *content_stack;
  GtkWidget       *scroller;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;

  KoersStore      *store;
  KoersClientList *list;
  GPtrArray       *steunpunt_ids;  /* of the dropdown's rows after "all" */
  gboolean         loading;
  guint            delivery_timeout;  /* commits are read once after a pause */
  char            *count_said;  /* the result count a screen reader heard last */
};

G_DEFINE_FINAL_TYPE (KoersClientsPage, koers_clients_page, GTK_TYPE_WIDGET)

/* A search's or filter's result, said to a screen reader once it is all
 * read (the rows come a page at a time) and only when it changed. */
static void
say_count (KoersClientsPage *self,
           const char       *count)
{
  if (self->list == NULL || koers_client_list_is_loading (self->list) || g_strcmp0 (count, self->count_said) == 0)
    return;
  g_free (self->count_said);
  self->count_said = g_strdup (count);
  koers_a11y_announce (GTK_WIDGET (self), count);
}

static void
update_state (KoersClientsPage *self)
{
  guint n = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  gboolean searching = self->list != NULL && koers_client_list_get_search (self->list) != NULL;
  gboolean filtered = gtk_drop_down_get_selected (self->phase_dropdown) > 0
                      || gtk_drop_down_get_selected (self->outcome_dropdown) > 0
                      || gtk_drop_down_get_selected (self->steunpunt_dropdown) > 0
                      || gtk_drop_down_get_selected (self->due_dropdown) > 0;
  g_autofree char *count = NULL;

  /* The first read is under way: a blank list, not "No Clients Yet". */
  if (n == 0 && self->list != NULL && koers_client_list_is_loading (self->list))
    {
      gtk_stack_set_visible_child_name (self->content_stack, "list");
      return;
    }
  if (n == 0)
    {
      if (self->list != NULL && koers_client_list_get_error (self->list) != NULL)
        koers_show_read_error (self->empty_page, NULL, _("Could Not Read the Client List"),
                               koers_client_list_get_error (self->list));
      else if (searching || filtered)
        {
          adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Clients Found"));
          adw_status_page_set_description (self->empty_page,
                                           _("Try another spelling, fewer letters, or other filters. "
                                             "Names are found in any script, with or without accents."));
          say_count (self, _("No Clients Found"));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Clients Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Add the first client with “New Client” (Ctrl+N)."));
        }
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      gtk_label_set_label (self->count_label, "");
      return;
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client", "%u clients", n), n);
  gtk_label_set_label (self->count_label, count);
  if (searching || filtered)
    say_count (self, count);
  gtk_stack_set_visible_child_name (self->content_stack, "list");
}

static void
apply_filter (KoersClientsPage *self)
{
  KoersClientFilter filter = KOERS_CLIENT_FILTER_ANY;
  guint phase = gtk_drop_down_get_selected (self->phase_dropdown);
  guint outcome = gtk_drop_down_get_selected (self->outcome_dropdown);
  guint steunpunt = gtk_drop_down_get_selected (self->steunpunt_dropdown);
  guint due = gtk_drop_down_get_selected (self->due_dropdown);

  if (self->list == NULL || self->loading)
    return;
  if (phase != GTK_INVALID_LIST_POSITION && phase > 0)
    filter.phase = (int) phase - 1;
  if (outcome != GTK_INVALID_LIST_POSITION && outcome > 0)
    filter.outcome = (int) outcome - 1;
  if (steunpunt != GTK_INVALID_LIST_POSITION && steunpunt > 0 && steunpunt - 1 < self->steunpunt_ids->len)
    filter.steunpunt_id = g_ptr_array_index (self->steunpunt_ids, steunpunt - 1);
  /* The dropdown's rows are the KoersDueFilter values in order. */
  if (due != GTK_INVALID_LIST_POSITION && due <= KOERS_DUE_THIS_WEEK)
    filter.due = (KoersDueFilter) due;
  koers_client_list_set_filter (self->list, &filter);
}

static void
on_search_changed (KoersClientsPage *self)
{
  if (self->list == NULL)
    return;
  koers_client_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_activate (KoersClientsPage *self,
             guint             position)
{
  g_autoptr(KoersClientItem) item = NULL;

  if (self->list == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  /* The main view owns every push (view.open-client). */
  if (item != NULL && *koers_client_item_get_id (item) != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "view.open-client", "s", koers_client_item_get_id (item));
}

/* Enter in the search field opens the first hit. */
static void
on_search_activate (KoersClientsPage *self)
{
  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    on_activate (self, 0);
}

/* Down from the search field moves into the list. */
static void
on_search_next_match (KoersClientsPage *self)
{
  gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

static void
on_search_stop (KoersClientsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Rows ------------------------------------------------------------------
 * A row is the name, a line that tells two people of that name apart
 * (phase, country of origin by name, year of birth) and a small icon for
 * whether the client's changes have reached the office. No avatar: its
 * initials told nobody apart and cost a third of binding a row. */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *delivery = gtk_image_new ();
  GtkWidget *mark = gtk_image_new_from_icon_name ("document-edit-symbolic");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (delivery, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delivery, "dim-label");
  gtk_widget_set_visible (delivery, FALSE);
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (mark, "accent");
  gtk_widget_set_visible (mark, FALSE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), delivery);
  gtk_box_append (GTK_BOX (box), mark);
  gtk_list_item_set_child (list_item, box);
}

static const char *
delivery_icon (int delivery)
{
  switch (delivery)
    {
    case KOERS_DELIVERY_NOT_SENT:
      return "emblem-synchronizing-symbolic";
    case KOERS_DELIVERY_UPLOADED:
      return "mail-send-symbolic";
    case KOERS_DELIVERY_ACKNOWLEDGED:
      return "emblem-ok-symbolic";
    default:
      return NULL;
    }
}

/* What the icon means, for its tooltip and a screen reader. */
static const char *
delivery_text (int delivery)
{
  switch (delivery)
    {
    case KOERS_DELIVERY_NOT_SENT:
      return _("Waiting to be sent to the office");
    case KOERS_DELIVERY_UPLOADED:
      return _("Sent; the office has not confirmed it yet");
    case KOERS_DELIVERY_ACKNOWLEDGED:
      return _("Arrived at the office");
    default:
      return NULL;
    }
}

/* Not enrolled, or not read yet: no icon (everything stays on this
 * laptop, as the sync button says). */
static void
show_delivery (KoersClientItem *item,
               GParamSpec      *pspec,
               GtkWidget       *image)
{
  int delivery = item != NULL ? koers_client_item_get_delivery (item) : KOERS_CLIENT_ITEM_DELIVERY_NONE;
  const char *text = delivery_text (delivery);

  gtk_widget_set_visible (image, text != NULL);
  gtk_image_set_from_icon_name (GTK_IMAGE (image), delivery_icon (delivery));
  gtk_widget_set_tooltip_text (image, text);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static GtkWidget *
row_delivery (GtkListItem *list_item)
{
  return gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_list_item_get_child (list_item)));
}

/* Changes from a colleague's laptop not seen yet: an icon with a tooltip,
 * and the row's description for a screen reader (not colour alone). */
static void
show_changed_elsewhere (KoersClientItem *item,
                        GParamSpec      *pspec,
                        GtkWidget       *mark)
{
  gboolean changed = item != NULL && koers_client_item_get_changed_elsewhere (item);
  const char *text = _("Changed on another laptop since you last opened it");
  GtkWidget *row = gtk_widget_get_parent (mark);

  gtk_widget_set_visible (mark, changed);
  gtk_widget_set_tooltip_text (mark, changed ? text : NULL);
  if (changed)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static GtkWidget *
row_mark (GtkListItem *list_item)
{
  return gtk_widget_get_last_child (gtk_list_item_get_child (list_item));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  KoersClientItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *text = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *delivery = row_delivery (list_item);
  g_autofree char *detail = koers_client_item_dup_detail (item);

  gtk_label_set_label (GTK_LABEL (name), koers_client_item_get_name (item));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_next_sibling (name)), detail);
  koers_a11y_name_list_item (gtk_list_item_get_child (list_item), koers_client_item_get_name (item), detail);
  show_delivery (item, NULL, delivery);
  g_signal_connect_object (item, "notify::delivery", G_CALLBACK (show_delivery), delivery, 0);
  show_changed_elsewhere (item, NULL, row_mark (list_item));
  g_signal_connect_object (item, "notify::changed-elsewhere", G_CALLBACK (show_changed_elsewhere),
                           row_mark (list_item), 0);
}

/* A recycled row keeps no name. */
static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item)
{
  KoersClientItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *text = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *delivery = row_delivery (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, show_delivery, delivery);
  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, show_changed_elsewhere, row_mark (list_item));
  gtk_label_set_label (GTK_LABEL (name), "");
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_next_sibling (name)), "");
  koers_a11y_name_list_item (gtk_list_item_get_child (list_item), NULL, NULL);
  show_delivery (NULL, NULL, delivery);
  show_changed_elsewhere (NULL, NULL, row_mark (list_item));
}

/* Filters --------------------------------------------------------------- */

static void
fill_steunpunten (KoersClientsPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) steunpunten = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_set_size (self->steunpunt_ids, 0);
  gtk_string_list_append (names, _("All steunpunten"));
  if (self->store != NULL)
    steunpunten = koers_store_list (self->store, KOERS_ENTITY_STEUNPUNT, NULL, &error);
  for (guint i = 0; steunpunten != NULL && i < steunpunten->len; i++)
    {
      KoersSteunpunt *steunpunt = g_ptr_array_index (steunpunten, i);

      gtk_string_list_append (names, steunpunt->name);
      g_ptr_array_add (self->steunpunt_ids, g_strdup (steunpunt->id));
    }
  gtk_drop_down_set_model (self->steunpunt_dropdown, G_LIST_MODEL (names));
  /* One steunpunt: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->steunpunt_dropdown), self->steunpunt_ids->len > 1);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->steunpunt_dropdown)),
                          self->steunpunt_ids->len > 1);
}

static void
fill_filters (KoersClientsPage *self)
{
  g_autoptr(GtkStringList) phases = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);
  const char *const due_dates[] = { _("Any due date"), _("Overdue"), _("Due this week"), NULL };
  g_autoptr(GtkStringList) dues = gtk_string_list_new (due_dates);

  gtk_string_list_append (phases, _("Any phase"));
  for (int i = KOERS_PHASE_INTAKE; i <= KOERS_PHASE_CLOSED; i++)
    gtk_string_list_append (phases, koers_phase_label (i));
  gtk_string_list_append (outcomes, _("Any outcome"));
  for (int i = KOERS_OUTCOME_UNKNOWN; i <= KOERS_OUTCOME_OTHER; i++)
    gtk_string_list_append (outcomes, koers_outcome_label (i));
  gtk_drop_down_set_model (self->phase_dropdown, G_LIST_MODEL (phases));
  gtk_drop_down_set_model (self->outcome_dropdown, G_LIST_MODEL (outcomes));
  gtk_drop_down_set_model (self->due_dropdown, G_LIST_MODEL (dues));
}

/* The list ------------------------------------------------------------- */

/* Its rows change when a read comes back, not when it is asked for. */
static void
take_list (KoersClientsPage *self,
           KoersClientList  *list)
{
  self->list = list;
  g_signal_connect_swapped (list, "items-changed", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (list, "notify::loading", G_CALLBACK (update_state), self);
}

static gboolean
on_delivery_timeout (gpointer user_data)
{
  KoersClientsPage *self = user_data;

  self->delivery_timeout = 0;
  if (self->list != NULL)
    koers_client_list_refresh_delivery (self->list);
  return G_SOURCE_REMOVE;
}

/* After commits (a save here, a sync round's acknowledgement) the rows'
 * delivery icons follow: one read a page of rows, however many commits
 * came in the pause. */
static void
queue_delivery_refresh (KoersClientsPage *self)
{
  if (self->delivery_timeout == 0)
    self->delivery_timeout = g_timeout_add (300, on_delivery_timeout, self);
}

static void
drop_list (KoersClientsPage *self)
{
  if (self->list == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->list, self);
  koers_client_list_close (self->list);
  g_clear_object (&self->list);
}

static void
koers_clients_page_dispose (GObject *object)
{
  KoersClientsPage *self = KOERS_CLIENTS_PAGE (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  drop_list (self);
  g_clear_handle_id (&self->delivery_timeout, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_CLIENTS_PAGE);

  G_OBJECT_CLASS (koers_clients_page_parent_class)->dispose (object);
}

static void
koers_clients_page_finalize (GObject *object)
{
  KoersClientsPage *self = KOERS_CLIENTS_PAGE (object);

  g_clear_pointer (&self->steunpunt_ids, g_ptr_array_unref);
  g_free (self->count_said);

  G_OBJECT_CLASS (koers_clients_page_parent_class)->finalize (object);
}

static void
koers_clients_page_class_init (KoersClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_clients_page_dispose;
  object_class->finalize = koers_clients_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-clients-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, box);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, phase_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, steunpunt_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, due_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KoersClientsPage, empty_page);
}

static void
koers_clients_page_init (KoersClientsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->steunpunt_ids = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->loading = TRUE;
  fill_filters (self);
  fill_steunpunten (self);
  self->loading = FALSE;

  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activate), self);
  g_signal_connect_swapped (self->search_entry, "next-match", G_CALLBACK (on_search_next_match), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (on_search_stop), self);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect_swapped (self->phase_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->outcome_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->steunpunt_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->due_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  koers_a11y_name_buttons (GTK_WIDGET (self));
  koers_a11y_name (self->scroller, _("Clients"));
  koers_a11y_name_status_pages (GTK_WIDGET (self));
  g_signal_connect_swapped (self->content_stack, "notify::visible-child", G_CALLBACK (koers_a11y_hide_other_pages),
                            self->content_stack);
  koers_a11y_describe_choice (GTK_WIDGET (self->phase_dropdown));
  koers_a11y_describe_choice (GTK_WIDGET (self->outcome_dropdown));
  koers_a11y_describe_choice (GTK_WIDGET (self->steunpunt_dropdown));
  koers_a11y_describe_choice (GTK_WIDGET (self->due_dropdown));
  /* Back on the Clients tab: a sync round may have delivered meanwhile. */
  g_signal_connect_swapped (self, "map", G_CALLBACK (queue_delivery_refresh), self);
  update_state (self);
  koers_a11y_hide_other_pages (self->content_stack);
}

void
koers_clients_page_set_store (KoersClientsPage *self,
                              KoersStore       *store,
                              KoersStoreReader *reader)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (KOERS_IS_CLIENTS_PAGE (self));
  g_return_if_fail (store == NULL || KOERS_IS_STORE (store));
  g_return_if_fail (store == NULL || KOERS_IS_STORE_READER (reader));

  gtk_list_view_set_model (self->list_view, NULL);
  drop_list (self);
  g_clear_handle_id (&self->delivery_timeout, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed", G_CALLBACK (queue_delivery_refresh), self);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->phase_dropdown, 0);
  gtk_drop_down_set_selected (self->outcome_dropdown, 0);
  fill_steunpunten (self);
  gtk_drop_down_set_selected (self->steunpunt_dropdown, 0);
  gtk_drop_down_set_selected (self->due_dropdown, 0);
  self->loading = FALSE;

  if (store != NULL)
    {
      take_list (self, koers_client_list_new (store, reader));
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
    }
  update_state (self);
}

KoersClientList *
koers_clients_page_get_list (KoersClientsPage *self)
{
  g_return_val_if_fail (KOERS_IS_CLIENTS_PAGE (self), NULL);
  return self->list;
}

void
koers_clients_page_focus_search (KoersClientsPage *self)
{
  g_return_if_fail (KOERS_IS_CLIENTS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
koers_clients_page_refresh (KoersClientsPage *self)
{
  g_return_if_fail (KOERS_IS_CLIENTS_PAGE (self));

  if (self->list == NULL)
    return;
  koers_client_list_refresh (self->list);
}
