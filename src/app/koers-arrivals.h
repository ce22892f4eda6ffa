/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-arrivals.h: after a sync round that merged colleagues' batches, a
 * toast that says what came in ("3 new conversations from Fatima"), made
 * from the round's summary (KoersSyncArrival: counts per laptop and kind
 * of record). A laptop knows its colleagues' laptops by id only (the
 * office's device list names none), so the toast names the person who
 * made the changes when this vault knows them, else "another laptop".
 * Names a colleague, never a client. Plain functions, no class. */
#pragma once

#include <gtk/gtk.h>

#include "store/koers-store.h"
#include "sync/koers-sync-engine.h"

G_BEGIN_DECLS

/* The toast's text for @arrivals, or NULL when nothing came in. */
char *koers_arrivals_describe (KoersStore             *store,
                               const KoersSyncArrival *arrivals,
                               guint                   n_arrivals);
/* Shows the toast for @engine's last round in the overlay @widget is in;
 * nothing when nothing came in. Returns the text shown (NULL: none). */
char *koers_arrivals_toast    (GtkWidget              *widget,
                               KoersStore             *store,
                               KoersSyncEngine        *engine);

G_END_DECLS
