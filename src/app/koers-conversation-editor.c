/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-conversation-editor"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-conversation-editor.h"
#include "koers-date-row.h"
#include "koers-labels.h"
#include "store/koers-client-file.h"
#include "store/koers-drafts.h"

#define DEFAULT_AUTOSAVE_SECONDS 3

struct _KoersConversationEditor
{
  GtkWidget          parent_instance;

  GtkWidget         *scroller;
  GtkRevealer       *draft_revealer;
  AdwActionRow      *draft_row;
  GtkWidget         *restore_draft_button;
  GtkWidget         *form;
  KoersDateRow      *date_row;
  GtkSpinButton     *duration_spin;
  GtkSwitch         *interpreter_switch;
  GtkFlowBox        *topics_box;
  GtkFlowBox        *barriers_box;
  GtkSwitch         *signal_switch;
  AdwComboRow       *referral_row;
  AdwEntryRow       *reason_row;
  AdwPreferencesGroup *notes_group;
  GtkTextView       *notes_view;
  GtkListBox        *addenda_list;
  GtkRevealer       *addendum_revealer;
  GtkTextView       *addendum_view;
  GtkWidget         *add_addendum_button;
  GtkListBox        *steps_list;
  AdwEntryRow       *step_row;
  KoersDateRow      *step_date_row;
  GtkLabel          *error_label;
  GtkLabel          *status_label;
  GtkWidget         *save_button;

  KoersStore        *store;
  KoersStoreReader  *reader;            /* writes the saves and drafts */
  char              *client_id;
  char              *conversation_id;   /* NULL until saved */
  gboolean           notes_locked;      /* saved notes: append-only */
  GPtrArray         *pending_steps;     /* KoersNextStep of a new conversation */
  GPtrArray         *target_ids;       /* ids behind referral_row's model: */
  guint              n_counsellors;    /* the counsellors', then organisations' */

  gboolean           dirty;             /* changed since the last draft */
  gboolean           saving;            /* a save is being written */
  gboolean           loading;           /* filling fields: not a change */
  guint              autosave_seconds;
  guint              autosave_source;
};

G_DEFINE_FINAL_TYPE (KoersConversationEditor, koers_conversation_editor, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SAVED,
  SIGNAL_DRAFT_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers ----------------------------------------------------------------- */

static void
show_error (KoersConversationEditor *self,
            const char              *message)
{
  if (message != NULL && g_strcmp0 (gtk_label_get_text (self->error_label), message) != 0)
    koers_a11y_announce (GTK_WIDGET (self), message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* What was done ("Saved"), beside the Save button and said to a screen
 * reader. */
static void
show_status (KoersConversationEditor *self,
             const char              *status)
{
  gtk_label_set_text (self->status_label, status);
  koers_a11y_announce (GTK_WIDGET (self), status);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
buffer_is_empty (GtkTextView *view)
{
  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (view)) == 0;
}

static char **
checked_names (GtkFlowBox *box)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *toggle = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (toggle)))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (toggle), "name"));
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

static void
set_checked_names (GtkFlowBox        *box,
                   const char *const *names)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *toggle = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      const char *name = g_object_get_data (G_OBJECT (toggle), "name");

      gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle),
                                   names != NULL && g_strv_contains (names, name));
    }
}

/* Autosave ---------------------------------------------------------------- */

static void
mark_dirty (KoersConversationEditor *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
}

