-- handoff-postgres schema version 7: an agent's feedback on a handoff another instance runs travels like the other
-- agent actions (kind FEEDBACK; body: the feedback as JSON, whose corrected values are customer data like a message,
-- purged with the row).
ALTER TABLE agent_actions DROP CONSTRAINT agent_actions_kind_check;
ALTER TABLE agent_actions ADD CONSTRAINT agent_actions_kind_check
    CHECK (kind IN ('WATCH', 'READ', 'CONFIRM', 'CORRECT', 'REVOKE', 'SEND', 'HAND_BACK', 'FEEDBACK'));
