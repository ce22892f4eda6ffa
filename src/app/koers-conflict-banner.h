/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-conflict-banner.h: "Changed on two laptops" on a client's file
 * while the file has open conflicts (fields changed on two laptops before
 * they synced), with how many and a button that opens the dialog to
 * choose (KoersConflictDialog). Hidden when there are none. The file page
 * gives it what its read found (KoersFileView's conflicts). */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONFLICT_BANNER (koers_conflict_banner_get_type ())
G_DECLARE_FINAL_TYPE (KoersConflictBanner, koers_conflict_banner, KOERS, CONFLICT_BANNER, GtkWidget)

/* Shows @conflicts (KoersConflictItem *; NULL or empty: hides the banner).
 * A dialog already open keeps what it shows. */
void       koers_conflict_banner_set         (KoersConflictBanner *self,
                                              KoersStore          *store,
                                              GPtrArray           *conflicts);
/* Opens the dialog, as the banner's button does (NULL: nothing to choose). */
GtkWidget *koers_conflict_banner_open_dialog (KoersConflictBanner *self);

G_END_DECLS
