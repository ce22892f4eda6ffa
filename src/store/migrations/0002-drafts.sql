-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 2: unsaved conversation drafts, local to this device.
-- The conversation editor autosaves here every few seconds so a crash loses
-- at most a few seconds of typing. Drafts live only inside the encrypted
-- vault; they are never written to the change log, the audit or a sync
-- batch, and never exported. conversation_id is '' for a conversation not
-- yet saved. A client's drafts go with the client's file.

CREATE TABLE draft (
  client_id       TEXT NOT NULL REFERENCES client (id) ON DELETE CASCADE,
  conversation_id TEXT NOT NULL DEFAULT '',
  saved_ms        INTEGER NOT NULL,
  content         TEXT NOT NULL,
  PRIMARY KEY (client_id, conversation_id)
);
