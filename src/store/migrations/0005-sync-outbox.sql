-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 5: what sync needs from the store (docs/case-model.md,
-- "Sync"). Field stamps and bases, so a receiver can tell a concurrent
-- edit from a later one; the outbox of sealed batches, the epoch and the
-- sync settings and secrets, all inside the encrypted vault.
--
-- A stamp is text: the HLC as 16 lower-case hex digits, ':', the device id
-- ("0001976f07e6a9fc:019771c3-..."); fixed width, so stamps compare as
-- strings in (HLC, device) order.

-- Per record, the stamp of each field's current value: a JSON object
-- field -> stamp, where "*" is the stamp of every field not named (the
-- insert's). Written with the change-log row. An insert writes no row: a
-- record without one has the stamp of its insert's change-log row on every
-- field. The first update makes the row ({"*": the insert's stamp, and the
-- changed fields}); a delete removes it (its tombstone carries the stamps
-- as its base).
CREATE TABLE record_stamp (
  entity_id TEXT NOT NULL,
  entity    TEXT NOT NULL,
  stamps    TEXT NOT NULL,
  PRIMARY KEY (entity_id, entity)
) WITHOUT ROWID;

-- Per change, the stamp each changed field replaced (an update: one key
-- per changed field; a tombstone: the record's stamps, "*" included; an
-- insert: NULL).
ALTER TABLE change_log ADD COLUMN bases TEXT;

-- Backfill: a value's stamp is the change-log row that last set it (an
-- insert sets every field); a row for each live record updated since its
-- insert.
INSERT INTO record_stamp (entity_id, entity, stamps)
SELECT i.entity_id, i.entity,
       json_patch (json_object ('*', printf ('%016x:%s', i.hlc, i.device_id)),
         (SELECT json_group_object (key, stamp) FROM (
            SELECT j.key AS key, printf ('%016x:%s', u.hlc, u.device_id) AS stamp, max (u.seq)
            FROM change_log u, json_each (u.fields) j
            WHERE u.entity_id = i.entity_id AND u.entity = i.entity AND u.op = 'update'
              AND u.seq > i.seq
            GROUP BY j.key)))
FROM change_log i
WHERE i.op = 'insert'
  AND NOT EXISTS (SELECT 1 FROM change_log d
                  WHERE d.entity_id = i.entity_id AND d.entity = i.entity AND d.seq > i.seq
                    AND d.op IN ('insert', 'delete'))
  AND EXISTS (SELECT 1 FROM change_log u
              WHERE u.entity_id = i.entity_id AND u.entity = i.entity AND u.seq > i.seq
                AND u.op = 'update');

-- The stamp the change-log row @seq of a record replaced for @key: the
-- latest earlier row of the record that set it.
UPDATE change_log AS u SET bases = (
  SELECT json_group_object (j.key, (
           SELECT printf ('%016x:%s', p.hlc, p.device_id) FROM change_log p
           WHERE p.entity_id = u.entity_id AND p.entity = u.entity AND p.seq < u.seq
             AND (p.op = 'insert' OR json_type (p.fields, '$."' || j.key || '"') IS NOT NULL)
           ORDER BY p.seq DESC LIMIT 1))
  FROM json_each (u.fields) j)
WHERE u.op = 'update' AND u.fields IS NOT NULL;

-- A tombstone's base: the record's stamps as they were before it.
UPDATE change_log AS d SET bases = (
  SELECT json_patch (json_object ('*', printf ('%016x:%s', i.hlc, i.device_id)),
           (SELECT json_group_object (key, stamp) FROM (
              SELECT j.key AS key, printf ('%016x:%s', u.hlc, u.device_id) AS stamp, max (u.seq)
              FROM change_log u, json_each (u.fields) j
              WHERE u.entity_id = d.entity_id AND u.entity = d.entity AND u.op = 'update'
                AND u.seq > i.seq AND u.seq < d.seq
              GROUP BY j.key)))
  FROM change_log i
  WHERE i.entity_id = d.entity_id AND i.entity = d.entity AND i.op = 'insert' AND i.seq < d.seq
  ORDER BY i.seq DESC LIMIT 1)
WHERE d.op = 'delete';

-- The outbox -----------------------------------------------------------------------

-- Settings and secrets of sync (the enrollment, the device's signing key):
-- in the vault, never in GSettings or a file.
CREATE TABLE sync_setting (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

-- One row. epoch: the current epoch (a vault restored from a backup starts
-- a new one instead of forking its chain). cut_seq: the last change-log
-- seq in a batch of this epoch. acked_seq: every change up to it is
-- acknowledged by the office.
CREATE TABLE sync_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  epoch           INTEGER NOT NULL CHECK (epoch >= 1),
  cut_seq         INTEGER NOT NULL,
  acked_seq       INTEGER NOT NULL,
  last_success_ms INTEGER,
  last_error      TEXT,
  last_error_ms   INTEGER
);
INSERT INTO sync_state (id, epoch, cut_seq, acked_seq) VALUES (1, 1, 0, 0);

-- Why and when each epoch began, at which seq.
CREATE TABLE sync_epoch (
  epoch      INTEGER PRIMARY KEY,
  first_seq  INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  reason     TEXT NOT NULL
);
INSERT INTO sync_epoch (epoch, first_seq, started_ms, reason)
  VALUES (1, 1, CAST ((julianday ('now') - 2440587.5) * 86400000 AS INTEGER), 'first');

-- Sealed batches: immutable once written; re-sending sends these bytes.
-- An acknowledged batch keeps its row (for the hash chain and restore
-- detection) and loses its bytes.
CREATE TABLE sync_batch (
  rid         INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL,
  epoch       INTEGER NOT NULL,
  first_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL CHECK (last_seq >= first_seq),
  sealed      BLOB,
  hash        BLOB NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('sealed', 'uploaded', 'acknowledged', 'quarantined')),
  reason      TEXT,
  sealed_ms   INTEGER NOT NULL,
  uploaded_ms INTEGER,
  acked_ms    INTEGER,
  UNIQUE (epoch, first_seq),
  CHECK ((state = 'acknowledged') = (sealed IS NULL))
);
CREATE INDEX sync_batch_last ON sync_batch (epoch, last_seq);
CREATE INDEX sync_batch_open ON sync_batch (state) WHERE state != 'acknowledged';
