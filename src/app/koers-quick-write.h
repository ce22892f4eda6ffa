/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-quick-write.h: the changes made on the spot — a step ticked done
 * or open again, a referral's status — as write jobs of the store reader,
 * so that their commit waits for the disk there, not on the main thread
 * (koers-store-reader.h). @widget shows the outcome as a toast while it is
 * shown (NULL: a refusal is a warning, which names nobody). A refusal
 * also makes the pages read again, so that they show what is stored. */
#pragma once

#include <gtk/gtk.h>

#include "store/koers-store.h"
#include "store/koers-store-reader.h"

G_BEGIN_DECLS

/* What follows a change once it is written (e.g. a toast with Undo), with
 * the widget that was given, while it is shown. */
typedef void (*KoersQuickWriteDone) (GtkWidget *widget,
                                     gpointer   data);

/* @on_written (or NULL) gets @data, which @data_free frees in any case. */
void koers_quick_write_step_done         (GtkWidget           *widget,
                                          KoersStoreReader    *reader,
                                          KoersStore          *store,
                                          KoersEntity          kind,
                                          const char          *step_id,
                                          gboolean             done,
                                          KoersQuickWriteDone  on_written,
                                          gpointer             data,
                                          GDestroyNotify       data_free);
/* @done_message: the toast once it is written, or NULL. */
void koers_quick_write_referral_status   (GtkWidget           *widget,
                                          KoersStoreReader    *reader,
                                          KoersStore          *store,
                                          const char          *referral_id,
                                          KoersReferralStatus  status,
                                          const char          *done_message);

G_END_DECLS
