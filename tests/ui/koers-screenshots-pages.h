/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-screenshots-pages.h: the Today page, the conversation editor, the
 * return plan and the preferences rendered over a demo vault, for
 * koers-screenshots. */
#pragma once

#include "koers-screenshots-clients.h"

G_BEGIN_DECLS

/* Calls @shot with each screen. */
void koers_screenshots_pages (KoersShotFunc shot);

G_END_DECLS
