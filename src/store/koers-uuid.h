/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-uuid.h: UUIDv7 ids made on the device (RFC 9562). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new UUIDv7 for @unix_ms, lower-case, 36 characters. Ids made in the
 * same process are strictly increasing (a 12-bit counter in rand_a within
 * one millisecond), so ORDER BY id is creation order. */
char     *koers_uuid7_new      (gint64      unix_ms);

/* TRUE if @text is a UUID in canonical lower-case form (any version). */
gboolean  koers_uuid_is_valid  (const char *text);

G_END_DECLS
