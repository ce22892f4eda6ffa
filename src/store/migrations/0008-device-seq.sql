-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 8: this device's own changes get a sequence of their own
-- (issue 12). change_log.seq numbers every row, merged changes included,
-- so a device that had merged another's changes between two of its own
-- would cut batches whose range has holes in its own numbering; the
-- envelope, the chain and the acknowledgements count the device's own
-- changes 1, 2, 3… without gaps (docs/sync-format.md). device_seq is
-- that count: set on a change made here (origin NULL), NULL on a merged
-- one. The outbox, the acknowledgements and the delivery state use it.
ALTER TABLE change_log ADD COLUMN device_seq INTEGER;

UPDATE change_log SET device_seq = own.n
FROM (SELECT seq, row_number () OVER (ORDER BY seq) AS n FROM change_log WHERE origin IS NULL) AS own
WHERE change_log.seq = own.seq;

-- The next number is max + 1, one seek; unique, so two can never share one.
CREATE UNIQUE INDEX change_log_device_seq ON change_log (device_seq) WHERE device_seq IS NOT NULL;
-- A client's own changes after the acknowledged one (its delivery state).
CREATE INDEX change_log_client_own ON change_log (client_id, device_seq)
  WHERE device_seq IS NOT NULL;

-- Until now the outbox counted in change_log.seq. Where a vault's own
-- changes up to its last cut were numbered without a merged one between
-- them (every laptop: only the office merged), both counts agree and the
-- outbox, its batches and the office's acknowledgements stay as they are.
-- Otherwise the sealed batches of this epoch name numbers of the old
-- count: the vault goes on in a new epoch, as a restored one does
-- (koers-store-sync.c, start_epoch()): batches not yet acknowledged are
-- cut again from the last acknowledged change, in the new count.
CREATE TEMP TABLE renumber AS
SELECT s.epoch AS epoch,
       coalesce ((SELECT max (device_seq) FROM change_log WHERE device_seq IS NOT NULL
                  AND seq <= s.acked_seq), 0) AS acked
FROM sync_state s
WHERE s.id = 1 AND EXISTS (SELECT 1 FROM change_log c WHERE c.device_seq IS NOT NULL
                             AND c.device_seq != c.seq AND c.seq <= s.cut_seq);

DELETE FROM sync_batch WHERE state != 'acknowledged' AND EXISTS (SELECT 1 FROM renumber);
INSERT INTO sync_epoch (epoch, first_seq, started_ms, reason)
  SELECT epoch + 1, acked + 1, CAST ((julianday ('now') - 2440587.5) * 86400000 AS INTEGER),
         'renumbered' FROM renumber;
UPDATE sync_state SET epoch = r.epoch + 1, cut_seq = r.acked, acked_seq = r.acked
  FROM renumber AS r WHERE sync_state.id = 1;
DROP TABLE renumber;
