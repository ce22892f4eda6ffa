/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-dav-multistatus.h: the entries of a PROPFIND Depth 1 answer.
 *
 * A careful reader of the RFC 4918 multistatus body: namespaces resolved
 * (Apache names its live properties lp1:, others D: or d:), each href
 * percent-decoded and checked, the folder itself and anything outside it
 * left out, nesting and counts capped. Only names, sizes and whether an
 * entry is a folder: nginx's dav-ext gives no getetag, and we need none.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *name;       /* one decoded path segment, valid UTF-8 */
  gint64   size;       /* getcontentlength, or -1 when not given */
  gboolean is_folder;  /* resourcetype holds a collection */
} KoersDavEntry;

void       koers_dav_entry_free            (KoersDavEntry *entry);

GPtrArray *koers_dav_multistatus_parse     (const char  *body,
                                            gsize        length,
                                            const char  *folder_path,
                                            GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersDavEntry, koers_dav_entry_free)

G_END_DECLS
