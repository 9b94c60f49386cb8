-- handoff-postgres schema version 5: single-use tickets recorded once across instances, and no bearer credential
-- in the database.

-- tickets: now the one cross-instance record of single-use redemptions. Core's TicketRedeemer checks a ticket (MAC,
-- expiry, binding, the context's signature) and then claims it here (PostgresRedeemedTickets): the first INSERT of
-- (tenant_id, ticket_hash) wins, on any instance. A row is written when a ticket is first redeemed, not when it is
-- issued, so rows registered before (never redeemed) mean nothing and go; ticket_hash is the SHA-256 of the ticket's
-- MAC. The binding is checked from the signed ticket, so bound_agent and issued_at are no longer kept.
DELETE FROM tickets WHERE redeemed_at IS NULL;
ALTER TABLE tickets DROP COLUMN bound_agent, DROP COLUMN issued_at;
ALTER TABLE tickets ALTER COLUMN redeemed_by SET NOT NULL, ALTER COLUMN redeemed_at SET NOT NULL;

-- ticket_redemptions: every attempt is audited once, in audit_records (TICKET_REDEEMED / TICKET_REFUSED with the
-- actor and the reason's code), whichever instance redeems. Attempts recorded here before move there.
INSERT INTO audit_records (tenant_id, at, actor, action, session_id, context_id, outcome, recorded_at)
SELECT tenant_id, at, actor,
       CASE outcome WHEN 'REDEEMED' THEN 'TICKET_REDEEMED' ELSE 'TICKET_REFUSED' END,
       session_id, context_id,
       CASE outcome WHEN 'REDEEMED' THEN 'ok'
                    WHEN 'WRONG_AGENT' THEN 'wrong-agent'
                    WHEN 'EXPIRED' THEN 'expired'
                    WHEN 'ALREADY_REDEEMED' THEN 'already-used'
                    ELSE 'unknown-context' END,
       now()
FROM ticket_redemptions ORDER BY seq;
DROP TABLE ticket_redemptions;

-- offers: the ticket without its MAC (context id, expiry, scope flags, key id, binding hashes), no longer the signed
-- bearer ticket. The instance that hands an offer to an agent signs it again with the key it names (Tickets.sign):
-- every instance holds the signing keys, the database does not, so a copy of this table redeems nothing. Open offers
-- keep going: their tickets lose the last dot-separated part, the MAC.
ALTER TABLE offers ADD COLUMN ticket_unsigned text;
UPDATE offers SET ticket_unsigned = regexp_replace(ticket, '\.[^.]*$', '');
ALTER TABLE offers ALTER COLUMN ticket_unsigned SET NOT NULL;
ALTER TABLE offers DROP COLUMN ticket;
