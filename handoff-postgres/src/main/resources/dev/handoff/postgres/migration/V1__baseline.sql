-- handoff-postgres schema version 1.
-- Applied by dev.handoff.postgres.PostgresSchema inside one transaction, with search_path set to the target schema
-- (default "handoff"); names below are therefore unqualified. Every table carries tenant_id and every key and
-- index starts with it: the stores bind a tenant once and put it in every WHERE clause.
-- purge_after is set when a row is written (write time + the configured retention) and read by purgeExpired().

-- Packaged contexts: the signed handoff.context/v1 document as written by ContextJson (text, byte for byte, so
-- the signature still verifies; jsonb would reorder keys and refuse \u0000).
CREATE TABLE contexts (
    tenant_id   text        NOT NULL,
    context_id  text        NOT NULL,
    session_id  text        NOT NULL,
    customer_id text,
    created_at  timestamptz NOT NULL,
    stored_at   timestamptz NOT NULL,
    purge_after timestamptz NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    document    text        NOT NULL,
    PRIMARY KEY (tenant_id, context_id)
);
CREATE INDEX contexts_by_session  ON contexts (tenant_id, session_id, created_at DESC, seq DESC);
CREATE INDEX contexts_by_customer ON contexts (tenant_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX contexts_by_purge    ON contexts (tenant_id, purge_after);

-- Which sessions belong to which customer, so "delete this customer's data" finds every row of theirs.
CREATE TABLE customer_sessions (
    tenant_id   text        NOT NULL,
    customer_id text        NOT NULL,
    session_id  text        NOT NULL,
    linked_at   timestamptz NOT NULL,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, session_id)
);
CREATE INDEX customer_sessions_by_session ON customer_sessions (tenant_id, session_id);
CREATE INDEX customer_sessions_by_purge   ON customer_sessions (tenant_id, purge_after);

-- Commitment ledger: one book per session (the row that numbers c-1, c-2, ... and serialises changes of one
-- session across instances) and its append-only events; a commitment's state is its newest event.
CREATE TABLE commitment_books (
    tenant_id   text        NOT NULL,
    session_id  text        NOT NULL,
    last_number integer     NOT NULL,
    updated_at  timestamptz NOT NULL,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_id)
);
CREATE INDEX commitment_books_by_purge ON commitment_books (tenant_id, purge_after);

CREATE TABLE commitment_events (
    tenant_id     text        NOT NULL,
    session_id    text        NOT NULL,
    seq           bigint      GENERATED ALWAYS AS IDENTITY,
    commitment_id text        NOT NULL,
    number        integer     NOT NULL,
    action        text        NOT NULL CHECK (action IN ('RECORDED', 'VERIFIED')),
    status        text        NOT NULL,
    at            timestamptz NOT NULL,
    body          text        NOT NULL,
    PRIMARY KEY (tenant_id, session_id, seq),
    FOREIGN KEY (tenant_id, session_id) REFERENCES commitment_books (tenant_id, session_id) ON DELETE CASCADE
);
CREATE INDEX commitment_events_by_commitment ON commitment_events (tenant_id, session_id, commitment_id, seq DESC);

-- First-minute verification deadlines. A due row is claimed by exactly one instance (FOR UPDATE SKIP LOCKED,
-- then state CLAIMED with a lease); a claim whose lease ran out (its instance died) is claimed again.
CREATE TABLE commitment_deadlines (
    tenant_id   text        NOT NULL,
    session_id  text        NOT NULL,
    due_at      timestamptz NOT NULL,
    state       text        NOT NULL CHECK (state IN ('PENDING', 'CLAIMED', 'FIRED', 'CANCELLED')),
    claimed_by  text,
    claim_until timestamptz,
    claims      integer     NOT NULL DEFAULT 0,
    fired_at    timestamptz,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_id)
);
CREATE INDEX commitment_deadlines_due      ON commitment_deadlines (tenant_id, due_at) WHERE state IN ('PENDING', 'CLAIMED');
CREATE INDEX commitment_deadlines_by_purge ON commitment_deadlines (tenant_id, purge_after);

-- Tickets issued for contexts: bound to an agent or not, redeemed once. Only the SHA-256 of a ticket is kept,
-- never the ticket (a bearer credential).
CREATE TABLE tickets (
    tenant_id   text        NOT NULL,
    ticket_hash text        NOT NULL,
    context_id  text        NOT NULL,
    session_id  text        NOT NULL,
    bound_agent text,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    redeemed_by text,
    redeemed_at timestamptz,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, ticket_hash)
);
CREATE INDEX tickets_by_session ON tickets (tenant_id, session_id);
CREATE INDEX tickets_by_purge   ON tickets (tenant_id, purge_after);

-- Every redemption attempt, refused ones included.
CREATE TABLE ticket_redemptions (
    tenant_id   text        NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    ticket_hash text        NOT NULL,
    actor       text        NOT NULL,
    outcome     text        NOT NULL,
    at          timestamptz NOT NULL,
    context_id  text,
    session_id  text,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX ticket_redemptions_by_ticket  ON ticket_redemptions (tenant_id, ticket_hash, seq);
CREATE INDEX ticket_redemptions_by_session ON ticket_redemptions (tenant_id, session_id);
CREATE INDEX ticket_redemptions_by_purge   ON ticket_redemptions (tenant_id, purge_after);

-- Audit records: ids and outcome codes only (AuditRecord has no free-text field). Append-only: the application
-- needs INSERT and SELECT, and a trigger refuses UPDATE, DELETE and TRUNCATE even from the table's owner.
CREATE TABLE audit_records (
    tenant_id   text        NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    session_id  text        NOT NULL,
    context_id  text,
    outcome     text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_records_by_session ON audit_records (tenant_id, session_id, seq);
CREATE INDEX audit_records_by_time    ON audit_records (tenant_id, at);

CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_records is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_records_no_update BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
