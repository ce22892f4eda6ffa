/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-screenshots-clients.h: the Clients tab and a client's file with
 * demo data, for koers-screenshots. */
#pragma once

#include "koers-window.h"

G_BEGIN_DECLS

/* Called with each screen ready: saves it as a PNG, or checks it. */
typedef void (*KoersShotFunc) (GtkWidget  *toplevel,
                               const char *page);

/* With the main view open: adds demo clients through the store and saves
 * "clients", "clients-search", "client-file", "clients-narrow" (360 px
 * wide, with three steunpunten) and "client-new" with @save. */
void koers_screenshots_clients (KoersWindow   *window,
                                KoersShotFunc  save);

G_END_DECLS
