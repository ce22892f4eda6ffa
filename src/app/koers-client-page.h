/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-client-page.h: a client's file: the header (name, phase, what is
 * due), consent per scope (with its date and how it was given), the form
 * to add or change the client with inline messages, the duplicate check
 * while a new client is typed, whether the file reached the national
 * office, the way to the return plan, closing the file (with Undo), and
 * what is coming up apart from the history. The file is read on the store
 * reader's thread (koers-file-view.h) and again after the store's
 * "changed". Ctrl+P prints a summary. Emits "saved" (client id); goes to
 * a conversation, the plan or another file by activating
 * view.new-conversation, view.open-conversation, view.show-plan,
 * view.back and view.open-client (see koers-main-view.h). */
#pragma once

#include <gtk/gtk.h>

#include "store/koers-store.h"
#include "store/koers-store-reader.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CLIENT_PAGE (koers_client_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersClientPage, koers_client_page, KOERS, CLIENT_PAGE, GtkWidget)

/* @client_id NULL: a new client. Opening a file is recorded in the audit;
 * the file is read on @reader's thread while the page shows that it is
 * reading. */
KoersClientPage *koers_client_page_new           (KoersStore       *store,
                                                  KoersStoreReader *reader,
                                                  const char       *client_id);
/* NULL until a new client is saved. */
const char      *koers_client_page_get_client_id (KoersClientPage *self);
/* Reads the file again (after a conversation was saved elsewhere). */
void             koers_client_page_reload        (KoersClientPage *self);
/* TRUE while the file is read or saved, or a duplicate check waits or
 * runs. */
gboolean         koers_client_page_is_loading    (KoersClientPage *self);
/* The keyboard on the first useful control: a new client's consent, a
 * file's name (a heading), once the file is read. */
void             koers_client_page_focus         (KoersClientPage *self);
/* Prints the client summary (Ctrl+P): the print dialog, or with
 * @export_filename straight to that PDF file. Audited; a failure is a
 * toast. */
void             koers_client_page_print         (KoersClientPage *self,
                                                  const char      *export_filename);

G_END_DECLS
