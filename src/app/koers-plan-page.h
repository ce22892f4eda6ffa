/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-plan-page.h: a client's return plan — the country of return by
 * its name (suggested from the country of origin), the partner
 * organisation there, the support items, a status that moves (forward,
 * or back one step with a reason; departure asks its date and plans the
 * check-ins), steps by date with owner and done, a step removed comes
 * back with Undo — and the monitoring check-ins, each recorded in a
 * KoersCheckinDialog, with the indicators at the latest one and at 12
 * months. The page shows what is stored after every save, here or on
 * another page (the store's "changed"); its "title" names the country.
 * Ctrl+P prints the plan. */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PLAN_PAGE (koers_plan_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersPlanPage, koers_plan_page, KOERS, PLAN_PAGE, GtkWidget)

GtkWidget  *koers_plan_page_new         (KoersStore    *store,
                                         const char    *client_id);
void        koers_plan_page_reload      (KoersPlanPage *self);
/* The plan shown (NULL before one is made). */
const char *koers_plan_page_get_plan_id (KoersPlanPage *self);
/* "Return Plan to Eritrea" (property "title"), "Return Plan" before one. */
const char *koers_plan_page_get_title   (KoersPlanPage *self);
/* Prints the plan (Ctrl+P): the print dialog, or with @export_filename
 * straight to that PDF file. Audited; a failure is a toast. */
void        koers_plan_page_print       (KoersPlanPage *self,
                                         const char    *export_filename);
/* The keyboard on the first useful control: the plan's country, or the
 * country to start one with. */
void        koers_plan_page_focus       (KoersPlanPage *self);

G_END_DECLS
