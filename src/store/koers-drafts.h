/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-drafts.h: unsaved conversation drafts (autosave), local to this
 * device.
 *
 * A draft is an opaque text (the editor's own serialisation) kept in the
 * vault, keyed by client id and conversation id ("" or NULL: a conversation
 * not saved yet). Drafts are never written to the change log or the audit,
 * never synced and never exported: they are this laptop's safety net, not
 * part of the file. Deleting a client deletes its drafts.
 */
#pragma once

#include "koers-store.h"

G_BEGIN_DECLS

/* Saves (or replaces) the draft. */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_store_save_draft    (KoersStore  *self,
                                    const char  *client_id,
                                    const char  *conversation_id,
                                    const char  *content,
                                    GError     **error);
/* The draft's content, or NULL (no draft, or an error). @saved_ms: when it
 * was saved (Unix ms), may be NULL. */
G_GNUC_WARN_UNUSED_RESULT
char    *koers_store_load_draft    (KoersStore  *self,
                                    const char  *client_id,
                                    const char  *conversation_id,
                                    gint64      *saved_ms,
                                    GError     **error);
/* Removes the draft (no error when there is none). */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_store_discard_draft (KoersStore  *self,
                                    const char  *client_id,
                                    const char  *conversation_id,
                                    GError     **error);

G_END_DECLS
