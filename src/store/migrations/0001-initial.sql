-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 1 of the Koers case model (see docs/case-model.md).
-- Applied by koers-store.c inside one transaction, which then sets
-- PRAGMA user_version = 1. Dates are 'YYYY-MM-DD' text; lists are JSON
-- arrays of strings; enumerations are lower-case text. Tables that feed the
-- search index carry an INTEGER PRIMARY KEY (rid) so the index keys survive
-- VACUUM; every other table is keyed by its UUIDv7 text id alone.

CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Reference data -----------------------------------------------------------

CREATE TABLE steunpunt (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT
);

CREATE TABLE worker (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('volunteer', 'counsellor', 'consultant', 'coordinator')),
  steunpunt_id TEXT REFERENCES steunpunt (id),
  active       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE partner_org (
  id      TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  country TEXT NOT NULL
);
CREATE INDEX partner_org_country ON partner_org (country);

CREATE TABLE referral_org (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL
);

-- The client's file ----------------------------------------------------------

CREATE TABLE client (
  rid               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  name              TEXT NOT NULL,
  birth_year        INTEGER,
  birth_date        TEXT,
  gender            TEXT,
  country_of_origin TEXT,
  nationality       TEXT,
  languages         TEXT,
  needs_interpreter INTEGER NOT NULL DEFAULT 0,
  v_number          TEXT,
  phone             TEXT,
  procedure_status  TEXT,
  arrival_year      INTEGER,
  intake_channel    TEXT,
  referred_by_id    TEXT REFERENCES referral_org (id),
  steunpunt_id      TEXT REFERENCES steunpunt (id),
  phase             TEXT NOT NULL,
  outcome           TEXT,
  closed_on         TEXT
);
CREATE INDEX client_closed ON client (phase, closed_on);

CREATE TABLE alias (
  rid       INTEGER PRIMARY KEY,
  id        TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES client (id),
  name      TEXT NOT NULL
);
CREATE INDEX alias_client ON alias (client_id);

CREATE TABLE family_link (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL REFERENCES client (id),
  relative_id TEXT NOT NULL REFERENCES client (id),
  relation    TEXT NOT NULL
);
CREATE INDEX family_link_client ON family_link (client_id);
CREATE INDEX family_link_relative ON family_link (relative_id);

CREATE TABLE consent (
  id             TEXT PRIMARY KEY,
  client_id      TEXT NOT NULL REFERENCES client (id),
  kind           TEXT NOT NULL,
  granted        INTEGER NOT NULL,
  recorded_on    TEXT NOT NULL,
  recorded_by_id TEXT REFERENCES worker (id)
);
CREATE INDEX consent_client ON consent (client_id, kind);

CREATE TABLE conversation (
  rid                 INTEGER PRIMARY KEY,
  id                  TEXT NOT NULL UNIQUE,
  client_id           TEXT NOT NULL REFERENCES client (id),
  held_on             TEXT NOT NULL,
  duration_minutes    INTEGER,
  steunpunt_id        TEXT REFERENCES steunpunt (id),
  worker_ids          TEXT,
  interpreter_present INTEGER NOT NULL DEFAULT 0,
  topics              TEXT,
  barriers            TEXT,
  psychosocial_signal INTEGER NOT NULL DEFAULT 0,
  notes               TEXT
);
CREATE INDEX conversation_client ON conversation (client_id);
CREATE INDEX conversation_signal ON conversation (client_id) WHERE psychosocial_signal;

CREATE TABLE note_addendum (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversation (id),
  written_on      TEXT NOT NULL,
  author_id       TEXT REFERENCES worker (id),
  text            TEXT NOT NULL
);
CREATE INDEX note_addendum_conversation ON note_addendum (conversation_id);

