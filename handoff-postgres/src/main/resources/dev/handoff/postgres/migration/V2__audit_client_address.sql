-- handoff-postgres schema version 2.
-- The agent desktop audits actions that concern no conversation (signing in, a socket connecting, the wallboard),
-- and every record may name the client address the actor acted from (an IP literal, never more).
ALTER TABLE audit_records ALTER COLUMN session_id DROP NOT NULL;
ALTER TABLE audit_records ADD COLUMN client_address text;
