/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-export.h: case-level data for analysis and the funder.
 *
 * The pseudonymised export holds no name, alias, V-number, phone number,
 * birth date (the year only) or free text; each client is a stable keyed
 * pseudonym (BLAKE2b keyed with the office secret), so the same client
 * links across exports and nobody without the secret can reverse it. A
 * named export exists only with @with_names and is recorded in the audit.
 * See docs/office.md, "Reports".
 */
#pragma once

#include <gio/gio.h>

#include "koers-store.h"

G_BEGIN_DECLS

/* The office secret must be at least this long (crypto_generichash's key). */
#define KOERS_OFFICE_SECRET_MIN_BYTES 16
#define KOERS_OFFICE_SECRET_MAX_BYTES 64

typedef enum
{
  KOERS_EXPORT_FORMAT_CSV,
  KOERS_EXPORT_FORMAT_JSON,
} KoersExportFormat;

/* Whether @secret can key pseudonyms (16 to 64 bytes). */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_check_secret          (GBytes            *secret,
                                             GError           **error);
/* "K-" and 20 hex digits of BLAKE2b (keyed with @secret) over the client's
 * id. */
char    *koers_office_pseudonym             (GBytes            *secret,
                                             const char        *client_id);

G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_export_pseudonymised  (KoersStore        *store,
                                             GBytes            *secret,
                                             KoersExportFormat  format,
                                             gboolean           with_names,
                                             GOutputStream     *out,
                                             GError           **error);

/* Text helpers the report writers share. */
void     koers_office_csv_field             (GString           *out,
                                             const char        *text);
void     koers_office_json_string           (GString           *out,
                                             const char        *text);
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_write_all             (GOutputStream     *out,
                                             GString           *text,
                                             GError           **error);

G_END_DECLS
