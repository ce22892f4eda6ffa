-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 9: team sync (issue 12). A laptop reads the batches of
-- the other devices of its steunpunt from the drop and merges them; per
-- device it keeps how far it has read (the last batch merged: the chain
-- state its next batch must continue), and the batches it refused, with
-- the reason. Rows are written in the same transaction as the merge, so a
-- kill mid-pull loses nothing and merges nothing twice.
CREATE TABLE sync_peer (
  device_id    TEXT PRIMARY KEY,
  epoch        INTEGER NOT NULL DEFAULT 0,
  last_seq     INTEGER NOT NULL DEFAULT 0,
  hash         BLOB,
  batches      INTEGER NOT NULL DEFAULT 0,
  changes      INTEGER NOT NULL DEFAULT 0,
  last_read_ms INTEGER NOT NULL DEFAULT 0
);

-- A batch of a colleague that did not verify or merge. size: as the
-- drop listed it, so the same file is not fetched again every round; a
-- file replaced on the drop (another size) is looked at again.
CREATE TABLE sync_peer_quarantine (
  device_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  hash        BLOB NOT NULL,
  reason_code TEXT NOT NULL,
  reason      TEXT NOT NULL,
  at_ms       INTEGER NOT NULL,
  PRIMARY KEY (device_id, name, hash)
);
