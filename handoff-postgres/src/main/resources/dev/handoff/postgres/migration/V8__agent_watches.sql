-- handoff-postgres schema version 8: a watch survives its handoff's owner. Until now the owner kept the list of
-- handoffs that agents on other instances watch in its memory (it learned it from their WATCH actions), so an
-- instance that took a handoff over from a dead owner did not know anyone watched it and wrote nothing more to
-- agent_feed. A watch is now a row, written by the watching instance with its WATCH action (same transaction); the
-- instance that takes a handoff over reads the handoff's watches in the takeover's transaction and writes its feed
-- from its first event on. The feed itself is per handoff: every watcher reads it with a cursor of its own.
CREATE TABLE agent_watches (
    tenant_id   text        NOT NULL,
    handoff_id  text        NOT NULL,
    watcher     text        NOT NULL,   -- the instance whose agents watch it (the from_instance of its WATCH action)
    session_id  text        NOT NULL,
    since       timestamptz NOT NULL,
    purge_after timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, handoff_id, watcher)
);
CREATE INDEX agent_watches_by_session ON agent_watches (tenant_id, session_id);
CREATE INDEX agent_watches_by_purge   ON agent_watches (tenant_id, purge_after);

-- Handoffs already watched when this migration runs keep their watchers: one row per WATCH action's handoff and
-- instance, from its first WATCH.
INSERT INTO agent_watches (tenant_id, handoff_id, watcher, session_id, since, purge_after)
SELECT DISTINCT ON (tenant_id, handoff_id, from_instance) tenant_id, handoff_id, from_instance, session_id, created_at, purge_after
  FROM agent_actions
 WHERE kind = 'WATCH'
 ORDER BY tenant_id, handoff_id, from_instance, created_at;
