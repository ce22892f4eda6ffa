/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-plan-page.h: a client's return plan — steps with owner, due date
 * and status; a step removed comes back with Undo in a toast — and the
 * monitoring check-ins with the two target indicators (social contacts,
 * economic activity) as yes/no switches. Ctrl+P prints the plan. */
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
/* Prints the plan (Ctrl+P): the print dialog, or with @export_filename
 * straight to that PDF file. Audited; a failure is a toast. */
void        koers_plan_page_print       (KoersPlanPage *self,
                                         const char    *export_filename);

G_END_DECLS
