-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema version 6: what a whole consultation hour needs (issue 9).
-- Stored values are renamed in place; the change log is not written: every
-- copy of a vault (each laptop, the office) runs this same migration on
-- its own rows, and an old value arriving later is read by its new name
-- (koers-record.c, legacy_names). See docs/case-model.md, "Version 6".

-- Referral organisations by the kinds a steunpunt refers to: Maatwerk bij
-- Terugkeer (return), legal aid, medical, mental-health care, shelter,
-- other. 'social' was used for shelter and social services: shelter.
UPDATE referral_org SET kind = CASE kind
  WHEN 'lawyer' THEN 'legal_aid'
  WHEN 'psychosocial' THEN 'mental_health'
  WHEN 'social' THEN 'shelter'
  ELSE kind END;

-- A referral has a status that moves (proposed, made, accepted, done,
-- declined) and the date of its last change. An old referral without an
-- outcome was made on its date; one the client did not go to (no_show)
-- ended without help: declined.
ALTER TABLE referral RENAME COLUMN outcome TO status;
UPDATE referral SET status = CASE status
  WHEN 'accepted' THEN 'accepted'
  WHEN 'declined' THEN 'declined'
  WHEN 'no_show' THEN 'declined'
  WHEN 'completed' THEN 'done'
  ELSE 'made' END;
ALTER TABLE referral ADD COLUMN status_on TEXT;
UPDATE referral SET status_on = referred_on;
-- An open referral is followed up a week after its last change: it is due
-- then on Today and in the client list's due filter (KOERS_OPEN_ITEMS_SQL).
CREATE INDEX referral_due ON referral (date (status_on, '+7 days'))
  WHERE status IN ('proposed', 'made', 'accepted');

-- A return plan moves draft -> agreed -> departed -> monitoring -> closed;
-- going back one step needs a reason (status_reason). A plan that was
-- active is agreed; completed and cancelled plans are closed.
UPDATE return_plan SET status = CASE status
  WHEN 'active' THEN 'agreed'
  WHEN 'completed' THEN 'closed'
  WHEN 'cancelled' THEN 'closed'
  ELSE status END;
ALTER TABLE return_plan ADD COLUMN status_reason TEXT;

-- A check-in that took place records both indicators explicitly; where an
-- old one recorded nothing, the answer is not known.
UPDATE checkin SET social_contacts = 'not_known'
  WHERE held_on IS NOT NULL AND social_contacts IS NULL;
UPDATE checkin SET economic_activity = 'not_known'
  WHERE held_on IS NOT NULL AND economic_activity IS NULL;

-- Consent: how it was given (spoken, written). The latest record of a
-- kind for a client is one index seek (has_consent, per client of a sync
-- batch).
ALTER TABLE consent ADD COLUMN given_how TEXT;
DROP INDEX consent_client;
CREATE INDEX consent_latest ON consent (client_id, kind, recorded_on, id);