/* The draft: every field as a key file (text, inside the vault only). */
static char *
serialize_draft (KoersConversationEditor *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) topics = checked_names (self->topics_box);
  g_auto(GStrv) barriers = checked_names (self->barriers_box);
  g_autoptr(GStrvBuilder) steps = g_strv_builder_new ();
  g_auto(GStrv) step_lines = NULL;

  g_key_file_set_string (file, "draft", "held_on", gtk_editable_get_text (koers_date_row_get_editable (self->date_row)));
  g_key_file_set_integer (file, "draft", "duration", gtk_spin_button_get_value_as_int (self->duration_spin));
  g_key_file_set_boolean (file, "draft", "interpreter", gtk_switch_get_active (self->interpreter_switch));
  g_key_file_set_string_list (file, "draft", "topics", (const char * const *) topics, g_strv_length (topics));
  g_key_file_set_string_list (file, "draft", "barriers", (const char * const *) barriers, g_strv_length (barriers));
  g_key_file_set_boolean (file, "draft", "signal", gtk_switch_get_active (self->signal_switch));
  if (!self->notes_locked)
    {
      g_autofree char *notes = buffer_text (self->notes_view);

      g_key_file_set_string (file, "draft", "notes", notes);
    }
  if (!buffer_is_empty (self->addendum_view))
    {
      g_autofree char *addendum = buffer_text (self->addendum_view);

      g_key_file_set_string (file, "draft", "addendum", addendum);
    }
  for (guint i = 0; i < self->pending_steps->len; i++)
    {
      KoersNextStep *step = g_ptr_array_index (self->pending_steps, i);

      g_autofree char *line = g_strconcat (step->due_on ? step->due_on : "", "\t",
                                           step->description, NULL);

      g_strv_builder_add (steps, line);
    }
  step_lines = g_strv_builder_end (steps);
  g_key_file_set_string_list (file, "draft", "steps", (const char * const *) step_lines,
                              g_strv_length (step_lines));
  return g_key_file_to_data (file, NULL, NULL);
}

typedef struct
{
  char *client_id;
  char *conversation_id;
  char *content;
} DraftSave;

static void
draft_save_free (DraftSave *draft)
{
  g_free (draft->client_id);
  g_free (draft->conversation_id);
  g_free (draft->content);
  g_free (draft);
}

static gpointer
write_draft (KoersStore    *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  DraftSave *draft = data;

  return GINT_TO_POINTER (koers_store_save_draft (store, draft->client_id, draft->conversation_id,
                                                  draft->content, error));
}

static void
on_draft_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KoersConversationEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error))
    {
      /* No content in the log: the message names no person. */
      g_warning ("Could not autosave the draft: %s", error->message);
      self->dirty = TRUE;   /* the next autosave tries again */
      return;
    }
  if (self->store == NULL)
    return;
  gtk_label_set_text (self->status_label, _("Draft kept in the vault"));
  g_signal_emit (self, signals[SIGNAL_DRAFT_SAVED], 0);
}

/* Written on the reader's thread, in order with the saves: a draft is
 * never written after the save that drops it. */
static void
save_draft (KoersConversationEditor *self)
{
  DraftSave *draft;

  if (!self->dirty || self->store == NULL || self->saving)
    return;
  /* An offered draft is not overwritten before the person chose. */
  if (gtk_revealer_get_reveal_child (self->draft_revealer))
    return;

  draft = g_new0 (DraftSave, 1);
  draft->client_id = g_strdup (self->client_id);
  draft->conversation_id = g_strdup (self->conversation_id);
  draft->content = serialize_draft (self);
  self->dirty = FALSE;
  koers_store_reader_write_async (self->reader, self->store, write_draft, draft,
                                  (GDestroyNotify) draft_save_free, NULL, on_draft_written,
                                  g_object_ref (self));
}

static gboolean
on_autosave (gpointer user_data)
{
  save_draft (KOERS_CONVERSATION_EDITOR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                KoersConversationEditor *self)
{
  save_draft (self);
}

void
koers_conversation_editor_flush (KoersConversationEditor *self)
{
  g_return_if_fail (KOERS_IS_CONVERSATION_EDITOR (self));
  save_draft (self);
}

void
koers_conversation_editor_set_autosave_interval (KoersConversationEditor *self,
                                                 guint                    seconds)
{
  g_return_if_fail (KOERS_IS_CONVERSATION_EDITOR (self));
  g_return_if_fail (seconds > 0);

  self->autosave_seconds = seconds;
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->autosave_source = g_timeout_add_seconds (seconds, on_autosave, self);
}

/* Filling the form -------------------------------------------------------- */

static void
add_step_row (KoersConversationEditor *self,
              const KoersNextStep     *step)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *due = koers_label_date (step->due_on);
  g_autofree char *subtitle = due != NULL ? g_strdup_printf (_("Due %s"), due) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->description);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_insert (self->steps_list, row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->step_row)));
}

static void
add_addendum_row (KoersConversationEditor *self,
                  const KoersNoteAddendum *addendum)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *date = koers_label_date (addendum->written_on);
  g_autofree char *title = g_strdup_printf (_("Addendum of %s"), date);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), addendum->text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->addenda_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->addenda_list), TRUE);
}

