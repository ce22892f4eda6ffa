/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-today-page.h: what a consultation hour must act on — open next
 * steps, plan steps, check-ins and referrals in three sections (overdue,
 * due today, later this week), files with a psychosocial signal not yet
 * referred, recently opened files. A row acts on its item (tick a step
 * done, with Undo; change a referral's status; record a check-in:
 * view.show-plan for now) and, activated, opens the file
 * (view.open-client with the client's id). The lists are read off the
 * main thread by a KoersStoreReader, again after each of the store's
 * "changed"; the old rows stay until the new are in, and then the new
 * take their places a few a frame (rows laid out all at once stalled the
 * main thread for 0.4-0.6 s at 10k demo clients). */
#pragma once

#include <adwaita.h>

#include "koers-store-reader.h"
#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_TODAY_PAGE (koers_today_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersTodayPage, koers_today_page, KOERS, TODAY_PAGE, GtkWidget)

GtkWidget *koers_today_page_new        (KoersStore       *store,
                                        KoersStoreReader *reader);
/* Reads the lists again (after a change, or when the page is shown). */
void       koers_today_page_reload     (KoersTodayPage   *self);
/* TRUE from a reload until all its rows are built. */
gboolean   koers_today_page_is_loading (KoersTodayPage   *self);

G_END_DECLS
