/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-vfs-testing.h: for SQLite's own test suite only
 * (build-aux/sqlite-tests), never for the app. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers a koers VFS named @name over the VFS named @below_name (NULL:
 * the default), opening every database without a binding with the fixed
 * @master_key (32 bytes) and @db_id (16 bytes). @below_name may name a VFS
 * that is registered later (SQLite's crash VFS): it is looked up at the
 * first open. Calling it again with the same @name re-registers the same
 * layer. Returns an SQLite result code. */
int  koers_vfs_register_for_testing  (const char   *name,
                                      const char   *below_name,
                                      const guint8 *master_key,
                                      const guint8 *db_id,
                                      gboolean      make_default);

G_END_DECLS
