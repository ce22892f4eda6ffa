/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-a11y"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "koers-a11y.h"

void
koers_a11y_hide_other_pages (GtkStack *stack)
{
  g_return_if_fail (GTK_IS_STACK (stack));

  koers_a11y_hide_others (GTK_WIDGET (stack), gtk_stack_get_visible_child (stack));
  /* GTK 4.8 puts each page in a GtkStackPage of the panel role, which it
   * names by its class: Orca said "GtkStackPage panel" whenever the focus
   * went into one. An empty name (no title is shown) keeps it quiet. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStackPage *page = gtk_stack_get_page (stack, child);
      const char *title = page != NULL ? gtk_stack_page_get_title (page) : NULL;

      if (page != NULL && GTK_IS_ACCESSIBLE (page))
        gtk_accessible_update_property (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        title != NULL ? title : "", -1);
    }
}

void
koers_a11y_hide_others (GtkWidget *parent,
                        GtkWidget *shown)
{
  g_return_if_fail (GTK_IS_WIDGET (parent));

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, child != shown, -1);
}

void
koers_a11y_name_page (GtkWidget *page,
                      GType      type)
{
  GObject *title, *scroller;

  g_return_if_fail (GTK_IS_WIDGET (page));

  title = gtk_widget_get_template_child (page, type, "title_label");
  scroller = gtk_widget_get_template_child (page, type, "scroller");
  g_return_if_fail (GTK_IS_LABEL (title));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
  if (GTK_IS_SCROLLED_WINDOW (scroller))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
}

/* "_Save and Open" -> "Save and Open" ("__" stays one "_"). */
static char *
without_mnemonic (const char *label)
{
  GString *plain = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          p++;
          if (*p == '\0')
            break;
        }
      g_string_append_c (plain, *p);
    }
  return g_string_free (plain, FALSE);
}

