/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-referral-status.h: the drop-down that changes a referral's
 * status on the spot (Today and a client's file). */
#pragma once

#include <gtk/gtk.h>

#include "store/koers-records.h"

G_BEGIN_DECLS

/* A drop-down of the referral statuses, @status chosen, named for a
 * screen reader with its value; @on_chosen is connected to its
 * "notify::selected" with @user_data (a GtkDropDown callback). */
GtkWidget *koers_referral_status_dropdown_new (KoersReferralStatus status,
                                               GCallback           on_chosen,
                                               gpointer            user_data);

G_END_DECLS
