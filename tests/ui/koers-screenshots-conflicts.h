/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-screenshots-conflicts.h: a client's file changed on two laptops,
 * for koers-screenshots. */
#pragma once

#include "koers-screenshots-clients.h"

G_BEGIN_DECLS

/* With the main view open: a second laptop's vault (a throw-away folder)
 * takes this vault's changes, the same two fields of a new client are
 * changed on both, and the second laptop's changes are merged here; saves
 * "client-conflict" (the file with its banner) and "client-conflict-dialog"
 * (the choice) with @save. */
void koers_screenshots_conflicts (KoersWindow   *window,
                                  KoersShotFunc  save);

G_END_DECLS
