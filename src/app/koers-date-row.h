/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-date-row.h: a date typed as people write it (10-12-2026,
 * 10/12/2026, 10 dec 2026, ISO) or picked from a calendar (a button
 * beside the field). Under the title the row says how it read the date
 * ("10 December 2026", in the UI language) or, when it cannot read it,
 * why, in words. Every date field of the app is one. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_DATE_ROW (koers_date_row_get_type ())
G_DECLARE_FINAL_TYPE (KoersDateRow, koers_date_row, KOERS, DATE_ROW, AdwActionRow)

GtkWidget  *koers_date_row_new       (const char   *title);
/* Shows a stored date (YYYY-MM-DD, or NULL: empty) as people write it. */
void        koers_date_row_set_date  (KoersDateRow *self,
                                      const char   *iso);
/* Reads what is typed. TRUE with *@iso the date (NULL when the field is
 * empty); FALSE with @error when it cannot be read: the row then says why
 * under its title, turns red until the date reads, and takes the keyboard
 * focus. */
G_GNUC_WARN_UNUSED_RESULT
gboolean    koers_date_row_read      (KoersDateRow *self,
                                      char        **iso,
                                      GError      **error);
/* The text field, for focus and for tests. */
GtkEditable *koers_date_row_get_editable (KoersDateRow *self);
/* Says @message under the title (NULL: how the date reads). */
void        koers_date_row_set_message (KoersDateRow *self,
                                        const char   *message);

G_END_DECLS
