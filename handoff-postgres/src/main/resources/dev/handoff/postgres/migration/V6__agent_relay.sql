-- handoff-postgres schema version 6: an agent on one instance acts on a handoff another instance runs.
-- agent_actions carries the agent's actions to the instance that owns the handoff (handoffs.owner), which claims
-- them in order (FOR UPDATE SKIP LOCKED), applies each once through its own AgentActions and writes the result back
-- in the same transaction; agent_feed carries what then happens on the owner (turns, commitments, reads, phases)
-- back to the instances whose agents watch the handoff. NOTIFY wakes both sides; both also poll. tenant_id starts
-- every key.

-- One row per action: PENDING until the owner applies it (APPLIED, with the result as JSON) or refuses it (REFUSED,
-- with the error's kind and message), or until the agent's instance stops waiting (EXPIRED: never applied after).
-- kind: WATCH (relay this handoff's events to from_instance), READ, CONFIRM, CORRECT, REVOKE, SEND, HAND_BACK.
CREATE TABLE agent_actions (
    tenant_id      text        NOT NULL,
    action_id      text        NOT NULL,
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    handoff_id     text        NOT NULL,
    session_id     text        NOT NULL,
    context_id     text        NOT NULL,
    from_instance  text        NOT NULL,
    agent_id       text        NOT NULL,
    client_address text,
    kind           text        NOT NULL CHECK (kind IN ('WATCH', 'READ', 'CONFIRM', 'CORRECT', 'REVOKE', 'SEND', 'HAND_BACK')),
    commitment_id  text,
    body           text,           -- the message, the corrected value or the hand-back note
    state          text        NOT NULL CHECK (state IN ('PENDING', 'APPLIED', 'REFUSED', 'EXPIRED')),
    applied_by     text,
    result         text,           -- APPLIED: JSON; REFUSED: the error's kind and message (ids and codes, no text)
    created_at     timestamptz NOT NULL,
    decided_at     timestamptz,
    purge_after    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, action_id)
);
CREATE INDEX agent_actions_pending    ON agent_actions (tenant_id, handoff_id, seq) WHERE state = 'PENDING';
CREATE INDEX agent_actions_by_session ON agent_actions (tenant_id, session_id);
CREATE INDEX agent_actions_by_purge   ON agent_actions (tenant_id, purge_after);

-- One row per event of a watched handoff, written by its owner in order (seq grows with each owner's commits).
CREATE TABLE agent_feed (
    tenant_id   text        NOT NULL,
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    handoff_id  text        NOT NULL,
    session_id  text        NOT NULL,
    owner       text        NOT NULL,
    kind        text        NOT NULL,
    body        text        NOT NULL,   -- the event as JSON
    created_at  timestamptz NOT NULL,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX agent_feed_by_handoff ON agent_feed (tenant_id, handoff_id, seq);
CREATE INDEX agent_feed_by_session ON agent_feed (tenant_id, session_id);
CREATE INDEX agent_feed_by_purge   ON agent_feed (tenant_id, purge_after);
