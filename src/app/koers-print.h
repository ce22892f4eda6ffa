/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-print.h: the return plan and a client summary on A4 paper, in the
 * language of the locale, through GtkPrintOperation (plain functions, no
 * class). With @export_filename the document is written to that PDF file
 * without a dialog (tests, "Save as PDF"); otherwise the print dialog
 * opens over @parent. Every document printed or exported is recorded in
 * the audit (koers_store_audit_print()). */
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

/* Prints without blocking: the print dialog over @parent, then the job
 * with its progress (@export_filename: straight to that PDF file). @what
 * is KOERS_ENTITY_CLIENT (the summary) or KOERS_ENTITY_RETURN_PLAN.
 * Whatever was printed is recorded in the audit. */
void                    koers_print_async          (KoersEntity          what,
                                                    GtkWindow           *parent,
                                                    KoersStore          *store,
                                                    const char          *client_id,
                                                    const char          *export_filename,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GtkPrintOperationResult koers_print_finish         (GAsyncResult        *result,
                                                    GError             **error);
/* koers_print_async() over @widget's window; a failure becomes a toast
 * in the window's toast overlay. */
void                    koers_print_from_widget    (GtkWidget           *widget,
                                                    KoersEntity          what,
                                                    KoersStore          *store,
                                                    const char          *client_id,
                                                    const char          *export_filename);

/* The document as Pango markup (what is printed), for tests. NULL (and
 * @error) if the file cannot be read, or the client is not in the store. */
char                   *koers_print_plan_markup    (KoersStore  *store,
                                                    const char  *client_id,
                                                    GError     **error);
char                   *koers_print_summary_markup (KoersStore  *store,
                                                    const char  *client_id,
                                                    GError     **error);

G_END_DECLS
