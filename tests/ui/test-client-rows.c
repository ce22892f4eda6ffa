/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Clients page in the real main view on a real vault: a row opens the
 * file through the view's action, rows tell two people of the same name
 * apart (year of birth, country by its Dutch name, no code), each row
 * shows whether the client's changes reached the office as the store's
 * sync state moves, and the view fits a 360 px window with several
 * steunpunten and the filters set. */
#include "config.h"

#define G_LOG_DOMAIN "test-client-rows"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "koers-client-item.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-main-view.h"
#include "koers-settings.h"
#include "koers-test-util.h"
#include "store/koers-country.h"
#include "sync/koers-sync-round.h"

typedef struct
{
  KoersStoreFixture  store;
  GtkWidget         *window;
  KoersMainView     *view;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  koers_store_fixture_set_up (&f->store, data);
}

/* The main view in a window of @width (the store's data first: the
 * filters read the steunpunten when the view gets the store). */
static void
show_view (Fixture *f,
           int      width)
{
  f->window = adw_window_new ();
  f->view = koers_main_view_new (f->store.store, f->store.reader);
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  koers_main_view_set_tab (f->view, "clients");
  koers_test_wait_for_list (koers_clients_page_get_list (KOERS_CLIENTS_PAGE (
    koers_test_child (f->view, KOERS_TYPE_MAIN_VIEW, "clients_page"))));
  koers_test_settle ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->view != NULL)
    koers_main_view_close (f->view);
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_settle ();
  koers_store_fixture_tear_down (&f->store, data);
}

static GtkWidget *
clients_child (Fixture    *f,
               const char *name)
{
  return koers_test_child (koers_test_child (f->view, KOERS_TYPE_MAIN_VIEW, "clients_page"),
                           KOERS_TYPE_CLIENTS_PAGE, name);
}

static KoersClientList *
list_of (Fixture *f)
{
  return koers_clients_page_get_list (KOERS_CLIENTS_PAGE (koers_test_child (f->view, KOERS_TYPE_MAIN_VIEW,
                                                                            "clients_page")));
}

/* A client with storage consent (the store keeps nothing else). */
static char *
add_client (KoersStore *store,
            const char *name,
            int         birth_year,
            const char *country)
{
  g_autofree char *id = koers_test_add_client (store, name, KOERS_PHASE_INTAKE);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_store_get_client (store, id, &error);

  g_assert_no_error (error);
  client->birth_year = birth_year;
  g_free (client->country_of_origin);
  client->country_of_origin = g_strdup (country);
  g_assert_true (koers_store_update_client (store, client, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

/* The labels of the rows on screen, "name | detail" each, and their
 * delivery icons' tooltips ("" for none), in the order drawn. */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *texts,
              GPtrArray *icons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *text = gtk_widget_get_first_child (child);
      GtkWidget *image = text != NULL ? gtk_widget_get_next_sibling (text) : NULL;

      if (GTK_IS_BOX (child) && GTK_IS_BOX (text) && GTK_IS_IMAGE (image))
        {
          GtkWidget *name = gtk_widget_get_first_child (text);
          const char *tooltip = gtk_widget_get_tooltip_text (image);

          if (*gtk_label_get_label (GTK_LABEL (name)) == '\0')
            continue;
          g_ptr_array_add (texts, g_strdup_printf ("%s | %s", gtk_label_get_label (GTK_LABEL (name)),
                                                   gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (name)))));
          g_ptr_array_add (icons, g_strdup (gtk_widget_get_visible (image) && tooltip != NULL ? tooltip : ""));
          continue;
        }
      collect_rows (child, texts, icons);
    }
}

static GPtrArray *
row_texts (Fixture *f)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) icons = g_ptr_array_new_with_free_func (g_free);

  collect_rows (clients_child (f, "list_view"), texts, icons);
  return texts;
}

static GPtrArray *
row_icons (Fixture *f)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *icons = g_ptr_array_new_with_free_func (g_free);

  collect_rows (clients_child (f, "list_view"), texts, icons);
  return icons;
}

/* Navigation -------------------------------------------------------------- */

