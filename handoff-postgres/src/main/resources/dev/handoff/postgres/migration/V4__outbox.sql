-- handoff-postgres schema version 4: the CRM outbox shared by every instance (PostgresOutbox, the OutboxStore under
-- handoff-crm-adapters' OutboxDispatcher). tenant_id starts every key.

-- One row per push of one context to one CRM adapter. A pending row is claimed by one dispatcher at a time
-- (FOR UPDATE SKIP LOCKED, then claimed_by + claim_until + claims as the fence); a claim whose instance died runs
-- out and the row is claimed again. Delivered and dead rows stay until purge_after, so an idempotency key appended
-- again meanwhile is not pushed twice.
CREATE TABLE outbox (
    tenant_id        text        NOT NULL,
    entry_id         text        NOT NULL,
    adapter          text        NOT NULL,
    idempotency_key  text        NOT NULL,
    context_id       text        NOT NULL,
    session_id       text        NOT NULL,
    document         text        NOT NULL,     -- the context as the exact JSON ContextJson writes (as in contexts)
    state            text        NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
    failures         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    claimed_by       text,
    claim_until      timestamptz,
    claims           bigint      NOT NULL DEFAULT 0,
    enqueued_at      timestamptz NOT NULL,
    finished_at      timestamptz,
    receipt_system   text,
    receipt_record   text,
    receipt_url      text,
    dead_reason      text,                     -- the system, the call and the status; never a CRM's body
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    purge_after      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, entry_id),
    UNIQUE (tenant_id, adapter, idempotency_key)
);
CREATE INDEX outbox_due        ON outbox (tenant_id, next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX outbox_dead       ON outbox (tenant_id, finished_at) WHERE state = 'DEAD';
CREATE INDEX outbox_by_session ON outbox (tenant_id, session_id);
CREATE INDEX outbox_by_purge   ON outbox (tenant_id, purge_after);
