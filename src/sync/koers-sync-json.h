/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-json.h: the strict JSON Lines check of a batch's payload
 * (internal to src/sync/). Allocates nothing: the fuzzers feed it anything. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if @data is one or more lines, each a JSON object (RFC 8259, valid
 * UTF-8, nested at most 64 deep) ending in '\n', each with exactly one
 * top-level "seq" member, a non-negative integer; the seqs strictly
 * ascending from @first_seq to @last_seq. The number of lines into
 * @n_lines. On FALSE, @line is the 1-based line at fault and @why a
 * short reason in English for the logs. */
gboolean koers_sync_jsonl_check (const char  *data,
                                 gsize        len,
                                 guint64      first_seq,
                                 guint64      last_seq,
                                 guint       *n_lines,
                                 guint       *line,
                                 const char **why);

G_END_DECLS
