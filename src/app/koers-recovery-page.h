/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-recovery-page.h: shows the new vault's recovery key, once. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KOERS_TYPE_RECOVERY_PAGE (koers_recovery_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersRecoveryPage, koers_recovery_page, KOERS, RECOVERY_PAGE, GtkWidget)

/* Emits "done" when the person has confirmed they stored the key. */
void     koers_recovery_page_set_key       (KoersRecoveryPage  *self,
                                            const char         *recovery_key,
                                            const char         *steunpunt);
void     koers_recovery_page_clear         (KoersRecoveryPage  *self);
void     koers_recovery_page_focus         (KoersRecoveryPage  *self);

/* Prints the key sheet to a PDF file without a dialog (tests). */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_recovery_page_export_pdf    (KoersRecoveryPage  *self,
                                            const char         *path,
                                            GError            **error);

/* Whether a recovery key's print dialog is open, with GTK's "Print to
 * File" left out of it (tests). */
gboolean koers_recovery_page_hides_print_to_file (void);

G_END_DECLS