/* Saved notes are read-only: the editor offers addenda instead. */
static void
lock_notes (KoersConversationEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean typing = root != NULL && gtk_root_get_focus (root) == GTK_WIDGET (self->notes_view);

  self->notes_locked = TRUE;
  gtk_widget_set_visible (self->add_addendum_button,
                          !gtk_revealer_get_reveal_child (self->addendum_revealer));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-addendum", TRUE);
  /* The cursor stays: it moves through the saved notes for a screen
   * reader, and GTK 4.8 aborts in its blink when it is hidden in a view
   * that had the focus. */
  gtk_text_view_set_editable (self->notes_view, FALSE);
  /* Saved while typing in them: the keyboard goes on to the addendum. */
  if (typing)
    gtk_widget_grab_focus (self->add_addendum_button);
  gtk_widget_add_css_class (GTK_WIDGET (self->notes_view), "dim-label");
  adw_preferences_group_set_description (self->notes_group,
                                         _("Saved notes cannot be changed. Add an addendum to correct or complete them."));
}

static void
load_saved (KoersConversationEditor *self)
{
  g_autoptr(KoersConversation) conversation = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GError) error = NULL;

  conversation = koers_store_get_conversation (self->store, self->conversation_id, &error);
  if (conversation == NULL)
    {
      show_error (self, g_error_matches (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND)
                        ? _("This conversation is no longer in the file.") : error->message);
      gtk_widget_set_sensitive (self->form, FALSE);
      return;
    }

  koers_date_row_set_date (self->date_row, conversation->held_on);
  gtk_spin_button_set_value (self->duration_spin, conversation->duration_minutes);
  gtk_switch_set_active (self->interpreter_switch, conversation->interpreter_present);
  set_checked_names (self->topics_box, (const char * const *) conversation->topics);
  set_checked_names (self->barriers_box, (const char * const *) conversation->barriers);
  gtk_switch_set_active (self->signal_switch, conversation->psychosocial_signal);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            conversation->notes != NULL ? conversation->notes : "", -1);
  if (conversation->notes != NULL)
    lock_notes (self);

  steps = koers_store_list (self->store, KOERS_ENTITY_NEXT_STEP, self->conversation_id, &error);
  if (steps != NULL)
    addenda = koers_store_list (self->store, KOERS_ENTITY_NOTE_ADDENDUM, self->conversation_id, &error);
  if (addenda == NULL)
    {
      /* Part of it unreadable: nothing may be saved over it. */
      show_error (self, error->message);
      gtk_widget_set_sensitive (self->form, FALSE);
      return;
    }
  for (guint i = 0; i < steps->len; i++)
    add_step_row (self, g_ptr_array_index (steps, i));
  for (guint i = 0; i < addenda->len; i++)
    add_addendum_row (self, g_ptr_array_index (addenda, i));
}

/* "Name (what they are)", for the referral choice. */
static void
append_target (KoersConversationEditor *self,
               GtkStringList           *names,
               const char              *id,
               const char              *name,
               const char              *what)
{
  g_autofree char *label = g_strdup_printf ("%s (%s)", name, what);

  gtk_string_list_append (names, label);
  g_ptr_array_add (self->target_ids, g_strdup (id));
}

/* Who a referral can go to: the active counsellors, then the referral
 * organisations of the directory. */
