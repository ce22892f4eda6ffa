/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The conversation editor: autosave survives SIGKILL (a child process
 * hosting the real editor is killed mid-typing; the draft is offered back
 * and restores the text), drafts are never plaintext on disk, and saved
 * notes are append-only. */
#include "config.h"

#define G_LOG_DOMAIN "test-editor"

#include <adwaita.h>
#include <signal.h>
#include <string.h>

#include "koers-conversation-editor.h"
#include "koers-date-row.h"
#include "koers-test-util.h"
#include "store/koers-drafts.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

#define NAME        "Coördinator"
#define PASSPHRASE  "stille wateren"
#define MARKER_A    "QX7-AUTOSAVED-BEFORE-KILL"
#define MARKER_B    "QX7-TYPED-AFTER-AUTOSAVE"

typedef struct
{
  char       *tmp;
  char       *vault_dir;
  KoersVault *vault;
  KoersStore *store;
  KoersStoreReader *reader;   /* writes the editor's saves and drafts */
  char       *client_id;
} Fixture;

static void
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->vault == NULL)
    {
      f->vault = koers_vault_open (f->vault_dir, &error);
      g_assert_no_error (error);
    }
  g_assert_true (koers_vault_unlock (f->vault, NAME, PASSPHRASE, &error));
  g_assert_no_error (error);
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  f->reader = koers_store_reader_new (f->vault, &error);
  g_assert_no_error (error);
}

static void
close_store (Fixture *f)
{
  koers_store_reader_close (f->reader);
  g_clear_object (&f->reader);
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) worker = koers_worker_new ();
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->tmp = g_dir_make_tmp ("koers-editor-XXXXXX", NULL);
  f->vault_dir = g_build_filename (f->tmp, "vault", NULL);
  f->vault = koers_vault_create (f->vault_dir, NAME, PASSPHRASE, &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  f->reader = koers_store_reader_new (f->vault, &error);
  g_assert_no_error (error);

  worker->name = g_strdup (NAME);
  worker->role = KOERS_ROLE_COORDINATOR;
  g_assert_true (koers_store_add_worker (f->store, worker, &error));
  koers_store_set_current_worker (f->store, worker->id);

  f->client_id = koers_test_add_client (f->store, "Yonas Tesfay", KOERS_PHASE_INTAKE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->vault != NULL)
    close_store (f);
  koers_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->vault_dir);
  g_free (f->client_id);
}

static void
insert_text (GtkWidget  *editor,
             const char *name,
             const char *text)
{
  GtkWidget *view = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, name);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

static char *
view_text (GtkWidget  *editor,
           const char *name)
{
  GtkWidget *view = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, name);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkWidget *
show_editor (KoersStore       *store,
             KoersStoreReader *reader,
             const char       *client_id,
             const char       *conversation_id)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *editor = koers_conversation_editor_new (store, reader, client_id, conversation_id);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 700);
  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  return editor;
}

/* The child: hosts the real editor, types, waits for an autosave, types
 * more and tells the parent, which kills it. */
static void
on_draft_saved (KoersConversationEditor *editor,
                gboolean                *saved)
{
  *saved = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static int
run_host (const char *vault_dir,
          const char *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = koers_vault_open (vault_dir, &error);
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersStoreReader) reader = NULL;
  GtkWidget *editor;
  gboolean saved = FALSE;

  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (vault, NAME, PASSPHRASE, &error));
  store = koers_store_new (koers_vault_get_db (vault), &error);
  g_assert_no_error (error);
  reader = koers_store_reader_new (vault, &error);
  g_assert_no_error (error);

  editor = show_editor (store, reader, client_id, NULL);
  koers_conversation_editor_set_autosave_interval (KOERS_CONVERSATION_EDITOR (editor), 1);
  g_signal_connect (editor, "draft-saved", G_CALLBACK (on_draft_saved), &saved);

  for (int i = 0; i < 20; i++)
    insert_text (editor, "notes_view", "ሰላም سلام " MARKER_A " ");
  koers_test_wait_until (is_true, &saved, 30);
  g_print ("autosaved\n");

  insert_text (editor, "notes_view", MARKER_B);
  g_print ("typed\n");
  /* Keep the editor alive until the parent kills this process. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
assert_no_plaintext (const char *dir,
                     const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_false (file_contains (path, needle));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static void
test_autosave_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *notes = NULL;
  GtkWidget *editor;
  char *line;

  close_store (f);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            exe, "--host", f->vault_dir, f->client_id, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "autosaved");
  g_free (line);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_cmpstr (line, ==, "typed");
  g_free (line);

  /* Mid-typing: no chance to save anything more. */
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* The draft is in the vault, never in clear. */
  assert_no_plaintext (f->vault_dir, MARKER_A);
  assert_no_plaintext (f->tmp, MARKER_A);

  /* Restarted: the draft is offered, and restoring it brings the text back. */
  open_store (f);
  editor = show_editor (f->store, f->reader, f->client_id, NULL);
  g_assert_true (koers_conversation_editor_has_draft_offer (KOERS_CONVERSATION_EDITOR (editor)));
  g_assert_true (gtk_widget_get_visible (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                           "restore_draft_button")));
  notes = view_text (editor, "notes_view");
  g_assert_cmpstr (notes, ==, "");
  g_free (g_steal_pointer (&notes));

  gtk_widget_activate_action (editor, "editor.restore-draft", NULL);
  koers_test_settle ();
  g_assert_false (koers_conversation_editor_has_draft_offer (KOERS_CONVERSATION_EDITOR (editor)));
  notes = view_text (editor, "notes_view");
  g_assert_nonnull (strstr (notes, MARKER_A));
  g_assert_nonnull (strstr (notes, "ሰላም سلام"));

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (editor)));
  koers_test_settle ();
}

