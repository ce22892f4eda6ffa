-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 3: the whole-store JSON Lines export and import are
-- audited. A full export is the largest disclosure there is, so it gets an
-- audit row like a subject-access export: who, when, and in `files` how
-- many client files it held (never what). The action 'import' is new.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt
-- (the 12 steps of https://sqlite.org/lang_altertable.html#otheralter),
-- keeping every row and its seq (AUTOINCREMENT: never reused).

CREATE TABLE audit_v3 (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms     INTEGER NOT NULL,
  worker_id TEXT,
  action    TEXT NOT NULL CHECK (action IN ('open', 'create', 'change', 'export', 'import',
                                            'delete', 'purge')),
  client_id TEXT,
  entity    TEXT,
  files     INTEGER CHECK (files >= 0)
);
INSERT INTO audit_v3 (seq, at_ms, worker_id, action, client_id, entity)
  SELECT seq, at_ms, worker_id, action, client_id, entity FROM audit ORDER BY seq;
DROP TABLE audit;
ALTER TABLE audit_v3 RENAME TO audit;
CREATE INDEX audit_client ON audit (client_id, at_ms);
CREATE INDEX audit_open ON audit (at_ms) WHERE action = 'open';
