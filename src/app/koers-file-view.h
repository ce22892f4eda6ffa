/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-file-view.h: what a client's file page shows, read on the store
 * reader's thread: the file (koers_store_read_file()), the names its
 * records point to (workers, organisations), whether its changes reached
 * the office; the timeline made from it (what is coming up apart from
 * what happened); and the duplicate check at intake. Plain functions, no
 * class; no widgets. */
#pragma once

#include <gio/gio.h>

#include "store/koers-client-file.h"
#include "store/koers-store-reader.h"

G_BEGIN_DECLS

/* Whether this client's changes have reached the national office. */
typedef enum
{
  KOERS_FILE_ON_LAPTOP_ONLY,   /* the laptop is not enrolled: nothing is sent */
  KOERS_FILE_WAITING,          /* changes wait for the next sync */
  KOERS_FILE_SENT,             /* on the drop, not yet confirmed by the office */
  KOERS_FILE_ARRIVED,          /* the office imported every change */
} KoersFileDelivery;

typedef struct
{
  KoersClientFile   *file;
  GHashTable        *names;     /* worker or referral organisation id → name */
  KoersFileDelivery  delivery;
  char              *today;     /* the store's today, YYYY-MM-DD */
  GPtrArray         *conflicts; /* KoersConflictItem: changed on two laptops (koers-conflict-view.h) */
} KoersFileView;

void koers_file_view_free (KoersFileView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersFileView, koers_file_view_free)

/* Reads the file of @client_id on @reader's thread (no audit entry). */
void           koers_file_view_read_async  (KoersStoreReader    *reader,
                                            const char          *client_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
KoersFileView *koers_file_view_read_finish (KoersStoreReader    *reader,
                                            GAsyncResult        *result,
                                            GError             **error);

/* The latest consent record of @kind (by date, then id, as the store
 * decides), or NULL: never asked. */
const KoersConsent *koers_file_view_latest_consent (const KoersFileView *view,
                                                    KoersConsentKind     kind);

/* One row of the timeline. */
typedef struct
{
  char          *date;             /* YYYY-MM-DD; "" when undated */
  char          *title;
  char          *subtitle;
  char          *conversation_id;  /* a conversation's row opens it */
  KoersReferral *referral;         /* a referral's row changes its status */
  gboolean       overdue;          /* coming up, but due before today */
} KoersFileEvent;

void koers_file_event_free (KoersFileEvent *event);

/* Splits the file into what is coming up (open next steps; plan steps and
 * check-ins not done of a plan not closed: soonest first, overdue first,
 * undated last) and
 * what happened (conversations, referrals, held check-ins and steps done:
 * newest first). Both arrays hold KoersFileEvent * and own them. */
void koers_file_view_timeline (const KoersFileView  *view,
                               GPtrArray           **upcoming,
                               GPtrArray           **history);

/* Clients who may be the person typed as @name, born in @birth_year (0:
 * not known), best first: koers_store_find_possible_duplicates() on the
 * reader's thread, keeping those that match more than one word of the name
 * (or the whole of a one-word name). A GPtrArray of
 * KoersPossibleDuplicate *. */
void       koers_file_view_find_duplicates_async  (KoersStoreReader    *reader,
                                                   const char          *name,
                                                   int                  birth_year,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *koers_file_view_find_duplicates_finish (KoersStoreReader    *reader,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
