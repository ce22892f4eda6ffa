/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-country.h: countries by code and by name.
 *
 * ISO 3166-1 alpha-2 codes (and XK, Kosovo, the code the EU and IOM use),
 * each with its name in English and in current Dutch ("Georgië",
 * "Belarus"), a few other names people type ("Ivory Coast",
 * "Wit-Rusland"), and whether partner organisations of the ERSO network
 * work there. Compiled in: no file is read at run time. Names are shown by
 * the UI language passed in ("nl", "nl_NL.UTF-8", "en"; anything else:
 * English), never by the process locale. See docs/case-model.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if @code is a country Koers knows ("NL", "ER", "XK"), upper case. */
gboolean     koers_country_is_valid   (const char *code);

/* The country's name in @language, or NULL for an unknown code. */
const char  *koers_country_name       (const char *code,
                                       const char *language);

/* TRUE if the ERSO network has partner organisations in the country. */
gboolean     koers_country_is_erso    (const char *code);

/* Every code, sorted by the name in @language (for a drop-down); with
 * @erso_only, the ERSO countries only. Free with g_strfreev(). */
char       **koers_country_list       (const char *language,
                                       gboolean    erso_only);

/* Codes of the countries whose name in English or Dutch, or another name,
 * matches what a person typed: case, accents and punctuation ignored, as
 * a prefix of the name or of a word in it. Whole names first, then
 * names that start with it, then names with a word that does; each by
 * the name in @language. At most @limit (0: all). Free with g_strfreev(). */
char       **koers_country_find       (const char *typed,
                                       const char *language,
                                       guint       limit);

G_END_DECLS
