/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-conversation-editor.h: writing down one conversation with a client.
 *
 * Autosaves a draft into the vault (koers-drafts.h) every few seconds while
 * something changed and when the focus leaves the editor, so a crash loses
 * at most a few seconds of typing, and when it is unmapped (so drop the
 * editor before the vault locks). Opening a conversation that has a draft
 * offers it back in an inline row. Once saved, the notes are read-only and
 * only addenda can be added. */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"
#include "store/koers-store-reader.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONVERSATION_EDITOR (koers_conversation_editor_get_type ())
G_DECLARE_FINAL_TYPE (KoersConversationEditor, koers_conversation_editor, KOERS, CONVERSATION_EDITOR, GtkWidget)

/* @conversation_id NULL: a new conversation of @client_id. */
GtkWidget  *koers_conversation_editor_new                (KoersStore              *store,
                                                          KoersStoreReader        *reader,
                                                          const char              *client_id,
                                                          const char              *conversation_id);

const char *koers_conversation_editor_get_client_id      (KoersConversationEditor *self);
/* NULL until the conversation is saved. */
const char *koers_conversation_editor_get_conversation_id (KoersConversationEditor *self);

/* Whether an autosaved draft is being offered back. */
gboolean    koers_conversation_editor_has_draft_offer    (KoersConversationEditor *self);
void        koers_conversation_editor_restore_draft      (KoersConversationEditor *self);
void        koers_conversation_editor_discard_draft      (KoersConversationEditor *self);
/* The keyboard on the first useful control: Restore when a draft is
 * offered, else the notes (or the addendum being written). */
void        koers_conversation_editor_focus              (KoersConversationEditor *self);

/* Writes the draft now if anything changed since the last one (the page
 * calls it before it goes away). */
void        koers_conversation_editor_flush              (KoersConversationEditor *self);

/* Checks the form and saves the conversation (and its next steps) into
 * the file as a write job of the store reader; "saved" is emitted once
 * it is written. FALSE with @error when the form cannot be saved as it
 * is; what the store refuses is shown on the editor when the job ends. */
G_GNUC_WARN_UNUSED_RESULT
gboolean    koers_conversation_editor_save               (KoersConversationEditor *self,
                                                          GError                 **error);
/* TRUE from a save until it is written (or refused). */
gboolean    koers_conversation_editor_is_saving          (KoersConversationEditor *self);

/* Seconds between autosaves (default 3). */
void        koers_conversation_editor_set_autosave_interval (KoersConversationEditor *self,
                                                             guint                    seconds);

G_END_DECLS
