/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The passphrase field no AT-SPI client can read: typing through its input
 * method and key controller, Backspace, clearing (and wiping), Enter. */
#include "config.h"

#define G_LOG_DOMAIN "test-secret-entry"

#include <adwaita.h>
#include <string.h>

#include "koers-secret-entry.h"

typedef struct
{
  GtkWindow          *window;
  KoersSecretEntry   *entry;
  GtkEventController *keys;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr (GListModel) controllers = NULL;

  f->window = GTK_WINDOW (gtk_window_new ());
  f->entry = KOERS_SECRET_ENTRY (koers_secret_entry_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->entry));
  gtk_window_present (f->window);
  gtk_widget_grab_focus (GTK_WIDGET (f->entry));

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->entry));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        f->keys = controller;
    }
  g_assert_nonnull (f->keys);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  gtk_window_destroy (f->window);
}

/* What an input method hands over after a key, a dead key or compose. */
static void
commit (Fixture    *f,
        const char *text)
{
  GtkIMContext *im = gtk_event_controller_key_get_im_context (GTK_EVENT_CONTROLLER_KEY (f->keys));

  g_assert_nonnull (im);
  g_signal_emit_by_name (im, "commit", text);
}

static gboolean
press (Fixture         *f,
       guint            keyval,
       GdkModifierType  state)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (f->keys, "key-pressed", keyval, 0, state, &handled);
  return handled;
}

static void
count (gpointer  counter)
{
  (*(guint *) counter)++;
}

static void
test_typing (Fixture       *f,
             gconstpointer  data)
{
  guint changes = 0;

  g_signal_connect_swapped (f->entry, "changed", G_CALLBACK (count), &changes);
  commit (f, "k");
  commit (f, "é");           /* a dead key: ´ then e */
  commit (f, "سلام");        /* Farsi script, four characters */
  commit (f, "ሰ");
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "kéسلامሰ");
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 7);
  g_assert_cmpuint (changes, ==, 4);

  g_assert_true (press (f, GDK_KEY_BackSpace, 0));
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "kéسلام");
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 6);
  for (int i = 0; i < 5; i++)
    g_assert_true (press (f, GDK_KEY_BackSpace, 0));
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "k");
  g_assert_true (press (f, GDK_KEY_BackSpace, 0));
  g_assert_true (press (f, GDK_KEY_BackSpace, 0)); /* empty: nothing to take */
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "");
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 0);

  /* keys the field does not take go on to the window (Tab, shortcuts) */
  g_assert_false (press (f, GDK_KEY_Tab, 0));
  g_assert_false (press (f, GDK_KEY_l, GDK_CONTROL_MASK));
}

static void
test_clear_wipes (Fixture       *f,
                  gconstpointer  data)
{
  const char *text;
  static const char secret[] = "geheim wachtwoord";

  commit (f, secret);
  text = koers_secret_entry_get_text (f->entry);
  g_assert_cmpstr (text, ==, secret);

  /* Ctrl+A and Ctrl+U clear the field; the bytes are zero after */
  g_assert_true (press (f, GDK_KEY_a, GDK_CONTROL_MASK));
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 0);
  for (gsize i = 0; i < sizeof secret; i++)
    g_assert_cmpint (text[i], ==, 0);

  commit (f, "nog een");
  g_assert_true (press (f, GDK_KEY_u, GDK_CONTROL_MASK));
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "");

  /* Backspace wipes the bytes of the character it takes away */
  commit (f, "ab");
  g_assert_true (press (f, GDK_KEY_BackSpace, 0));
  g_assert_cmpint (text[1], ==, 0);
  g_assert_cmpint (text[0], ==, 'a');

  commit (f, "x");
  koers_secret_entry_clear (f->entry);
  g_assert_cmpint (text[0], ==, 0);
  g_assert_cmpint (text[1], ==, 0);
}

static void
test_too_long (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (1023, 'x');

  commit (f, long_text);
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 1023);
  commit (f, "y");  /* refused: the buffer is full; nothing lost */
  g_assert_cmpuint (koers_secret_entry_get_length (f->entry), ==, 1023);
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, long_text);
}

static void
test_enter_activates (Fixture       *f,
                      gconstpointer  data)
{
  guint activations = 0;

  g_signal_connect_swapped (f->entry, "activate", G_CALLBACK (count), &activations);
  commit (f, "open");
  g_assert_true (press (f, GDK_KEY_Return, 0));
  g_assert_true (press (f, GDK_KEY_KP_Enter, 0));
  g_assert_cmpuint (activations, ==, 2);
  /* Enter leaves the text for the page to read */
  g_assert_cmpstr (koers_secret_entry_get_text (f->entry), ==, "open");
}

/* The field draws and measures without showing the text: the bullets only. */
static void
test_draws (Fixture       *f,
            gconstpointer  data)
{
  int min_width, min_height;

  commit (f, "abc");
  gtk_widget_measure (GTK_WIDGET (f->entry), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (f->entry), GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  g_assert_cmpint (min_width, >, 0);
  g_assert_cmpint (min_height, >, 0);
  g_assert_true (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (f->entry)) == GTK_ACCESSIBLE_ROLE_TEXT_BOX);
  g_assert_false (GTK_IS_EDITABLE (f->entry));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/secret-entry/typing", Fixture, NULL, set_up, test_typing, tear_down);
  g_test_add ("/secret-entry/clear-wipes", Fixture, NULL, set_up, test_clear_wipes, tear_down);
  g_test_add ("/secret-entry/too-long", Fixture, NULL, set_up, test_too_long, tear_down);
  g_test_add ("/secret-entry/enter-activates", Fixture, NULL, set_up, test_enter_activates, tear_down);
  g_test_add ("/secret-entry/draws", Fixture, NULL, set_up, test_draws, tear_down);

  return g_test_run ();
}
