-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 10: erasures that hold (issue 12). A client erased for
-- good (koers-office person erase, a retention purge at the office, the
-- office's decision applied on a laptop) is remembered by id only, so
-- that no batch that arrives later (a colleague who was offline, a
-- laptop that had not synced yet) brings any of the file back: the merge
-- leaves out every change of an erased client (koers_store_filter_erased()).
-- The id is a random UUID and names nobody; the file itself is gone.
-- id orders the erasures: the office sends them to the laptops in this
-- order (docs/sync-format.md "Office batch"). compacted = 0 while the
-- database may still hold the file in free pages or in the WAL (a kill
-- between the erasure's commit and the VACUUM): the next round compacts.
CREATE TABLE sync_erased (
  id        INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL UNIQUE,
  why       TEXT NOT NULL CHECK (why IN ('erase', 'retention')),
  at_ms     INTEGER NOT NULL,
  compacted INTEGER NOT NULL DEFAULT 0
);