CREATE TABLE next_step (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversation (id),
  description     TEXT NOT NULL,
  owner_id        TEXT REFERENCES worker (id),
  due_on          TEXT,
  done            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX next_step_conversation ON next_step (conversation_id);
CREATE INDEX next_step_due ON next_step (due_on) WHERE NOT done;

CREATE TABLE referral (
  id              TEXT PRIMARY KEY,
  client_id       TEXT NOT NULL REFERENCES client (id),
  organisation_id TEXT REFERENCES referral_org (id),
  counsellor_id   TEXT REFERENCES worker (id),
  reason          TEXT,
  referred_on     TEXT NOT NULL,
  outcome         TEXT
);
CREATE INDEX referral_client ON referral (client_id);

CREATE TABLE return_plan (
  id                TEXT PRIMARY KEY,
  client_id         TEXT NOT NULL REFERENCES client (id),
  country           TEXT NOT NULL,
  region            TEXT,
  partner_id        TEXT REFERENCES partner_org (id),
  consultant_id     TEXT REFERENCES worker (id),
  planned_departure TEXT,
  departed_on       TEXT,
  document_status   TEXT,
  status            TEXT NOT NULL
);
CREATE INDEX return_plan_client ON return_plan (client_id);

CREATE TABLE return_step (
  id          TEXT PRIMARY KEY,
  plan_id     TEXT NOT NULL REFERENCES return_plan (id),
  description TEXT NOT NULL,
  owner       TEXT NOT NULL,
  due_on      TEXT,
  done        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX return_step_plan ON return_step (plan_id);
CREATE INDEX return_step_due ON return_step (due_on) WHERE NOT done;

CREATE TABLE support_item (
  id          TEXT PRIMARY KEY,
  plan_id     TEXT NOT NULL REFERENCES return_plan (id),
  kind        TEXT NOT NULL,
  description TEXT,
  status      TEXT NOT NULL
);
CREATE INDEX support_item_plan ON support_item (plan_id);

CREATE TABLE checkin (
  id                TEXT PRIMARY KEY,
  plan_id           TEXT NOT NULL REFERENCES return_plan (id),
  month             INTEGER NOT NULL,
  due_on            TEXT NOT NULL,
  held_on           TEXT,
  social_contacts   TEXT,
  economic_activity TEXT,
  housing           TEXT,
  safety_concerns   TEXT,
  notes             TEXT
);
CREATE INDEX checkin_plan ON checkin (plan_id);
CREATE INDEX checkin_due ON checkin (due_on) WHERE held_on IS NULL;

-- Notes are append-only once saved: a correction is a new addendum.
CREATE TRIGGER conversation_notes_append_only
BEFORE UPDATE OF notes ON conversation
WHEN old.notes IS NOT NULL AND new.notes IS NOT old.notes
BEGIN
  SELECT RAISE (ABORT, 'koers: saved notes are append-only');
END;

CREATE TRIGGER note_addendum_append_only
BEFORE UPDATE ON note_addendum
BEGIN
  SELECT RAISE (ABORT, 'koers: saved notes are append-only');
END;

-- History ---------------------------------------------------------------------

-- One row per local insert/update/delete, written in the same transaction
-- by the store. hlc = wall-clock ms << 16 | counter. fields is a JSON object
-- of the changed fields (NULL for a delete: a tombstone; NULL after purge).
-- client_id is the file the record belongs to (NULL: reference data), so a
-- purge finds every value it must wipe.
CREATE TABLE change_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  hlc       INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  worker_id TEXT,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  client_id TEXT,
  op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  fields    TEXT
);
CREATE INDEX change_log_entity ON change_log (entity_id);
CREATE INDEX change_log_client ON change_log (client_id);

-- Who did what to which file, never what was in it.
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms     INTEGER NOT NULL,
  worker_id TEXT,
  action    TEXT NOT NULL CHECK (action IN ('open', 'create', 'change', 'export', 'delete', 'purge')),
  client_id TEXT,
  entity    TEXT
);
CREATE INDEX audit_client ON audit (client_id, at_ms);
CREATE INDEX audit_open ON audit (at_ms) WHERE action = 'open';

-- Search ------------------------------------------------------------------------

-- rowid = source rid * 4 + source kind (0 client name, 1 alias, 2
-- conversation notes, 3 addendum). The store writes it in the same
-- transaction as the record, with the text folded for search (no triggers:
-- the vault runs with trusted_schema off, which keeps virtual tables out of
-- triggers).
CREATE VIRTUAL TABLE search USING fts5 (
  name, notes, client_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
-- Ranked by bm25 with a match in a name worth ten in the notes.
INSERT INTO search (search, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
