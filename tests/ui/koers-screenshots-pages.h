/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-screenshots-pages.h: the Today page, the conversation editor, the
 * return plan and the preferences rendered over a demo vault, for
 * koers-screenshots. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Saves OUT_DIR/<page>SUFFIX.png for each; sets *status to 1 on failure. */
void koers_screenshots_pages (const char *out_dir,
                              const char *suffix,
                              int        *status);

G_END_DECLS