/* Calls @visit on @root and on every widget below it. */
static void
visit_all (GtkWidget *root,
           void     (*visit) (GtkWidget *widget))
{
  visit (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    visit_all (child, visit);
}

/* The icon of an icon button is decoration: GTK 4.8 names it
 * "GtkImage", and Orca said that before the button's name. */
static void
hide_icon (GtkWidget *button)
{
  GtkWidget *image;

  if (!GTK_IS_BUTTON (button) || gtk_button_get_icon_name (GTK_BUTTON (button)) == NULL)
    return;
  image = gtk_button_get_child (GTK_BUTTON (button));
  if (GTK_IS_IMAGE (image))
    gtk_accessible_update_state (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

void
koers_a11y_hide_icons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  visit_all (root, hide_icon);
}

static void
name_button (GtkWidget *button)
{
  if (GTK_IS_CHECK_BUTTON (button))
    {
      const char *label = gtk_check_button_get_label (GTK_CHECK_BUTTON (button));
      g_autofree char *plain = label != NULL ? without_mnemonic (label) : NULL;

      if (plain != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
      return;
    }
  if (gtk_button_get_label (GTK_BUTTON (button)) != NULL)
    {
      /* GTK 4.8 names a text button by its label property (underline and
       * all) followed by the text of its label: the text alone is enough. */
      gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  hide_icon (button);
  if (gtk_button_get_icon_name (GTK_BUTTON (button)) != NULL
      && g_object_get_data (G_OBJECT (button), "koers-a11y-named") == NULL
      && gtk_widget_get_tooltip_text (button) != NULL)
    {
      /* An icon button of libadwaita's (the password row's "Show Text"):
       * GTK 4.8 reads its image's class name. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_widget_get_tooltip_text (button), -1);
      g_object_set_data (G_OBJECT (button), "koers-a11y-named", GINT_TO_POINTER (TRUE));
    }
}

static void
on_label_changed (GtkWidget *button)
{
  name_button (button);
}

void
koers_a11y_name_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if ((GTK_IS_BUTTON (root) || GTK_IS_CHECK_BUTTON (root))
      && g_object_get_data (G_OBJECT (root), "koers-a11y-follows") == NULL)
    {
      name_button (root);
      g_signal_connect (root, "notify::label", G_CALLBACK (on_label_changed), NULL);
      g_object_set_data (G_OBJECT (root), "koers-a11y-follows", GINT_TO_POINTER (TRUE));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    koers_a11y_name_buttons (child);
}

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  if (label != NULL && *label != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* The first descendant of @root of @type (@root included), or NULL. */
static GtkWidget *
first_of_type (GtkWidget *root,
               GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
name_status_scroller (AdwStatusPage *page)
{
  GtkWidget *scroller = first_of_type (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW);
  const char *title = adw_status_page_get_title (page);

  if (scroller == NULL)
    return;
  if (title != NULL && *title != '\0')
    set_label (scroller, title);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
follow_status_page (GtkWidget *widget)
{
  if (!ADW_IS_STATUS_PAGE (widget) || g_object_get_data (G_OBJECT (widget), "koers-a11y-follows") != NULL)
    return;
  g_signal_connect (widget, "notify::title", G_CALLBACK (name_status_scroller), NULL);
  g_object_set_data (G_OBJECT (widget), "koers-a11y-follows", GINT_TO_POINTER (TRUE));
  name_status_scroller (ADW_STATUS_PAGE (widget));
}

/* Every page of @stack (a GtkStack or an AdwViewStack) but the one shown
 * hidden to AT-SPI, now and whenever it changes. */
static void
hide_pages_not_shown (GtkWidget *stack)
{
  if (GTK_IS_STACK (stack))
    koers_a11y_hide_other_pages (GTK_STACK (stack));
  else
    koers_a11y_hide_others (stack, adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack)));
}

static void
follow_stack (GtkWidget *stack)
{
  if (g_object_get_data (G_OBJECT (stack), "koers-a11y-follows") != NULL)
    return;
  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (hide_pages_not_shown), NULL);
  g_object_set_data (G_OBJECT (stack), "koers-a11y-follows", GINT_TO_POINTER (TRUE));
  hide_pages_not_shown (stack);
}

/* The search results of a preferences window: the one list that is in no
 * page. */
static void
name_search_results (GtkWidget *list)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);

  set_label (list, _("Search Results"));
  if (scroller != NULL)
    set_label (scroller, _("Search Results"));
}

static void
name_preferences_part (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_PAGE (widget))
    {
      GtkWidget *scroller = first_of_type (widget, GTK_TYPE_SCROLLED_WINDOW);

      if (scroller != NULL)
        set_label (scroller, adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (widget)));
      koers_a11y_name_lists (widget);
    }
  else if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL
           && gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_SWITCHER) != NULL)
    {
      /* A tab of the page switcher (not a drop-down's button: its first
       * label is GTK's "(None)"). */
      GtkWidget *label = first_of_type (widget, GTK_TYPE_LABEL);

      if (label != NULL)
        set_label (widget, gtk_label_get_text (GTK_LABEL (label)));
    }
  else if (GTK_IS_SEARCH_ENTRY (widget))
    set_label (widget, _("Search preferences"));
  else if (GTK_IS_LIST_BOX (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_PAGE) == NULL
           && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL)
    name_search_results (widget);
  else if (ADW_IS_STATUS_PAGE (widget))
    follow_status_page (widget);
  else if (GTK_IS_STACK (widget) || ADW_IS_VIEW_STACK (widget))
    follow_stack (widget);
}

void
koers_a11y_name_preferences (GtkWidget *window)
{
  g_return_if_fail (GTK_IS_WIDGET (window));

  visit_all (window, name_preferences_part);
}

void
koers_a11y_name_status_pages (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  visit_all (root, follow_status_page);
}

/* What koers_a11y_tell () last said through a widget, for
 * koers_a11y_announce () to put back. */
