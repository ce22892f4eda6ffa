-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 4: two reads of every unlock no longer visit every row.
-- The clock's last stamp (SELECT max (hlc) FROM change_log) read the whole
-- change log — 0.35 s at 10k demo clients, once per connection. Today's
-- "Recently Opened" read each 'open' row of the audit for its client. Each
-- is now a seek or a walk over a small index.
CREATE INDEX change_log_hlc ON change_log (hlc);
CREATE INDEX audit_open_client ON audit (client_id) WHERE action = 'open';  -- with seq, the rowid: covering
