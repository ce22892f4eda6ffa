/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fictional clients for the benchmarks (bench-store, bench-vault): names in
 * Latin, Arabic, Ge'ez and Persian script, each with consent and
 * conversations with notes, imported through the store API. */
#pragma once

#include "koers-store.h"

G_BEGIN_DECLS

#define BENCH_CHECK(call)                                         \
  G_STMT_START {                                                  \
    if (!(call))                                                  \
      g_error ("%s: %s", #call, error ? error->message : "?");   \
  } G_STMT_END

/* Adds a steunpunt and a worker (the store's current worker from now on),
 * then @clients clients with @conversations conversations each, in
 * transactions of 1000 clients, from a fixed seed. Their names are added to
 * @names, their ids to @ids (either may be NULL). */
void  bench_clients_import  (KoersStore *store,
                             guint       clients,
                             guint       conversations,
                             GPtrArray  *names,
                             GPtrArray  *ids);

/* A note of a few sentences, as a volunteer writes one. */
char *bench_clients_notes   (GRand      *rand);

G_END_DECLS