static void
load_referral_targets (KoersConversationEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counsellors = koers_store_list_people (self->store, KOERS_ROLE_COUNSELLOR, TRUE, &error);
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  if (counsellors == NULL)
    show_error (self, error->message);
  for (guint i = 0; counsellors != NULL && i < counsellors->len; i++)
    {
      KoersWorker *worker = g_ptr_array_index (counsellors, i);
      append_target (self, names, worker->id, worker->name, koers_label_role (worker->role));
    }
  self->n_counsellors = self->target_ids->len;
  g_clear_error (&error);
  if ((orgs = koers_store_list_referral_orgs (self->store, -1, &error)) == NULL)
    show_error (self, error->message);
  for (guint i = 0; orgs != NULL && i < orgs->len; i++)
    {
      KoersReferralOrg *org = g_ptr_array_index (orgs, i);
      append_target (self, names, org->id, org->name, koers_label_org_kind (org->kind));
    }
  adw_combo_row_set_model (self->referral_row, G_LIST_MODEL (names));
  if (self->target_ids->len == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->referral_row),
                                 _("No counsellor or organisation has been added to Koers yet: a coordinator adds them in Preferences."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.refer", self->target_ids->len > 0);
}

static void
apply_draft (KoersConversationEditor *self,
             const char              *content)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *held_on = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *addendum = NULL;
  g_auto(GStrv) topics = NULL;
  g_auto(GStrv) barriers = NULL;
  g_auto(GStrv) steps = NULL;

  if (!g_key_file_load_from_data (file, content, -1, G_KEY_FILE_NONE, NULL))
    return;

  self->loading = TRUE;
  held_on = g_key_file_get_string (file, "draft", "held_on", NULL);
  if (held_on != NULL)
    gtk_editable_set_text (koers_date_row_get_editable (self->date_row), held_on);
  gtk_spin_button_set_value (self->duration_spin, g_key_file_get_integer (file, "draft", "duration", NULL));
  gtk_switch_set_active (self->interpreter_switch, g_key_file_get_boolean (file, "draft", "interpreter", NULL));
  topics = g_key_file_get_string_list (file, "draft", "topics", NULL, NULL);
  set_checked_names (self->topics_box, (const char * const *) topics);
  barriers = g_key_file_get_string_list (file, "draft", "barriers", NULL, NULL);
  set_checked_names (self->barriers_box, (const char * const *) barriers);
  gtk_switch_set_active (self->signal_switch, g_key_file_get_boolean (file, "draft", "signal", NULL));
  notes = g_key_file_get_string (file, "draft", "notes", NULL);
  if (notes != NULL && !self->notes_locked)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes, -1);
  addendum = g_key_file_get_string (file, "draft", "addendum", NULL);
  if (addendum != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->addendum_view), addendum, -1);
      gtk_revealer_set_reveal_child (self->addendum_revealer, TRUE);
      gtk_widget_set_visible (self->add_addendum_button, FALSE);
    }
  steps = g_key_file_get_string_list (file, "draft", "steps", NULL, NULL);
  for (guint i = 0; steps != NULL && steps[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (steps[i], "\t", 2);
      KoersNextStep *step;

      if (g_strv_length (parts) != 2)
        continue;
      step = koers_next_step_new ();
      step->due_on = *parts[0] != '\0' ? g_strdup (parts[0]) : NULL;
      step->description = g_strdup (parts[1]);
      g_ptr_array_add (self->pending_steps, step);
      add_step_row (self, step);
    }
  self->loading = FALSE;
}

static void
offer_draft (KoersConversationEditor *self)
{
  gint64 saved_ms = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = koers_store_load_draft (self->store, self->client_id,
                                                     self->conversation_id, &saved_ms, &error);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *subtitle = NULL;

  if (error != NULL)
    show_error (self, error->message);
  if (content == NULL)
    return;
  when = g_date_time_new_from_unix_local (saved_ms / 1000);
  time = koers_label_day_time (when);
  subtitle = g_strdup_printf (_("Notes typed on %s were not saved."), time);
  adw_action_row_set_subtitle (self->draft_row, subtitle);
  gtk_revealer_set_reveal_child (self->draft_revealer, TRUE);
  gtk_widget_set_sensitive (self->form, FALSE);
}

gboolean
koers_conversation_editor_has_draft_offer (KoersConversationEditor *self)
{
  g_return_val_if_fail (KOERS_IS_CONVERSATION_EDITOR (self), FALSE);
  return gtk_revealer_get_reveal_child (self->draft_revealer);
}

static void
close_offer (KoersConversationEditor *self)
{
  gtk_revealer_set_reveal_child (self->draft_revealer, FALSE);
  gtk_widget_set_sensitive (self->form, TRUE);
}

void
koers_conversation_editor_restore_draft (KoersConversationEditor *self)
{
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KOERS_IS_CONVERSATION_EDITOR (self));

  content = koers_store_load_draft (self->store, self->client_id, self->conversation_id, NULL, &error);
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }
  close_offer (self);
  if (content != NULL)
    apply_draft (self, content);
  gtk_widget_grab_focus (GTK_WIDGET (self->notes_locked ? self->addendum_view : self->notes_view));
  show_status (self, _("Unsaved notes restored"));
}

