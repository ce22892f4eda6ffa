/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-date.h: dates as people write them, and as they read them.
 *
 * GLib only (no locale, no GTK): the app, the CLI and the store share it.
 * A stored date is "YYYY-MM-DD". Typed dates are read day first, the
 * Dutch way: 10-12-2026, 10/12/2026, 10.12.2026, 10 dec 2026,
 * 10 december 2026 (Dutch or English month names, abbreviated with or
 * without a dot), and ISO 2026-12-10. Shown as "10 december 2026" in Dutch
 * and "10 December 2026" in English, whatever the process locale.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_DATE_ERROR (koers_date_error_quark ())

typedef enum
{
  KOERS_DATE_ERROR_INVALID,   /* the text is not a date */
} KoersDateError;

GQuark    koers_date_error_quark (void);

/* The date a person typed as "YYYY-MM-DD", or NULL with an error that says
 * what to change (it never repeats what was typed). Years 1900-2200. */
G_GNUC_WARN_UNUSED_RESULT
char     *koers_date_parse       (const char  *typed,
                                  GError     **error);

/* TRUE if @iso is a valid stored date "YYYY-MM-DD" (1900-2200); fills @date
 * if given. */
gboolean  koers_date_read_iso    (const char  *iso,
                                  GDate       *date);

/* @iso for reading in @language ("nl", "nl_NL.UTF-8", "en"; NULL or any
 * other language: English): "10 december 2026" / "10 December 2026".
 * NULL for NULL; a copy of @iso if it is not a date. */
char     *koers_date_format      (const char  *iso,
                                  const char  *language);

/* @iso moved by @days or @months (the end of a shorter month for
 * 31 January + 1 month); NULL if @iso is not a date. */
char     *koers_date_add_days    (const char  *iso,
                                  int          days);
char     *koers_date_add_months  (const char  *iso,
                                  int          months);

G_END_DECLS
