/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-client-file.h: a client's whole file in one read, and the use
 * cases that save it.
 *
 * KoersClientFile is the read model every view of a file shares (the
 * timeline, the printed summary, the plan page, the subject-access
 * export): the client with every record that belongs to it, read in one
 * transaction with one query per kind of record (not one per parent), each
 * list oldest first (by id: UUIDv7s are made in time order). The use cases
 * below are the rules the app, the CLI and the merge share; each is one
 * transaction. See docs/case-model.md. */
#pragma once

#include "koers-store.h"

G_BEGIN_DECLS

typedef struct
{
  KoersConversation *conversation;
  GPtrArray         *addenda;      /* KoersNoteAddendum * */
  GPtrArray         *next_steps;   /* KoersNextStep * */
} KoersFileConversation;

typedef struct
{
  KoersReturnPlan *plan;
  GPtrArray       *steps;          /* KoersReturnStep * */
  GPtrArray       *support_items;  /* KoersSupportItem * */
  GPtrArray       *checkins;       /* KoersCheckin * */
} KoersFilePlan;

typedef struct
{
  KoersClient *client;
  gboolean     store_file_consent;  /* the latest store_file consent grants it */
  GPtrArray   *aliases;         /* KoersAlias * */
  GPtrArray   *family_links;    /* KoersFamilyLink * */
  GPtrArray   *consents;        /* KoersConsent * */
  GPtrArray   *conversations;   /* KoersFileConversation * */
  GPtrArray   *referrals;       /* KoersReferral * */
  GPtrArray   *plans;           /* KoersFilePlan *: the newest (current) last */
} KoersClientFile;

void koers_client_file_free (KoersClientFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersClientFile, koers_client_file_free)

/* The current return plan (the newest), or NULL. */
KoersFilePlan *koers_client_file_get_plan (const KoersClientFile *file);

/* Reads the client's file. With @audit_open, records in the audit that a
 * person opened it (in the same transaction); without, it only reads (a
 * refresh after a save, a printout, a read on the reader's thread). */
G_GNUC_WARN_UNUSED_RESULT
KoersClientFile *koers_store_read_file       (KoersStore         *self,
                                              const char         *client_id,
                                              gboolean            audit_open,
                                              GError            **error);

/* Saves a client's file as a person filled it in, all or nothing: the
 * client (new when its id is NULL: the id is set, and a new client without
 * a steunpunt gets the current worker's), a store_file consent record when
 * @consent differs from the latest one, and @aliases (NULL-terminated;
 * NULL: none), which become the client's aliases exactly. Records no
 * "open" in the audit: saving is not opening. */
G_GNUC_WARN_UNUSED_RESULT
gboolean         koers_store_save_client_file (KoersStore        *self,
                                               KoersClient       *client,
                                               gboolean           consent,
                                               const char *const *aliases,
                                               GError           **error);
/* The same, and @consents (KoersConsent *, or NULL: none) recorded with it
 * in the same transaction, each for this client (its client_id is set, a
 * new client's id being known only then) with its id set. The storage
 * consent is checked at the commit, after all of them: a withdrawal of
 * another scope never saves a file without it. */
G_GNUC_WARN_UNUSED_RESULT
gboolean         koers_store_save_client_consents (KoersStore        *self,
                                                   KoersClient       *client,
                                                   gboolean           consent,
                                                   const char *const *aliases,
                                                   GPtrArray         *consents,
                                                   GError           **error);

/* Saves a conversation with the next steps made with it, all or nothing:
 * new when its id is NULL (the id is set; held at the client's steunpunt
 * and by the current worker unless given), else updated. Each of
 * @new_steps (KoersNextStep *, or NULL) is added to it, owned by the
 * current worker unless given; their ids are set. The draft of the
 * conversation (of a new one: the client's draft of a new conversation)
 * goes in the same transaction. */
G_GNUC_WARN_UNUSED_RESULT
gboolean         koers_store_save_conversation (KoersStore        *self,
                                                KoersConversation *conversation,
                                                GPtrArray         *new_steps,
                                                GError           **error);

/* What a worker adopted for the first time is made with. */
typedef struct
{
  KoersRole   role;
  const char *steunpunt_name;   /* NULL: none; else a new steunpunt of this name */
} KoersNewWorker;

/* Makes the worker called @name (the name of the key slot that unlocked
 * the vault) the one changes are recorded for: the stored worker of that
 * name (an active one first). When there is none: with @if_new, a new
 * worker (and steunpunt) saved in one transaction; without, nobody. NULL
 * @name: nobody. */
G_GNUC_WARN_UNUSED_RESULT
gboolean         koers_store_adopt_worker      (KoersStore           *self,
                                                const char           *name,
                                                const KoersNewWorker *if_new,
                                                GError              **error);

G_END_DECLS
