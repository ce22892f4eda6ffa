/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-window.h: the main window. It holds the session (the vault, its
 * store and reader) and moves between the first-run, recovery-key, unlock
 * and main pages. */
#pragma once

#include <adwaita.h>

#include "koers-main-view.h"
#include "session/koers-session.h"

G_BEGIN_DECLS

#define KOERS_TYPE_WINDOW (koers_window_get_type ())
G_DECLARE_FINAL_TYPE (KoersWindow, koers_window, KOERS, WINDOW, AdwApplicationWindow)

KoersWindow *koers_window_new           (GtkApplication *application,
                                         const char     *vault_dir);

/* The window's session (never NULL). */
KoersSession *koers_window_get_session  (KoersWindow    *self);

/* The session's vault (NULL before one exists). */
KoersVault  *koers_window_get_vault     (KoersWindow    *self);

/* The main view while the vault is open (NULL otherwise). */
KoersMainView *koers_window_get_main_view (KoersWindow  *self);

/* "setup", "recovery", "unlock", "main" or "error". */
const char  *koers_window_get_page_name (KoersWindow    *self);

/* Locks the vault and returns to the unlock page, clearing every field. */
void         koers_window_lock          (KoersWindow    *self);

G_END_DECLS
