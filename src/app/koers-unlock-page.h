/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-unlock-page.h: choose your name, type your passphrase; or, when
 * the passphrase is forgotten, open with the recovery key and choose a new
 * passphrase before anything else is shown. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KOERS_TYPE_UNLOCK_PAGE (koers_unlock_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersUnlockPage, koers_unlock_page, KOERS, UNLOCK_PAGE, GtkWidget)

typedef enum
{
  KOERS_UNLOCK_MODE_PASSPHRASE,      /* name and passphrase */
  KOERS_UNLOCK_MODE_RECOVERY_KEY,    /* "Forgot your passphrase?" */
  KOERS_UNLOCK_MODE_NEW_PASSPHRASE,  /* opened with the key: who are you now */
} KoersUnlockMode;

/* The page asks, the window does the work:
 *   "unlock"          read get_name() and get_passphrase()
 *   "unlock-with-key" read get_recovery_key()
 *   "take-over"       read get_new_name(), get_new_person() and
 *                     get_new_passphrase()
 *   "cancel"          the person leaves the new-passphrase step */
void        koers_unlock_page_set_names      (KoersUnlockPage    *self,
                                              const char * const *names);
const char *koers_unlock_page_get_name       (KoersUnlockPage    *self);
const char *koers_unlock_page_get_passphrase (KoersUnlockPage    *self);
const char *koers_unlock_page_get_recovery_key (KoersUnlockPage  *self);
/* The chosen name, or what was typed for "Someone New" (untrimmed). */
const char *koers_unlock_page_get_new_name   (KoersUnlockPage    *self);
/* TRUE when "Someone New" is chosen: a new key slot for get_new_name(). */
gboolean    koers_unlock_page_get_new_person (KoersUnlockPage    *self);
const char *koers_unlock_page_get_new_passphrase (KoersUnlockPage *self);

/* Switching mode empties every field. */
void            koers_unlock_page_set_mode   (KoersUnlockPage    *self,
                                              KoersUnlockMode     mode);
KoersUnlockMode koers_unlock_page_get_mode   (KoersUnlockPage    *self);

/* A spinner with "Opening the vault…" while the window works. */
void        koers_unlock_page_set_busy       (KoersUnlockPage    *self,
                                              gboolean            busy);
/* Shows @message under the form and gives the field it is about the
 * focus with its text selected, so the next attempt replaces it. */
void        koers_unlock_page_show_error     (KoersUnlockPage    *self,
                                              const char         *message);
/* Back to name and passphrase, every field empty. */
void        koers_unlock_page_clear          (KoersUnlockPage    *self);
void        koers_unlock_page_focus          (KoersUnlockPage    *self);

G_END_DECLS