static void
test_row_opens_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = add_client (f->store.store, "Hawa Yusuf", 1990, "SO");
  GtkWidget *page;

  show_view (f, 900);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list_of (f))), ==, 1);

  /* The row activates view.open-client with the id: the view pushes the file. */
  g_signal_emit_by_name (clients_child (f, "list_view"), "activate", 0);
  koers_test_settle ();
  page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  g_assert_cmpstr (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (page)), ==, id);

  /* "New Client" on the page is view.new-client. */
  g_assert_true (koers_main_view_pop_page (f->view));
  koers_test_settle ();
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (clients_child (f, "new_button"))), ==,
                   "view.new-client");
  g_signal_emit_by_name (clients_child (f, "new_button"), "clicked");
  koers_test_settle ();
  page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  g_assert_null (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (page)));

  /* The page has no signals of its own left to navigate by. */
  g_assert_cmpuint (g_signal_lookup ("client-activated", KOERS_TYPE_CLIENTS_PAGE), ==, 0);
  g_assert_cmpuint (g_signal_lookup ("new-client", KOERS_TYPE_CLIENTS_PAGE), ==, 0);
}

/* Rows that tell two people apart ------------------------------------------ */

/* The UI language, as main.c sets it up ("nl", or "en" to go back). */
static void
use_language (const char *language)
{
  g_autoptr(GSettings) settings = koers_settings_new ();

  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_true (g_settings_set_string (settings, "language", language));
  koers_settings_setup_language (g_getenv ("KOERS_LOCALEDIR"));
}

static void
test_same_name_rows (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a = add_client (f->store.store, "Adaeze Balogun", 1988, "NG");
  g_autofree char *b = add_client (f->store.store, "Adaeze Balogun", 1994, "GE");
  g_autofree char *c = add_client (f->store.store, "Adaeze Balogun", 0, NULL);
  g_autoptr(GPtrArray) texts = NULL;

  use_language ("nl");
  show_view (f, 900);
  texts = row_texts (f);
  g_assert_cmpuint (texts->len, ==, 3);
  for (guint i = 0; i < texts->len; i++)
    g_test_message ("row: %s", (char *) texts->pdata[i]);

  /* Three people, three different rows; country names in Dutch, the
   * year of birth, no code; a file with neither says when it was made. */
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Adaeze Balogun | Nigeria · geboren 1988 · Intake",
                                                   g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Adaeze Balogun | Georgië · geboren 1994 · Intake",
                                                   g_str_equal, NULL));
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = texts->pdata[i];

      g_assert_null (strstr (text, " NG"));
      g_assert_null (strstr (text, " GE"));
      for (guint j = i + 1; j < texts->len; j++)
        g_assert_cmpstr (text, !=, texts->pdata[j]);
    }
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Adaeze Balogun | Intake", g_str_equal, NULL) == FALSE);
  {
    gboolean added = FALSE;

    for (guint i = 0; i < texts->len; i++)
      added |= (g_str_has_prefix (texts->pdata[i], "Adaeze Balogun | toegevoegd op ")
                && g_str_has_suffix (texts->pdata[i], " · Intake"));
    g_assert_true (added);
  }

  use_language ("en");
}

/* Delivery per client ---------------------------------------------------- */

typedef struct
{
  Fixture    *f;
  const char *tooltip;
  guint       n;
} IconWait;

static gboolean
icons_say (gpointer data)
{
  IconWait *wait = data;
  g_autoptr(GPtrArray) icons = row_icons (wait->f);
  guint n = 0;

  for (guint i = 0; i < icons->len; i++)
    n += g_str_equal (icons->pdata[i], wait->tooltip);
  return n == wait->n;
}

static void
assert_icons (Fixture    *f,
              const char *tooltip,
              guint       n)
{
  IconWait wait = { f, tooltip, n };

  koers_test_wait_until (icons_say, &wait, 10);
}

