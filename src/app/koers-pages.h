/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-pages.h: puts the Today page, the conversation editor and the
 * return plan into the main view (plain functions, no class).
 *
 * koers_pages_attach() places a Today page in the view's "Today" tab and
 * answers the view's "new-conversation" and "open-conversation" signals by
 * pushing a conversation editor. Call it once for each new main view. */
#pragma once

#include "koers-main-view.h"

G_BEGIN_DECLS

void koers_pages_attach    (KoersMainView *view);
/* Pushes the return plan of @client_id (Ctrl+P prints it). */
void koers_pages_show_plan (KoersMainView *view,
                            const char    *client_id);

G_END_DECLS
