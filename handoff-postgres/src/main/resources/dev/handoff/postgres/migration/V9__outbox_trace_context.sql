-- handoff-postgres schema version 9: an outbox entry keeps the W3C trace context of the handoff that queued it
-- (PostgresOutbox.append with the dispatcher's propagator), so every delivery attempt, a retry on another instance
-- after a restart too, carries the handoff's trace. Both columns are nullable: rows written before, and entries
-- queued outside a traced handoff, have none and are pushed without one, as before. Only the two W3C headers are
-- kept, checked when written and when read back (a malformed value is dropped, never sent).
ALTER TABLE outbox ADD COLUMN traceparent text;   -- 00-<trace id>-<parent span id>-<flags>
ALTER TABLE outbox ADD COLUMN tracestate  text;   -- vendors' trace state, at most 512 characters