static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersConversation) saved = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  GtkWidget *editor = show_editor (f->store, f->reader, f->client_id, NULL);
  GtkWidget *notes_view = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "notes_view");
  GtkWidget *step_row = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "step_row");
  GtkWidget *due_row = koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "step_date_row");
  GtkEditable *due = koers_date_row_get_editable (KOERS_DATE_ROW (due_row));
  g_autofree char *id = NULL;

  g_assert_false (koers_conversation_editor_has_draft_offer (KOERS_CONVERSATION_EDITOR (editor)));
  insert_text (editor, "notes_view", "Eerste gesprek.");
  gtk_editable_set_text (GTK_EDITABLE (step_row), "Paspoort aanvragen");
  /* Dates as people write them; Enter in the date adds the step. */
  gtk_editable_set_text (due, "31 jan 2099");
  g_signal_emit_by_name (due, "activate");
  gtk_editable_set_text (koers_date_row_get_editable (KOERS_DATE_ROW (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                                                        "date_row"))),
                         "1/12/2026");
  koers_test_save (editor, "editor.save", f->reader);

  id = g_strdup (koers_conversation_editor_get_conversation_id (KOERS_CONVERSATION_EDITOR (editor)));
  g_assert_nonnull (id);
  saved = koers_store_get_conversation (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->notes, ==, "Eerste gesprek.");
  g_assert_cmpstr (saved->held_on, ==, "2026-12-01");
  steps = koers_store_list (f->store, KOERS_ENTITY_NEXT_STEP, id, &error);
  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpstr (((KoersNextStep *) steps->pdata[0])->due_on, ==, "2099-01-31");
  g_assert_null (koers_store_load_draft (f->store, f->client_id, NULL, NULL, NULL));

  /* Read-only notes, and the store refuses a change too. */
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (notes_view)));
  g_free (saved->notes);
  saved->notes = g_strdup ("Herschreven");
  g_assert_false (koers_store_update_conversation (f->store, saved, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY);

  /* An addendum instead: it appears in the store and under the notes. */
  g_assert_true (gtk_widget_get_visible (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                           "add_addendum_button")));
  gtk_widget_activate_action (editor, "editor.add-addendum", NULL);
  insert_text (editor, "addendum_view", "Aanvulling: tolk was aanwezig.");
  gtk_widget_activate_action (editor, "editor.save-addendum", NULL);
  koers_test_settle ();
  addenda = koers_store_list (f->store, KOERS_ENTITY_NOTE_ADDENDUM, id, NULL);
  g_assert_cmpuint (addenda->len, ==, 1);
  g_assert_cmpstr (((KoersNoteAddendum *) g_ptr_array_index (addenda, 0))->text, ==,
                   "Aanvulling: tolk was aanwezig.");
  g_assert_true (gtk_widget_get_visible (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                           "addenda_list")));

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (editor)));
  koers_test_settle ();

  /* Reopened: still read-only, the addendum listed. */
  editor = show_editor (f->store, f->reader, f->client_id, id);
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (
    koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR, "notes_view"))));
  g_assert_true (gtk_widget_get_visible (koers_test_child (editor, KOERS_TYPE_CONVERSATION_EDITOR,
                                                           "addenda_list")));
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (editor)));
  koers_test_settle ();
}

/* 10 MB of notes: typing stays cheap (no copy per keystroke). */
static void
test_large_notes (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *editor = show_editor (f->store, f->reader, f->client_id, NULL);
  GString *big = g_string_sized_new (10 * 1024 * 1024);
  g_autofree char *draft = NULL;
  gint64 start;

  while (big->len < 10 * 1024 * 1024)
    g_string_append (big, "Een lange regel met notities, ሰላም, سلام, en nog wat meer tekst.\n");
  insert_text (editor, "notes_view", big->str);
  koers_test_settle ();
  start = g_get_monotonic_time ();
  for (int i = 0; i < 200; i++)
    insert_text (editor, "notes_view", "x");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  koers_conversation_editor_flush (KOERS_CONVERSATION_EDITOR (editor));
  koers_test_wait_for_writes (f->reader);
  draft = koers_store_load_draft (f->store, f->client_id, NULL, NULL, NULL);
  g_assert_nonnull (draft);
  g_string_free (big, TRUE);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (editor)));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--host"))
    {
      gtk_init ();
      adw_init ();
      return run_host (argv[2], argv[3]);
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/editor/autosave-killed", Fixture, NULL,
              fixture_set_up, test_autosave_killed, fixture_tear_down);
  g_test_add ("/ui/editor/append-only", Fixture, NULL,
              fixture_set_up, test_append_only, fixture_tear_down);
  g_test_add ("/ui/editor/large-notes", Fixture, NULL,
              fixture_set_up, test_large_notes, fixture_tear_down);

  return g_test_run ();
}
