/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-settings.h: the app's GSettings and where the vault lives. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The nl.koers.Koers settings, or NULL when the schema is not installed
 * (running uninstalled without GSETTINGS_SCHEMA_DIR): callers then use
 * the schema's defaults. */
GSettings *koers_settings_new           (void);

/* The vault folder: $KOERS_VAULT_DIR if set (tests), else the
 * "vault-folder" setting if not empty, else $XDG_DATA_HOME/koers/vault. */
char      *koers_settings_dup_vault_dir (GSettings *settings);

/* Sets up the messages at startup, before GTK initialises (with GTK's own
 * setlocale disabled): a "language" setting other than "" overrides
 * LANGUAGE, then the locale is set from the environment and Koers' text
 * domain bound to @localedir. */
void        koers_settings_setup_language (const char *localedir);

/* The "language" setting that koers_settings_setup_language() applied ("" for
 * the computer's language, also when it did not run). */
const char *koers_settings_get_startup_language (void);

/* Idle minutes before locking (the schema's default without settings). */
guint      koers_settings_get_auto_lock_minutes (GSettings *settings);

G_END_DECLS
