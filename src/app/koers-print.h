/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-print.h: the return plan and a client summary on A4 paper, in the
 * language of the locale, through GtkPrintOperation (plain functions, no
 * class). With @export_filename the document is written to that PDF file
 * without a dialog (tests, "Save as PDF"); otherwise the print dialog
 * opens over @parent. */
#pragma once

#include <gtk/gtk.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

G_GNUC_WARN_UNUSED_RESULT
GtkPrintOperationResult koers_print_plan           (GtkWindow   *parent,
                                                    KoersStore  *store,
                                                    const char  *client_id,
                                                    const char  *export_filename,
                                                    GError     **error);
G_GNUC_WARN_UNUSED_RESULT
GtkPrintOperationResult koers_print_client_summary (GtkWindow   *parent,
                                                    KoersStore  *store,
                                                    const char  *client_id,
                                                    const char  *export_filename,
                                                    GError     **error);

/* The document as Pango markup (what is printed), for tests. NULL if the
 * client is not in the store. */
char                   *koers_print_plan_markup    (KoersStore  *store,
                                                    const char  *client_id);
char                   *koers_print_summary_markup (KoersStore  *store,
                                                    const char  *client_id);

G_END_DECLS
