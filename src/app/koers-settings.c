/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-settings"

#include "koers-settings.h"

#define DEFAULT_AUTO_LOCK_MINUTES 5

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
