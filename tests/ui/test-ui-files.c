/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every .ui file loads: each template through its class, every other
 * file through GtkBuilder. And every .ui file under ui/ in the source tree is in the
 * resource bundle. */
#include "config.h"

#define G_LOG_DOMAIN "test-ui-files"

#include <adwaita.h>
#include <string.h>

#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-conversation-editor.h"
#include "koers-main-view.h"
#include "koers-plan-page.h"
#include "koers-preferences-window.h"
#include "koers-recovery-page.h"
#include "koers-test-util.h"
#include "koers-setup-page.h"
#include "koers-sync-status.h"
#include "koers-today-page.h"
#include "koers-unlock-page.h"
#include "koers-window.h"

#define RESOURCE_BASE "/nl/koers/Koers/"

/* The class name in `<template class="...">`, or NULL. */
static char *
template_class (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = g_strndup (data, length);
  const char *start = strstr (text, "<template class=\"");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("<template class=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, (gsize) (end - start));
}

static void
load_ui_resource (const char *path)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *class_name = NULL;

  g_assert_nonnull (bytes);
  class_name = template_class (bytes);
  g_test_message ("%s: %s", path, class_name ? class_name : "builder");

  if (class_name != NULL)
    {
      GType type = g_type_from_name (class_name);
      GObject *object;

      g_assert_true (type != G_TYPE_INVALID);
      object = g_object_new (type, NULL);
      g_object_ref_sink (object);
      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
      g_object_unref (object);
    }
  else
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (path);

      g_assert_nonnull (builder);
    }
}

static void
test_resources_load (void)
{
  static const char *folders[] = { RESOURCE_BASE "ui/", RESOURCE_BASE "gtk/" };
  guint loaded = 0;

  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_auto(GStrv) names = g_resources_enumerate_children (folders[f], 0, NULL);

      g_assert_nonnull (names);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *path = g_strconcat (folders[f], names[i], NULL);

          if (!g_str_has_suffix (names[i], ".ui"))
            continue;
          load_ui_resource (path);
          loaded++;
        }
    }
  g_assert_cmpuint (loaded, >=, 5);
}

/* Every .ui under ui/ in the source tree is bundled, so none is forgotten. */
static void
check_source_folder (const char *folder,
                     const char *resource_folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strconcat (resource_folder, name, NULL);

      if (!g_str_has_suffix (name, ".ui"))
        continue;
      g_test_message ("bundled? %s", path);
      g_assert_true (g_resources_get_info (path, 0, NULL, NULL, NULL));
    }
}

static void
test_all_bundled (void)
{
  g_autofree char *ui = g_test_build_filename (G_TEST_DIST, "..", "ui", NULL);
  g_autofree char *gtk = g_test_build_filename (G_TEST_DIST, "..", "ui", "gtk", NULL);

  check_source_folder (ui, RESOURCE_BASE "ui/");
  check_source_folder (gtk, RESOURCE_BASE "gtk/");
}

static void
test_icons_bundled (void)
{
  g_assert_true (g_resources_get_info (RESOURCE_BASE "icons/scalable/apps/" APPLICATION_ID ".svg",
                                       0, NULL, NULL, NULL));
  g_assert_true (g_resources_get_info (RESOURCE_BASE "icons/symbolic/apps/" APPLICATION_ID "-symbolic.svg",
                                       0, NULL, NULL, NULL));
}

/* The "accessible" test's checker finds what a screen reader could not
 * name, and accepts the usual ways of naming a control. */
static void
test_inaccessible_controls_found (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon_only = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *labelled_icon = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *row = adw_entry_row_new ();
  g_autoptr(GPtrArray) problems = NULL;

  gtk_widget_set_tooltip_text (icon_only, "Add");  /* a tooltip is no name */
  gtk_accessible_update_property (GTK_ACCESSIBLE (labelled_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove", -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "Search");  /* nor is a placeholder */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Name");
  gtk_box_append (GTK_BOX (box), icon_only);
  gtk_box_append (GTK_BOX (box), labelled_icon);
  gtk_box_append (GTK_BOX (box), gtk_button_new_with_label ("Save"));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), row);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();

  problems = koers_test_inaccessible_controls (window);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), "no accessible name: GtkButton"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "list-add-symbolic"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 1), "no accessible name: GtkEntry"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Search", -1);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = koers_test_inaccessible_controls (window);
  g_assert_cmpuint (problems->len, ==, 1);

  /* A control the keyboard cannot reach. */
  gtk_widget_set_focusable (labelled_icon, FALSE);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = koers_test_inaccessible_controls (window);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 1), "not reachable by keyboard: GtkButton"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_type_ensure (KOERS_TYPE_WINDOW);
  g_type_ensure (KOERS_TYPE_SETUP_PAGE);
  g_type_ensure (KOERS_TYPE_RECOVERY_PAGE);
  g_type_ensure (KOERS_TYPE_UNLOCK_PAGE);
  g_type_ensure (KOERS_TYPE_MAIN_VIEW);
  g_type_ensure (KOERS_TYPE_CLIENTS_PAGE);
  g_type_ensure (KOERS_TYPE_CLIENT_PAGE);
  g_type_ensure (KOERS_TYPE_TODAY_PAGE);
  g_type_ensure (KOERS_TYPE_CONVERSATION_EDITOR);
  g_type_ensure (KOERS_TYPE_SYNC_STATUS);
  g_type_ensure (KOERS_TYPE_PLAN_PAGE);
  g_type_ensure (KOERS_TYPE_PREFERENCES_WINDOW);

  g_test_add_func ("/ui/files/resources-load", test_resources_load);
  g_test_add_func ("/ui/files/all-bundled", test_all_bundled);
  g_test_add_func ("/ui/files/icons-bundled", test_icons_bundled);
  g_test_add_func ("/ui/files/inaccessible-controls-found", test_inaccessible_controls_found);

  return g_test_run ();
}
