-- handoff-postgres schema version 3: many instances, one contact centre (DESIGN-phase2.md).
-- Who drives each running handoff (a lease renewed by heartbeat, every owner write fenced) and the chat queues with
-- offers claimed exactly once. tenant_id starts every key. (The CRM outbox on PostgreSQL is not built yet: its table
-- comes with the migration that ships its code.)

-- Instances alive: each renews its row with its heartbeat.
CREATE TABLE instances (
    tenant_id    text        NOT NULL,
    instance_id  text        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    lease_until  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, instance_id)
);

-- Running and finished handoffs. owner + lease_until + fence: the owner renews the lease; another instance takes
-- over a handoff whose lease ran out (fence + 1), and every write of an owner names the fence it holds.
CREATE TABLE handoffs (
    tenant_id      text        NOT NULL,
    handoff_id     text        NOT NULL,
    session_id     text        NOT NULL,
    channel        text        NOT NULL,
    context_id     text,
    phase          text        NOT NULL,
    owner          text        NOT NULL,
    lease_until    timestamptz NOT NULL,
    fence          bigint      NOT NULL DEFAULT 1,
    requested_at   timestamptz NOT NULL,
    wait_until     timestamptz NOT NULL,
    outcome        text,           -- CONNECTED / RETURNED_TO_BOT once decided
    outcome_cause  text,           -- HandoffOutcome.Cause, e.g. OWNER_LOST
    taken_over     integer     NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL,
    purge_after    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, handoff_id)
);
CREATE INDEX handoffs_expired     ON handoffs (tenant_id, lease_until) WHERE outcome IS NULL;
CREATE INDEX handoffs_by_owner    ON handoffs (tenant_id, owner) WHERE outcome IS NULL;
CREATE INDEX handoffs_by_session  ON handoffs (tenant_id, session_id);
CREATE INDEX handoffs_by_purge    ON handoffs (tenant_id, purge_after);

-- Chat queues: a closed flag per queue, and the agents signed in (renewed with their instance's heartbeat).
CREATE TABLE queues (
    tenant_id text    NOT NULL,
    queue     text    NOT NULL,
    closed    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, queue)
);

CREATE TABLE queue_agents (
    tenant_id    text        NOT NULL,
    queue        text        NOT NULL,
    agent_id     text        NOT NULL,
    instance_id  text        NOT NULL,
    signed_in_at timestamptz NOT NULL,
    lease_until  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, queue, agent_id)
);
CREATE INDEX queue_agents_by_instance ON queue_agents (tenant_id, instance_id);

-- Offers: WAITING until an agent claims it (FOR UPDATE SKIP LOCKED: exactly one agent gets it), CLAIMED until the
-- agent accepts (ACCEPTED) or declines (WAITING again, claims + 1), EXPIRED / WITHDRAWN by its owner instance.
-- The ticket is kept so an agent on another instance can redeem the context (it expires with the context's ticket).
CREATE TABLE offers (
    tenant_id    text        NOT NULL,
    offer_id     text        NOT NULL,
    queue        text        NOT NULL,
    session_id   text        NOT NULL,
    context_id   text        NOT NULL,
    ticket       text        NOT NULL,
    target_id    text        NOT NULL,
    priority     text        NOT NULL,
    rank         integer     NOT NULL,        -- URGENT/HIGH first
    timeout_ms   bigint      NOT NULL,
    owner        text        NOT NULL,        -- the instance whose handoff waits for it
    enqueued_at  timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    state        text        NOT NULL CHECK (state IN ('WAITING', 'CLAIMED', 'ACCEPTED', 'EXPIRED', 'WITHDRAWN')),
    claimed_by   text,
    claim_until  timestamptz,
    claims       integer     NOT NULL DEFAULT 0,
    decided_at   timestamptz,
    purge_after  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, offer_id)
);
CREATE INDEX offers_waiting    ON offers (tenant_id, queue, rank DESC, enqueued_at) WHERE state = 'WAITING';
CREATE INDEX offers_by_owner   ON offers (tenant_id, owner) WHERE state IN ('WAITING', 'CLAIMED');
CREATE INDEX offers_by_session ON offers (tenant_id, session_id);
CREATE INDEX offers_by_purge   ON offers (tenant_id, purge_after);