#define TOLD_KEY "koers-a11y-told"
/* On a window: the control saying an announcement (a GWeakRef). */
#define ANNOUNCER_KEY "koers-a11y-announcer"

static void
set_description (GtkWidget  *widget,
                 const char *message)
{
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
koers_a11y_tell (GtkWidget  *field,
                 const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (field));

  g_object_set_data_full (G_OBJECT (field), TOLD_KEY, g_strdup (message), g_free);
  set_description (field, message);
}

void
koers_a11y_tell_error (GtkWidget  *field,
                       const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (field));

  koers_a11y_tell (field, message);
  if (message != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
  else
    gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
}

/* The object AT-SPI reports focused for @focus: the field around the text
 * of an entry, a search field or an entry row (GTK 4.8 exposes no
 * GtkText of its own). */
static GtkWidget *
exposed_focus (GtkWidget *focus)
{
  GtkWidget *field = focus;

  if (focus == NULL || !GTK_IS_TEXT (focus))
    return focus;
  for (GtkWidget *up = gtk_widget_get_parent (focus); up != NULL; up = gtk_widget_get_parent (up))
    if (GTK_IS_EDITABLE (up))
      field = up;
    else if (field != focus)
      break;
  return field;
}

static void
announcer_free (GWeakRef *announcer)
{
  g_weak_ref_clear (announcer);
  g_free (announcer);
}

/* The focus moved in @window: the control that said an announcement says
 * its own words again. */
static void
on_focus_moved (GtkWindow *window)
{
  GWeakRef *announcer = g_object_get_data (G_OBJECT (window), ANNOUNCER_KEY);
  g_autoptr(GtkWidget) said = announcer != NULL ? g_weak_ref_get (announcer) : NULL;

  if (said != NULL && exposed_focus (gtk_window_get_focus (window)) == said)
    return;
  if (said != NULL)
    set_description (said, g_object_get_data (G_OBJECT (said), TOLD_KEY));
  g_object_set_data (G_OBJECT (window), ANNOUNCER_KEY, NULL);
}

void
koers_a11y_announce (GtkWidget  *widget,
                     const char *message)
{
  GtkRoot *root;
  GtkWidget *focus;
  GWeakRef *announcer;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  root = gtk_widget_get_root (widget);
  focus = GTK_IS_WINDOW (root) ? exposed_focus (gtk_root_get_focus (root)) : NULL;
  if (focus == NULL)
    return;
  if (g_object_get_data (G_OBJECT (root), "koers-a11y-watching") == NULL)
    {
      g_signal_connect (root, "notify::focus-widget", G_CALLBACK (on_focus_moved), NULL);
      g_object_set_data (G_OBJECT (root), "koers-a11y-watching", GINT_TO_POINTER (TRUE));
    }
  on_focus_moved (GTK_WINDOW (root));  /* another control's announcement ends */
  announcer = g_new0 (GWeakRef, 1);
  g_weak_ref_init (announcer, focus);
  g_object_set_data_full (G_OBJECT (root), ANNOUNCER_KEY, announcer, (GDestroyNotify) announcer_free);
  set_description (focus, message);
}

void
koers_a11y_name (GtkWidget  *widget,
                 const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The title a list in @group is heard by: the group's, else its page's. */
static const char *
list_title (GtkWidget *group)
{
  const char *title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group));
  GtkWidget *page;

  if (title != NULL && *title != '\0')
    return title;
  page = gtk_widget_get_ancestor (group, ADW_TYPE_PREFERENCES_PAGE);
  return page != NULL ? adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (page)) : NULL;
}