void
koers_conversation_editor_discard_draft (KoersConversationEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KOERS_IS_CONVERSATION_EDITOR (self));

  if (!koers_store_discard_draft (self->store, self->client_id, self->conversation_id, &error))
    g_warning ("Could not discard a draft: %s", error->message);
  close_offer (self);
  gtk_widget_grab_focus (GTK_WIDGET (koers_date_row_get_editable (self->date_row)));
}

/* Saving ------------------------------------------------------------------ */

typedef struct
{
  KoersConversation *conversation;
  GPtrArray         *steps;   /* KoersNextStep of a new one, else NULL */
} ConversationSave;

static void
conversation_save_free (ConversationSave *save)
{
  koers_conversation_free (save->conversation);
  g_clear_pointer (&save->steps, g_ptr_array_unref);
  g_free (save);
}

/* The store's use case on the reader's thread; the result is the saved
 * conversation's id. */
static gpointer
write_conversation (KoersStore    *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ConversationSave *save = data;

  if (!koers_store_save_conversation (store, save->conversation, save->steps, error))
    return NULL;
  return g_strdup (save->conversation->id);
}

typedef struct
{
  KoersConversationEditor *editor;
  GPtrArray               *steps;      /* given back if the save fails */
  gboolean                 has_notes;
} SaveWait;

static void
on_conversation_written (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  SaveWait *wait = user_data;
  g_autoptr(KoersConversationEditor) self = wait->editor;
  g_autoptr(GPtrArray) steps = wait->steps;
  gboolean has_notes = wait->has_notes;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error);

  g_free (wait);
  self->saving = FALSE;
  if (self->store == NULL)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);
  if (id == NULL)
    {
      /* Nothing was saved: the steps wait in the editor again. */
      for (int i = 0; steps != NULL && steps->len > 0; i++)
        {
          KoersNextStep *step = g_ptr_array_steal_index (steps, 0);

          g_clear_pointer (&step->id, g_free);   /* rolled back with the rest */
          g_ptr_array_insert (self->pending_steps, i, step);
        }
      self->dirty = TRUE;
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  if (self->conversation_id == NULL)
    self->conversation_id = g_steal_pointer (&id);
  if (has_notes)
    lock_notes (self);
  show_status (self, _("Saved"));
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->conversation_id);
}

gboolean
koers_conversation_editor_save (KoersConversationEditor *self,
                                GError                 **error)
{
  g_autoptr(KoersConversation) conversation = NULL;
  g_autofree char *held_on = NULL;
  gboolean is_new = self->conversation_id == NULL;
  ConversationSave *save;
  SaveWait *wait;

  g_return_val_if_fail (KOERS_IS_CONVERSATION_EDITOR (self), FALSE);

  if (self->saving)
    return TRUE;   /* the one being written holds what is shown */

  /* As people write dates (the row says why when it cannot read one). */
  if (!koers_date_row_read (self->date_row, &held_on, error))
    return FALSE;
  if (held_on == NULL)
    {
      const char *message = _("Type the date of the conversation, for example 10-12-2026.");

      koers_date_row_set_message (self->date_row, message);
      g_set_error_literal (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID, message);
      return FALSE;
    }

  if (is_new)
    {
      conversation = koers_conversation_new ();
      conversation->client_id = g_strdup (self->client_id);
    }
  else
    {
      conversation = koers_store_get_conversation (self->store, self->conversation_id, error);
      if (conversation == NULL)
        return FALSE;
    }

  g_free (conversation->held_on);
  conversation->held_on = g_steal_pointer (&held_on);
  conversation->duration_minutes = gtk_spin_button_get_value_as_int (self->duration_spin);
  conversation->interpreter_present = gtk_switch_get_active (self->interpreter_switch);
  g_strfreev (conversation->topics);
  conversation->topics = checked_names (self->topics_box);
  g_strfreev (conversation->barriers);
  conversation->barriers = checked_names (self->barriers_box);
  conversation->psychosocial_signal = gtk_switch_get_active (self->signal_switch);
  if (!self->notes_locked)
    {
      g_clear_pointer (&conversation->notes, g_free);
      if (!buffer_is_empty (self->notes_view))
        conversation->notes = buffer_text (self->notes_view);
    }

  /* The store saves the steps made with a new one, and drops the draft
   * (written in order with the drafts: none is written after it). */
  save = g_new0 (ConversationSave, 1);
  wait = g_new0 (SaveWait, 1);
  if (is_new)
    {
      save->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_next_step_free);
      while (self->pending_steps->len > 0)
        g_ptr_array_add (save->steps, g_ptr_array_steal_index (self->pending_steps, 0));
      wait->steps = g_ptr_array_ref (save->steps);
    }
  wait->editor = g_object_ref (self);
  wait->has_notes = conversation->notes != NULL;
  save->conversation = g_steal_pointer (&conversation);
  self->saving = TRUE;
  self->dirty = !buffer_is_empty (self->addendum_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
  koers_store_reader_write_async (self->reader, self->store, write_conversation, save,
                                  (GDestroyNotify) conversation_save_free, g_free,
                                  on_conversation_written, wait);
  return TRUE;
}

