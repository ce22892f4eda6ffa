/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-country.h: ISO 3166-1 alpha-2 country codes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if @code is an assigned ISO 3166-1 alpha-2 code ("NL", "ER"),
 * upper case. */
gboolean  koers_country_is_valid  (const char *code);

G_END_DECLS