void
koers_a11y_name_lists (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_POPOVER (root))
    return;
  if (GTK_IS_LIST_BOX (root) || GTK_IS_FLOW_BOX (root))
    {
      GtkWidget *group = gtk_widget_get_ancestor (root, ADW_TYPE_PREFERENCES_GROUP);
      const char *title = group != NULL ? list_title (group) : NULL;

      /* Once: libadwaita labels its own list by the title already. */
      if (title != NULL && *title != '\0')
        koers_a11y_name (root, title);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    koers_a11y_name_lists (child);
}

void
koers_a11y_name_in_group (GtkWidget  *widget,
                          const char *shown)
{
  GtkWidget *group;
  g_autofree char *name = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (shown != NULL);

  group = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_GROUP);
  if (group == NULL)
    return;
  /* Translators: what a screen reader says for a choice that is found
   * in more than one group, e.g. "Barriers Noted: Other". */
  name = g_strdup_printf (_("%s: %s"), adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), shown);
  koers_a11y_name (widget, name);
}

void
koers_a11y_name_list_item (GtkWidget  *child,
                           const char *title,
                           const char *detail)
{
  GtkWidget *item;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) name = NULL;

  g_return_if_fail (GTK_IS_WIDGET (child));

  item = gtk_widget_get_parent (child);
  if (item == NULL)
    return;
  if (title == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  name = g_string_new (title);
  parts = g_strsplit (detail != NULL ? detail : "", "·", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_string_append_printf (name, ", %s", parts[i]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
}

static void
on_choice_changed (GtkWidget *choice)
{
  gboolean is_row = ADW_IS_COMBO_ROW (choice);
  GObject *item = is_row ? adw_combo_row_get_selected_item (ADW_COMBO_ROW (choice))
                         : gtk_drop_down_get_selected_item (GTK_DROP_DOWN (choice));
  GtkExpression *expression = is_row ? adw_combo_row_get_expression (ADW_COMBO_ROW (choice))
                                     : gtk_drop_down_get_expression (GTK_DROP_DOWN (choice));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  if (item == NULL)
    {
      koers_a11y_tell (choice, NULL);
      return;
    }
  if (expression != NULL && gtk_expression_evaluate (expression, item, &value))
    text = g_value_dup_string (&value);
  else if (GTK_IS_STRING_OBJECT (item))
    text = g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  koers_a11y_tell (choice, text);
  if (g_object_get_data (G_OBJECT (choice), "koers-a11y-button") != NULL)
    koers_a11y_tell (g_object_get_data (G_OBJECT (choice), "koers-a11y-button"), text);
}

/* The list view in which libadwaita 1.2 shows a combo row's value is
 * exposed as a focusable list with an unnamed item, which the keyboard
 * never reaches; the value is in the row's description instead. The list
 * in the popover (where one chooses) stays. */
static void
hide_value_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_POPOVER (child))
        continue;
      if (GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      else
        hide_value_view (child);
    }
}

/* A GtkDropDown takes the focus with the toggle button inside it, which
 * GTK 4.8 reads by its class name ("GtkToggleButton"): it is named by the
 * drop-down and says its value too. */
static void
name_drop_down_button (GtkWidget *dropdown)
{
  GtkWidget *button = first_of_type (dropdown, GTK_TYPE_TOGGLE_BUTTON);

  if (button == NULL)
    return;
  gtk_accessible_update_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY, dropdown, NULL, -1);
  g_object_set_data (G_OBJECT (dropdown), "koers-a11y-button", button);
  /* What it shows inside (a list item, read "GtkListItemWidget") is its
   * value, which it says now. */
  for (GtkWidget *child = gtk_widget_get_first_child (button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

void
koers_a11y_describe_choice (GtkWidget *choice)
{
  g_return_if_fail (ADW_IS_COMBO_ROW (choice) || GTK_IS_DROP_DOWN (choice));

  if (ADW_IS_COMBO_ROW (choice))
    hide_value_view (choice);
  else
    name_drop_down_button (choice);

  g_signal_connect (choice, "notify::selected-item", G_CALLBACK (on_choice_changed), NULL);
  on_choice_changed (choice);
}
