/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Today page lists what is due this week (not next month), unreferred
 * psychosocial signals and recently opened files; a row opens the file. */
#include "config.h"

#define G_LOG_DOMAIN "test-today"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "koers-test-util.h"
#include "koers-today-page.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

typedef KoersStoreFixture Fixture;

static char *
add_client (Fixture    *f,
            const char *name,
            const char *step,
            int         due_in_days,
            gboolean    signal)
{
  return koers_test_add_client_with_step (f->store, name, step, due_in_days, FALSE, signal);
}

/* The subtitles of the list's rows, one per line. */
static char *
list_text (GtkWidget *page,
           const char *name)
{
  GtkWidget *list = koers_test_child (page, KOERS_TYPE_TODAY_PAGE, name);
  GString *out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (out, "%s | %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "");
  return g_string_free (out, FALSE);
}

/* Stands in for the main view's view.open-client: records the target. */
static void
on_open_client (GSimpleAction *action,
                GVariant      *parameter,
                char         **opened)
{
  g_free (*opened);
  *opened = g_variant_dup_string (parameter, NULL);
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *soon = add_client (f, "Mariam Haile", "Pasfoto laten maken", 2, TRUE);
  g_autofree char *later = add_client (f, "Dawit Bekele", "Volgende maand bellen", 40, FALSE);
  g_autoptr(KoersClient) opened_client = koers_store_open_file (f->store, later, NULL);
  g_autofree char *due = NULL;
  g_autofree char *signals = NULL;
  g_autofree char *recent = NULL;
  g_autofree char *opened = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = koers_today_page_new (f->store, f->reader);
  GtkWidget *due_list;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();

  due = list_text (page, "due_list");
  g_assert_nonnull (strstr (due, "Mariam Haile | Pasfoto laten maken"));
  g_assert_null (strstr (due, "Volgende maand"));
  g_assert_null (strstr (due, "Dawit"));

  signals = list_text (page, "signal_list");
  g_assert_nonnull (strstr (signals, "Mariam Haile"));
  g_assert_null (strstr (signals, "Dawit"));

  recent = list_text (page, "recent_list");
  g_assert_nonnull (strstr (recent, "Dawit Bekele"));

  /* Activating a row asks the view to open that file. */
  {
    g_autoptr(GSimpleActionGroup) view = g_simple_action_group_new ();
    g_autoptr(GSimpleAction) open_client = g_simple_action_new ("open-client", G_VARIANT_TYPE_STRING);

    g_signal_connect (open_client, "activate", G_CALLBACK (on_open_client), &opened);
    g_action_map_add_action (G_ACTION_MAP (view), G_ACTION (open_client));
    gtk_widget_insert_action_group (window, "view", G_ACTION_GROUP (view));
  }
  due_list = koers_test_child (page, KOERS_TYPE_TODAY_PAGE, "due_list");
  g_signal_emit_by_name (due_list, "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (due_list), 0));
  g_assert_cmpstr (opened, ==, soon);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = koers_today_page_new (f->store, f->reader);
  g_autofree char *due = NULL;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();
  due = list_text (page, "due_list");
  g_assert_nonnull (strstr (due, "Nothing is due this week."));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static guint
count_lines (const char *text,
             const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* A long list shows 50 rows and a "Show More" row; activating it shows
 * the rest (with their names, read anew). */
static void
test_show_more (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page, *due_list, *last;
  g_autofree char *due = NULL;

  g_assert_true (koers_store_begin (f->store, NULL));
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cliënt %02u", i);

      g_free (add_client (f, name, "Bellen", 1, FALSE));
    }
  g_assert_true (koers_store_commit (f->store, NULL));
  page = koers_today_page_new (f->store, f->reader);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();

  due = list_text (page, "due_list");
  g_assert_cmpuint (count_lines (due, "| Bellen"), ==, 50);
  g_assert_cmpuint (count_lines (due, "Unknown client"), ==, 0);
  g_assert_nonnull (strstr (due, "Show More | 10 more are not shown yet"));

  due_list = koers_test_child (page, KOERS_TYPE_TODAY_PAGE, "due_list");
  last = gtk_widget_get_last_child (due_list);
  g_signal_emit_by_name (due_list, "row-activated", last);
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();
  g_clear_pointer (&due, g_free);
  due = list_text (page, "due_list");
  g_assert_cmpuint (count_lines (due, "| Bellen"), ==, 60);
  g_assert_cmpuint (count_lines (due, "Unknown client"), ==, 0);
  g_assert_null (strstr (due, "Show More"));

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/today/lists", Fixture, NULL, koers_store_fixture_set_up, test_lists, koers_store_fixture_tear_down);
  g_test_add ("/ui/today/empty", Fixture, NULL, koers_store_fixture_set_up, test_empty, koers_store_fixture_tear_down);
  g_test_add ("/ui/today/show-more", Fixture, NULL, koers_store_fixture_set_up, test_show_more,
              koers_store_fixture_tear_down);
  return g_test_run ();
}
