/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-hour-private.h: the rules of koers-store-hour.c that every
 * write of a record applies (internal to src/store/). */
#pragma once

#include "koers-store-private.h"

G_BEGIN_DECLS

/* The last active coordinator stays one. */
gboolean koers_store_check_worker          (KoersStore     *self,
                                            gpointer        record,
                                            GError        **error);
gboolean koers_store_check_worker_delete   (KoersStore     *self,
                                            const char     *worker_id,
                                            GError        **error);
/* Dates the status of a referral. */
gboolean koers_store_check_referral_status (KoersStore     *self,
                                            KoersReferral  *referral,
                                            GError        **error);
/* Forward, or back one step with a reason. */
gboolean koers_store_check_plan_status     (KoersStore      *self,
                                            KoersReturnPlan *plan,
                                            GError         **error);

G_END_DECLS