static void
test_delivery (Fixture       *f,
               gconstpointer  data)
{
  KoersStore *store = f->store.store;
  g_autofree char *a = add_client (store, "Olga Shevchenko", 1979, "UA");
  g_autofree char *b = add_client (store, "ኣብርሀት ሕወት", 1992, "ER");
  g_autofree char *c = NULL;
  g_autoptr(GBytes) enrollment = g_bytes_new_static ("enrolled", 8);
  g_autoptr(GError) error = NULL;

  /* Not enrolled: everything stays on this laptop, no icon. */
  show_view (f, 900);
  assert_icons (f, "", 2);

  /* Enrolled (the setting is what the engine looks for): waiting. */
  g_assert_true (koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, enrollment, &error));
  g_assert_no_error (error);
  assert_icons (f, "Waiting to be sent to the office", 2);

  koers_test_sync_cut_all (store);
  assert_icons (f, "Waiting to be sent to the office", 2);  /* sealed, not on the drop */
  koers_test_sync_upload_all (store);
  assert_icons (f, "Sent; the office has not confirmed it yet", 2);
  koers_test_sync_acknowledge_all (store);
  assert_icons (f, "Arrived at the office", 2);

  /* A new file, and a change to one: those two wait, the other arrived. */
  c = add_client (store, "Reza Rahimi", 1985, "IR");
  {
    g_autoptr(KoersClient) olga = koers_store_get_client (store, a, &error);

    g_assert_no_error (error);
    olga->phase = KOERS_PHASE_ORIENTATION;
    g_assert_true (koers_store_update_client (store, olga, &error));
    g_assert_no_error (error);
  }
  koers_clients_page_refresh (KOERS_CLIENTS_PAGE (koers_test_child (f->view, KOERS_TYPE_MAIN_VIEW, "clients_page")));
  koers_test_wait_for_list (list_of (f));
  assert_icons (f, "Waiting to be sent to the office", 2);
  assert_icons (f, "Arrived at the office", 1);

  /* The icon has words for a screen reader too. */
  {
    g_autoptr(KoersClientItem) item = g_list_model_get_item (G_LIST_MODEL (list_of (f)), 0);

    g_assert_cmpint (koers_client_item_get_delivery (item), !=, KOERS_CLIENT_ITEM_DELIVERY_NONE);
  }
}

/* Narrow windows ------------------------------------------------------- */

static void
add_steunpunt (KoersStore *store,
               const char *name)
{
  g_autoptr(KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  g_autoptr(GError) error = NULL;

  steunpunt->name = g_strdup (name);
  g_assert_true (koers_store_add_steunpunt (store, steunpunt, &error));
  g_assert_no_error (error);
}

static int
min_width (GtkWidget *widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum;
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *layout = NULL;
  GtkWidget *content;

  add_steunpunt (f->store.store, "Steunpunt Zuid-Holland Rotterdam");
  add_steunpunt (f->store.store, "Steunpunt Noord-Brabant Eindhoven");
  add_steunpunt (f->store.store, "Steunpunt Gelderland Nijmegen");
  g_free (add_client (f->store.store, "Mariam Tekle Haile Gebremedhin Woldemariam", 1990, "ER"));
  use_language ("nl");
  /* GNOME's title-bar buttons (close only; minimize and maximize take
   * 70 px more). Animations on: with them off, GTK 4.8 allocates the view
   * switcher bar's revealer a frame of height -1 when it appears, and
   * warns. */
  g_object_get (settings, "gtk-decoration-layout", &layout, NULL);
  g_object_set (settings, "gtk-decoration-layout", ":close", "gtk-enable-animations", TRUE, NULL);
  show_view (f, 360);
  g_assert_true (gtk_widget_get_visible (clients_child (f, "steunpunt_dropdown")));

  /* The longest choice of each filter. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (clients_child (f, "phase_dropdown")), 1 + KOERS_PHASE_RETURN_SUPPORT);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (clients_child (f, "outcome_dropdown")), 1 + KOERS_OUTCOME_OTHER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (clients_child (f, "steunpunt_dropdown")), 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (clients_child (f, "due_dropdown")), KOERS_DUE_THIS_WEEK);
  koers_test_wait_for_list (list_of (f));
  koers_test_settle ();
  koers_test_settle ();  /* the view switcher moved to the bottom */

  content = adw_window_get_content (ADW_WINDOW (f->window));
  g_test_message ("minimum width: main view %d px, filters %d px; shown %d px wide", min_width (content),
                  min_width (clients_child (f, "filter_box")), gtk_widget_get_width (content));
  g_assert_cmpint (min_width (clients_child (f, "filter_box")), <=, 360 - 24);
  g_assert_cmpint (min_width (content), <=, 360);
  g_assert_cmpint (min_width (f->window), <=, 360);
  /* The tabs are at the bottom now, the filters on more than one line. */
  g_assert_true (gtk_widget_get_height (clients_child (f, "filter_box"))
                 > gtk_widget_get_height (clients_child (f, "phase_dropdown")) * 3 / 2);

  g_object_set (settings, "gtk-decoration-layout", layout, "gtk-enable-animations", FALSE, NULL);
  use_language ("en");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/client-rows/row-opens-file", Fixture, NULL, fixture_set_up, test_row_opens_file,
              fixture_tear_down);
  g_test_add ("/ui/client-rows/same-name", Fixture, NULL, fixture_set_up, test_same_name_rows, fixture_tear_down);
  g_test_add ("/ui/client-rows/delivery", Fixture, NULL, fixture_set_up, test_delivery, fixture_tear_down);
  g_test_add ("/ui/client-rows/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);

  return g_test_run ();
}
