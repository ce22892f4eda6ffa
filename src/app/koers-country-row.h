/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-country-row.h: a country chosen by its name. The row's button
 * shows the name in the UI language; its popover lists the countries and
 * narrows the list as a person types (English, Dutch or another common
 * name, any word of it, accents ignored: koers_country_find). Enter takes
 * the first country listed. Property "country": the ISO code, or NULL. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_COUNTRY_ROW (koers_country_row_get_type ())
G_DECLARE_FINAL_TYPE (KoersCountryRow, koers_country_row, KOERS, COUNTRY_ROW, AdwActionRow)

GtkWidget  *koers_country_row_new         (const char      *title);
const char *koers_country_row_get_country (KoersCountryRow *self);
/* Shows @code (NULL: none chosen) without notifying a change by a person. */
void        koers_country_row_set_country (KoersCountryRow *self,
                                           const char      *code);
/* Narrows the list to what @typed names, as typing in the search field
 * does; returns how many countries are listed. */
guint       koers_country_row_search      (KoersCountryRow *self,
                                           const char      *typed);
/* Takes the first country listed, as Enter does. */
void        koers_country_row_choose_first (KoersCountryRow *self);

G_END_DECLS
