/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-batch-files.h: what a laptop's readers of a folder of
 * batches share (internal to src/sync): its colleagues' folders
 * (koers-sync-pull.c) and the office's (koers-sync-office-feed.c). */
#pragma once

#include "koers-dav-client.h"
#include "koers-envelope.h"
#include "koers-store.h"

G_BEGIN_DECLS

/* The batch files (KoersDavEntry) in @folder ("…/"), in name = chain
 * order. A folder that is not there: none when @missing_ok, else the
 * error. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray *koers_sync_list_batch_files (KoersDavClient *client,
                                        const char     *folder,
                                        gboolean        missing_ok,
                                        GCancellable   *cancellable,
                                        GError        **error);

/* How far @peer was read, as the chain state its next batch continues. */
void       koers_sync_chain_of_peer    (const KoersPeerState *peer,
                                        KoersChainState      *chain);

/* TRUE when the batch (@epoch, @last) is at or before @chain. */
gboolean   koers_sync_chain_has_read   (const KoersChainState *chain,
                                        guint32                epoch,
                                        guint64                last);

G_END_DECLS
