/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-report.c: what the office's reports need from the store
 * beyond the list API: the audit entry of a named export. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include "koers-store-private.h"

gboolean
koers_store_audit_named_export (KoersStore  *self,
                                guint        n_files,
                                GError     **error)
{
  g_autofree char *entity = g_strdup_printf ("named_export:%u", n_files);

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, koers_store_audit (self, "export", NULL, entity, error), error);
}
