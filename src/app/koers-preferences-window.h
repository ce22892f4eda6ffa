/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-preferences-window.h: auto-lock time, language, steunpunt; for a
 * coordinator also the people who can open the vault (their key slots):
 * add one, remove one, reset a passphrase; and a new recovery key, shown
 * once, that makes the old one useless. Key derivation runs in a worker
 * thread. */
#pragma once

#include <adwaita.h>

#include "session/koers-session.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PREFERENCES_WINDOW (koers_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (KoersPreferencesWindow, koers_preferences_window, KOERS, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @session may be NULL (no vault yet); while it is locked only the
 * general settings show, and the steunpunt only while its store is open.
 * @coordinator shows the people page. */
KoersPreferencesWindow *koers_preferences_window_new (GtkWindow    *parent,
                                                      KoersSession *session,
                                                      gboolean      coordinator);

/* Whether a slot change (key derivation) is running in a worker (tests
 * wait on it). */
gboolean                koers_preferences_window_is_busy (KoersPreferencesWindow *self);

G_END_DECLS
