/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-private.h: what the parts of KoersOffice share (internal). */
#pragma once

#include "koers-office.h"

G_BEGIN_DECLS

struct _KoersOffice
{
  GObject     parent_instance;
  KoersStore *store;
};

/* Runs the one-row write @sql in a transaction of its own, its
 * parameters bound in order from the arguments after @types: 'i' a
 * gint64, 't' a string (const char *, may be NULL). */
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_write_row (KoersOffice  *self,
                                 GError      **error,
                                 const char   *sql,
                                 const char   *types,
                                 ...);

/* The team key of steunpunt @steunpunt_id, with its secret. */
G_GNUC_WARN_UNUSED_RESULT
KoersSyncKey *koers_office_team_key (KoersOffice  *self,
                                     const char   *steunpunt_id,
                                     GError      **error);

/* koers-office-outbox.c: its tables (koers_office_new()); whether every
 * active device of @steunpunt other than @device has read @device's batch
 * @name (drop clean); the office folders' batches that every device has
 * read, deleted after the grace period. */
gboolean koers_office_outbox_init       (KoersOffice  *self,
                                         GError      **error);
gboolean koers_office_batch_read_by_all (KoersOffice  *self,
                                         const char   *steunpunt,
                                         const char   *device,
                                         const char   *name);
G_GNUC_WARN_UNUSED_RESULT
gboolean koers_office_clean_outbox      (KoersOffice    *self,
                                         KoersDavClient *drop,
                                         guint           grace_days,
                                         guint          *n_deleted,
                                         GCancellable   *cancellable,
                                         GError        **error);
/* The setting of a steunpunt's current team secret: the prefix, then its
 * id; an older generation's adds "." and the generation. */
#define KOERS_OFFICE_TEAM_SEED_PREFIX "office.team-seed."

/* A new chain for the steunpunt @steunpunt_id (its seed kept in the
 * vault, inside the caller's transaction): its generation 1. */
G_GNUC_WARN_UNUSED_RESULT
KoersSyncKey *koers_office_new_team_chain (KoersOffice  *self,
                                           const char   *steunpunt_id,
                                           GError      **error);

G_END_DECLS
