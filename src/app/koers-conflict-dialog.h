/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-conflict-dialog.h: the fields of a client's file that were
 * changed on two laptops, each with its values side by side — what each
 * says, who set it, on which laptop and when — and a "Keep This" button
 * per value. Keeping one resolves that conflict in the store
 * (koers_store_resolve_conflict(): a change of this laptop that syncs like
 * any other); the dialog closes when none is left. */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONFLICT_DIALOG (koers_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersConflictDialog, koers_conflict_dialog, KOERS, CONFLICT_DIALOG, AdwWindow)

/* A dialog for @items (KoersConflictItem *, koers-conflict-view.h), modal
 * over the window of @from, presented; it closes with @from. */
KoersConflictDialog *koers_conflict_dialog_open        (GtkWidget           *from,
                                                        KoersStore          *store,
                                                        GPtrArray           *items);
/* Conflicts still shown (not chosen yet). */
guint                koers_conflict_dialog_get_n_open  (KoersConflictDialog *self);

G_END_DECLS
