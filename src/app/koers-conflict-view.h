/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-conflict-view.h: a file's open conflicts (a field changed on two
 * laptops before they synced) as a person reads them: the field's name,
 * and for each value what it says, who set it, on which laptop and when.
 * Read on the store reader's thread with the file (koers-file-view.c).
 * Plain functions, no class; no widgets. */
#pragma once

#include <glib.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

typedef struct
{
  char     *stamp;  /* names the value for koers_store_resolve_conflict() */
  char     *value;  /* "Morocco", "10 December 2026", "Yes", "Deleted" */
  char     *who;    /* the worker's name */
  char     *where;  /* "this laptop", "another laptop" */
  char     *when;   /* "10 December 2026, 14:05" */
  gboolean  shown;  /* what the file shows until a person chooses */
} KoersConflictChoice;

typedef struct
{
  gint64     id;
  char      *title;    /* "Phone number", "Next step: due date" */
  GPtrArray *choices;  /* KoersConflictChoice *, two or more */
} KoersConflictItem;

void koers_conflict_item_free (KoersConflictItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersConflictItem, koers_conflict_item_free)

/* The open conflicts of @client_id's file, oldest first (on the thread
 * that owns @store). A GPtrArray of KoersConflictItem *. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray *koers_conflict_view_read (KoersStore  *store,
                                     const char  *client_id,
                                     GError     **error);

G_END_DECLS
