/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-checkin-dialog.h: records a monitoring check-in — when it took
 * place, the two target indicators each answered explicitly (social
 * contacts, economic activity: yes / no / not known) and notes. Save is
 * possible once both are answered. Any page that shows a check-in (the
 * plan, Today) opens it with the check-in's id; the pages follow the
 * store's "changed" after a save. */
#pragma once

#include <adwaita.h>

#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CHECKIN_DIALOG (koers_checkin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersCheckinDialog, koers_checkin_dialog, KOERS, CHECKIN_DIALOG, AdwWindow)

/* A dialog for the check-in @checkin_id, modal over the window of @from;
 * presented. NULL (and a toast on @from) when the check-in cannot be read. */
KoersCheckinDialog *koers_checkin_dialog_open  (GtkWidget          *from,
                                                KoersStore         *store,
                                                const char         *checkin_id);
/* Chooses an answer, as clicking its button does (@social: the social
 * contacts, else the economic activity). */
void                koers_checkin_dialog_choose (KoersCheckinDialog *self,
                                                 gboolean            social,
                                                 KoersAnswer         answer);
/* Saves what the dialog shows, as its Save button does, and closes it;
 * FALSE (the dialog says why and stays) when it cannot be saved. */
G_GNUC_WARN_UNUSED_RESULT
gboolean            koers_checkin_dialog_save   (KoersCheckinDialog *self,
                                                 GError            **error);
/* The date field, for tests. */
GtkEditable        *koers_checkin_dialog_get_date_editable (KoersCheckinDialog *self);

G_END_DECLS
