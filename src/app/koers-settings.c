/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-settings"

#include <glib/gi18n.h>
#include <locale.h>

#include "koers-settings.h"

#define DEFAULT_AUTO_LOCK_MINUTES 5

static char *startup_language;

GSettings *
koers_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("Settings schema %s is not installed; using defaults", APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

char *
koers_settings_dup_vault_dir (GSettings *settings)
{
  const char *env = g_getenv ("KOERS_VAULT_DIR");
  g_autofree char *folder = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  if (settings != NULL)
    folder = g_settings_get_string (settings, "vault-folder");
  if (folder != NULL && *folder != '\0')
    return g_steal_pointer (&folder);

  return g_build_filename (g_get_user_data_dir (), "koers", "vault", NULL);
}

guint
koers_settings_get_auto_lock_minutes (GSettings *settings)
{
  if (settings == NULL)
    return DEFAULT_AUTO_LOCK_MINUTES;
  return g_settings_get_uint (settings, "auto-lock-minutes");
}

static gboolean
is_c_locale (const char *name)
{
  return g_strcmp0 (name, "C") == 0 || g_strcmp0 (name, "POSIX") == 0;
}

static char *
dup_language_setting (void)
{
  g_autoptr(GSettings) settings = koers_settings_new ();

  if (settings == NULL)
    return g_strdup ("");
  return g_settings_get_string (settings, "language");
}

void
koers_settings_setup_language (const char *localedir)
{
  g_autofree char *language = dup_language_setting ();

  g_return_if_fail (localedir != NULL);

  if (*language != '\0')
    g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE under the C locale; C.UTF-8 (built into
   * glibc) keeps the same rules but lets the chosen language through. */
  if (*language != '\0' && is_c_locale (setlocale (LC_MESSAGES, NULL)))
    setlocale (LC_MESSAGES, "C.UTF-8");

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_free (startup_language);
  startup_language = g_steal_pointer (&language);
}

const char *
koers_settings_get_startup_language (void)
{
  return startup_language != NULL ? startup_language : "";
}
