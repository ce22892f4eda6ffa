/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KOERS_TYPE_SECRET_ENTRY (koers_secret_entry_get_type ())
G_DECLARE_FINAL_TYPE (KoersSecretEntry, koers_secret_entry, KOERS, SECRET_ENTRY, GtkWidget)

GtkWidget  *koers_secret_entry_new             (void);
const char *koers_secret_entry_get_text        (KoersSecretEntry *self);
guint       koers_secret_entry_get_length      (KoersSecretEntry *self);
void        koers_secret_entry_clear           (KoersSecretEntry *self);
void        koers_secret_entry_append          (KoersSecretEntry *self,
                                                const char       *utf8);
void        koers_secret_entry_delete_last     (KoersSecretEntry *self);
void        koers_secret_entry_set_editable    (KoersSecretEntry *self,
                                                gboolean          editable);
void        koers_secret_entry_set_label       (KoersSecretEntry *self,
                                                const char       *label);

G_END_DECLS