gboolean
koers_conversation_editor_is_saving (KoersConversationEditor *self)
{
  g_return_val_if_fail (KOERS_IS_CONVERSATION_EDITOR (self), FALSE);
  return self->saving;
}

/* Actions ----------------------------------------------------------------- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!koers_conversation_editor_save (self, &error))
    show_error (self, error->message);
}

static void
restore_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  koers_conversation_editor_restore_draft (KOERS_CONVERSATION_EDITOR (widget));
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  koers_conversation_editor_discard_draft (KOERS_CONVERSATION_EDITOR (widget));
}

static void
add_addendum_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (widget);

  gtk_revealer_set_reveal_child (self->addendum_revealer, TRUE);
  gtk_widget_set_visible (self->add_addendum_button, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->addendum_view));
}

static void
save_addendum_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (widget);
  g_autoptr(KoersNoteAddendum) addendum = NULL;
  g_autoptr(GError) error = NULL;

  if (self->conversation_id == NULL || buffer_is_empty (self->addendum_view))
    return;

  addendum = koers_note_addendum_new ();
  addendum->conversation_id = g_strdup (self->conversation_id);
  addendum->written_on = koers_store_today (self->store);
  addendum->author_id = g_strdup (koers_store_get_current_worker (self->store));
  addendum->text = buffer_text (self->addendum_view);
  if (!koers_store_add_note_addendum (self->store, addendum, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  /* The addendum is saved; a draft left behind is offered again later. */
  if (!koers_store_discard_draft (self->store, self->client_id, self->conversation_id, &error))
    show_error (self, error->message);
  add_addendum_row (self, addendum);
  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->addendum_view), "", 0);
  self->loading = FALSE;
  self->dirty = FALSE;
  gtk_revealer_set_reveal_child (self->addendum_revealer, FALSE);
  gtk_widget_set_visible (self->add_addendum_button, TRUE);
  gtk_widget_grab_focus (self->add_addendum_button);
  show_status (self, _("Addendum saved"));
}

static void
add_step_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (widget);
  g_autoptr(KoersNextStep) step = koers_next_step_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->step_row))));
  g_autofree char *due_on = NULL;

  if (*description == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
      return;
    }
  /* The row says why under its title. */
  if (!koers_date_row_read (self->step_date_row, &due_on, NULL))
    return;
  show_error (self, NULL);

  step->description = g_steal_pointer (&description);
  step->due_on = g_steal_pointer (&due_on);
  if (self->conversation_id != NULL)
    {
      step->conversation_id = g_strdup (self->conversation_id);
      step->owner_id = g_strdup (koers_store_get_current_worker (self->store));
      if (!koers_store_add_next_step (self->store, step, &error))
        {
          show_error (self, error->message);
          return;
        }
      add_step_row (self, step);
    }
  else
    {
      add_step_row (self, step);
      g_ptr_array_add (self->pending_steps, g_steal_pointer (&step));
      mark_dirty (self);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->step_row), "");
  koers_date_row_set_date (self->step_date_row, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->step_row));
}

