-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 7: merging changes from other devices (docs/case-model.md,
-- "Merge").

-- NULL: a change made on this device. Else the device whose batch brought
-- the change here (a merged change keeps its own hlc, device_id and
-- worker_id). The outbox sends only this device's own changes.
ALTER TABLE change_log ADD COLUMN origin TEXT;
-- "Is this change known?" and a record's history, one seek each.
CREATE INDEX change_log_record ON change_log (entity_id, entity, hlc, device_id);

-- Who changed a file from where: a merged change's stamp (HLC and device).
ALTER TABLE audit ADD COLUMN origin TEXT;

-- Open conflicts: a field with two or more current values (heads), each a
-- change-log stamp; field '*': a record deleted on one device and edited
-- later on another. Derived from the change log whenever a record is
-- merged; the id stays while the conflict is open.
CREATE TABLE sync_conflict (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  client_id TEXT,
  field     TEXT NOT NULL,
  heads     TEXT NOT NULL,  -- JSON array of stamps, ascending
  shown     TEXT NOT NULL,  -- the stamp provisionally shown
  UNIQUE (entity_id, entity, field)
);
CREATE INDEX sync_conflict_client ON sync_conflict (client_id);

-- Records the log says exist but whose parent or referenced record has not
-- arrived (or is gone): made as soon as it is.
CREATE TABLE sync_orphan (
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  waiting_for TEXT NOT NULL,
  PRIMARY KEY (entity_id, entity)
) WITHOUT ROWID;
CREATE INDEX sync_orphan_waiting ON sync_orphan (waiting_for);