static void
refer_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (widget);
  guint selected = adw_combo_row_get_selected (self->referral_row);
  g_autoptr(KoersReferral) referral = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_row))));
  const char *id;
  GtkStringObject *name;

  if (selected >= self->target_ids->len)
    return;
  id = g_ptr_array_index (self->target_ids, selected);
  referral = koers_referral_new ();
  referral->client_id = g_strdup (self->client_id);
  if (selected < self->n_counsellors)
    referral->counsellor_id = g_strdup (id);
  else
    referral->organisation_id = g_strdup (id);
  referral->reason = *reason != '\0' ? g_steal_pointer (&reason)
                                     : g_strdup (_("Psychosocial signal noted in a conversation"));
  referral->referred_on = koers_store_today (self->store);
  referral->status = KOERS_REFERRAL_MADE;
  if (!koers_store_add_referral (self->store, referral, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  name = g_list_model_get_item (adw_combo_row_get_model (self->referral_row), selected);
  subtitle = g_strdup_printf (_("Referred to %s"), gtk_string_object_get_string (name));
  g_object_unref (name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->referral_row), subtitle);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), "");
  gtk_widget_action_set_enabled (widget, "editor.refer", FALSE);
}

static void
on_signal_changed (KoersConversationEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->referral_row), gtk_switch_get_active (self->signal_switch));
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), gtk_switch_get_active (self->signal_switch));
  mark_dirty (self);
}

/* GObject ----------------------------------------------------------------- */

/* "Other" is a topic and a barrier: it is heard with its group. */
static void
fill_toggles (KoersConversationEditor *self,
              GtkFlowBox              *box,
              const char *const       *names,
              const char *(*label) (const char *))
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *toggle = gtk_check_button_new_with_label (label (names[i]));

      g_object_set_data_full (G_OBJECT (toggle), "name", g_strdup (names[i]), g_free);
      g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (mark_dirty), self);
      gtk_flow_box_append (box, toggle);
      gtk_widget_set_focusable (gtk_widget_get_parent (toggle), FALSE);
      if (g_str_equal (names[i], "other"))
        koers_a11y_name_in_group (toggle, label (names[i]));
    }
}

/* Leaving the screen (back, another page, the window locking: it drops its
 * pages before the vault locks) keeps what was typed since the last
 * autosave. */
static void
koers_conversation_editor_unmap (GtkWidget *widget)
{
  save_draft (KOERS_CONVERSATION_EDITOR (widget));
  GTK_WIDGET_CLASS (koers_conversation_editor_parent_class)->unmap (widget);
}

static void
on_step_activated (KoersConversationEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.add-step", NULL);
}

static void
koers_conversation_editor_dispose (GObject *object)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_CONVERSATION_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (koers_conversation_editor_parent_class)->dispose (object);
}

static void
koers_conversation_editor_finalize (GObject *object)
{
  KoersConversationEditor *self = KOERS_CONVERSATION_EDITOR (object);

  g_free (self->client_id);
  g_free (self->conversation_id);
  g_ptr_array_unref (self->pending_steps);
  g_ptr_array_unref (self->target_ids);

  G_OBJECT_CLASS (koers_conversation_editor_parent_class)->finalize (object);
}

static void
koers_conversation_editor_class_init (KoersConversationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_conversation_editor_dispose;
  object_class->finalize = koers_conversation_editor_finalize;
  widget_class->unmap = koers_conversation_editor_unmap;

  /* The conversation was saved into the file. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A draft was written to the vault. */
  signals[SIGNAL_DRAFT_SAVED] = g_signal_new ("draft-saved", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);

  g_type_ensure (KOERS_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-conversation-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, draft_revealer);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, draft_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, restore_draft_button);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, form);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, interpreter_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, topics_box);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, barriers_box);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, signal_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, referral_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, reason_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, notes_group);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, addenda_list);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, addendum_revealer);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, addendum_view);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, add_addendum_button);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, steps_list);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, step_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, step_date_row);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, KoersConversationEditor, save_button);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.restore-draft", NULL, restore_draft_action);
  gtk_widget_class_install_action (widget_class, "editor.discard-draft", NULL, discard_draft_action);
  gtk_widget_class_install_action (widget_class, "editor.add-addendum", NULL, add_addendum_action);
  gtk_widget_class_install_action (widget_class, "editor.save-addendum", NULL, save_addendum_action);
  gtk_widget_class_install_action (widget_class, "editor.add-step", NULL, add_step_action);
  gtk_widget_class_install_action (widget_class, "editor.refer", NULL, refer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
koers_conversation_editor_init (KoersConversationEditor *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->pending_steps = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_next_step_free);
  self->target_ids = g_ptr_array_new_with_free_func (g_free);

  koers_a11y_name_buttons (GTK_WIDGET (self));
  fill_toggles (self, self->topics_box, koers_topic_names, koers_label_topic);
  fill_toggles (self, self->barriers_box, koers_barrier_names, koers_label_barrier);
  koers_a11y_name_lists (GTK_WIDGET (self));
  koers_a11y_name (self->scroller, _("Conversation"));
  /* The focus goes to what is in it, never to the pane (GTK 4.8 lets a
   * scrolled window take it, and Orca reads it by its name only). */
  gtk_widget_set_focusable (self->scroller, FALSE);
  koers_a11y_name (gtk_widget_get_parent (GTK_WIDGET (self->notes_view)), _("Notes"));
  koers_a11y_name (gtk_widget_get_parent (GTK_WIDGET (self->draft_row)), _("Restore unsaved notes?"));
  koers_a11y_describe_choice (GTK_WIDGET (self->referral_row));

  /* Cheap change tracking: a flag per change, never a copy of the text. */
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_view), "changed",
                            G_CALLBACK (mark_dirty), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->addendum_view), "changed",
                            G_CALLBACK (mark_dirty), self);
  g_signal_connect_swapped (koers_date_row_get_editable (self->date_row), "changed", G_CALLBACK (mark_dirty), self);
  g_signal_connect_swapped (self->duration_spin, "value-changed", G_CALLBACK (mark_dirty), self);
  g_signal_connect_swapped (self->interpreter_switch, "notify::active", G_CALLBACK (mark_dirty), self);
  g_signal_connect_swapped (self->signal_switch, "notify::active", G_CALLBACK (on_signal_changed), self);
  g_signal_connect_swapped (self->step_row, "entry-activated", G_CALLBACK (on_step_activated), self);
  g_signal_connect_swapped (self->step_date_row, "entry-activated", G_CALLBACK (on_step_activated), self);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-addendum", FALSE);
}

GtkWidget *
koers_conversation_editor_new (KoersStore       *store,
                               KoersStoreReader *reader,
                               const char       *client_id,
                               const char       *conversation_id)
{
  KoersConversationEditor *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (KOERS_IS_STORE_READER (reader), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  self = g_object_new (KOERS_TYPE_CONVERSATION_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->reader = g_object_ref (reader);
  self->client_id = g_strdup (client_id);
  self->conversation_id = g_strdup (conversation_id);

  self->loading = TRUE;
  load_referral_targets (self);
  if (conversation_id != NULL)
    load_saved (self);
  else
    {
      g_autofree char *today = koers_store_today (store);

      koers_date_row_set_date (self->date_row, today);
    }
  self->loading = FALSE;
  self->dirty = FALSE;
  offer_draft (self);
  koers_conversation_editor_set_autosave_interval (self, DEFAULT_AUTOSAVE_SECONDS);
  return GTK_WIDGET (self);
}

const char *
koers_conversation_editor_get_client_id (KoersConversationEditor *self)
{
  g_return_val_if_fail (KOERS_IS_CONVERSATION_EDITOR (self), NULL);
  return self->client_id;
}

const char *
koers_conversation_editor_get_conversation_id (KoersConversationEditor *self)
{
  g_return_val_if_fail (KOERS_IS_CONVERSATION_EDITOR (self), NULL);
  return self->conversation_id;
}

void
koers_conversation_editor_focus (KoersConversationEditor *self)
{
  g_return_if_fail (KOERS_IS_CONVERSATION_EDITOR (self));

  if (gtk_revealer_get_reveal_child (self->draft_revealer))
    gtk_widget_grab_focus (self->restore_draft_button);
  else if (gtk_revealer_get_reveal_child (self->addendum_revealer))
    gtk_widget_grab_focus (GTK_WIDGET (self->addendum_view));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->notes_view));
}
