package dev.handoff.postgres;

import dev.handoff.api.HandoffPhase;
import dev.handoff.core.HandoffOwnership;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One burst of {@link OwnershipWriter}'s changes as one statement: each handoff's changes folded into one row, the
 * handoffs started in the burst inserted as their last state, the others updated once, fenced. One round trip for
 * them all instead of one per kind of change (in auto-commit, or in the writer's transaction with a lease renewal).
 *
 * <p>Folding keeps what the changes one after another would leave: a handoff's last phase with its last context
 * id, its first outcome, the time of its last change, and the purge time its outcome sets. A start folded with later
 * changes is inserted with them (the statement's update cannot see a row its own insert adds); an insert that finds
 * the row already there (a burst retried after a commit whose answer was lost) leaves that row, which the first
 * attempt wrote from the same changes. Not thread-safe: the writer's thread builds and runs one at a time.
 */
final class OwnershipBurst {

    /** A handoff's changes in the burst, folded. */
    private static final class Row {
        final String handoffId;
        OwnershipWriter.Start start;
        HandoffPhase phase;
        String contextId;
        OwnershipWriter.Finish finish;
        Instant at;

        Row(String handoffId) {
            this.handoffId = handoffId;
        }

        void add(OwnershipWriter.Op op) {
            if (op instanceof OwnershipWriter.Start s) {
                start = s;
                at = latest(at, s.at());
            } else if (op instanceof OwnershipWriter.Move m) {
                phase = m.phase();
                contextId = m.contextId() != null ? m.contextId() : contextId;
                at = latest(at, m.at());
            } else if (op instanceof OwnershipWriter.Finish f && finish == null) {
                finish = f;
                at = latest(at, f.at());
            }
        }

        private static Instant latest(Instant a, Instant b) {
            return a == null || b.isAfter(a) ? b : a;
        }
    }

    /** What the statement did: the rows it updated, and which of those it meant to update. */
    record Result(Set<String> updated, List<String> attempted) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    /** Adds a start, a phase or an outcome (not a heartbeat). */
    void add(OwnershipWriter.Op op) {
        String id = op instanceof OwnershipWriter.Start s ? s.h().handoffId()
                : op instanceof OwnershipWriter.Move m ? m.handoffId() : ((OwnershipWriter.Finish) op).handoffId();
        rows.computeIfAbsent(id, Row::new).add(op);
    }

    /**
     * Writes the burst. {@code fences} holds the fence of every handoff this instance owns; a started handoff is added
     * to it (fence 1), a finished one removed and put in {@code finished}; a handoff not in it is skipped (finished
     * here already, or lost). Returns null when there was nothing to write.
     */
    Result write(Connection c, String sql, Tenancy t, String instanceId, Duration lease, Map<String, Long> fences,
                 List<HandoffOwnership.Started> started, Map<String, Long> finished) throws SQLException {
        List<Row> inserts = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        List<Long> updateFences = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.start != null) {
                inserts.add(r);
                started.add(r.start.h());
                fences.putIfAbsent(r.handoffId, 1L);
            } else {
                Long fence = fences.get(r.handoffId);
                if (fence == null) {
                    continue;
                }
                updates.add(r);
                updateFences.add(fence);
            }
            if (r.finish != null) {
                finished.put(r.handoffId, fences.remove(r.handoffId));
            }
        }
        if (inserts.isEmpty() && updates.isEmpty()) {
            return null;
        }
        Set<String> updated = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 0;
            p.setString(++i, t.tenant());
            p.setString(++i, instanceId);
            p.setArray(++i, texts(c, inserts, r -> r.handoffId));
            p.setArray(++i, texts(c, inserts, r -> r.start.h().sessionId().value()));
            p.setArray(++i, texts(c, inserts, r -> r.start.h().channel().name()));
            p.setArray(++i, texts(c, inserts, r -> r.phase == null ? HandoffPhase.REQUESTED.name() : r.phase.name()));
            p.setArray(++i, texts(c, inserts, r -> r.contextId));
            p.setArray(++i, texts(c, inserts, r -> r.start.at().plus(lease).toString()));
            p.setArray(++i, texts(c, inserts, r -> r.start.h().requestedAt().toString()));
            p.setArray(++i, texts(c, inserts, r -> r.start.h().waitUntil().toString()));
            p.setArray(++i, texts(c, inserts, r -> r.at.toString()));
            p.setArray(++i, texts(c, inserts, r -> t.purgeAfter(r.finish != null ? r.finish.at() : r.start.at()).toString()));
            p.setArray(++i, texts(c, inserts, r -> r.finish == null ? null : r.finish.outcome().status().name()));
            p.setArray(++i, texts(c, inserts, r -> r.finish == null ? null : r.finish.outcome().cause().name()));
            p.setArray(++i, texts(c, updates, r -> r.handoffId));
            p.setArray(++i, texts(c, updates, r -> r.phase == null ? null : r.phase.name()));
            p.setArray(++i, texts(c, updates, r -> r.contextId));
            p.setArray(++i, texts(c, updates, r -> r.at.toString()));
            p.setArray(++i, texts(c, updates, r -> r.finish == null ? null : r.finish.outcome().status().name()));
            p.setArray(++i, texts(c, updates, r -> r.finish == null ? null : r.finish.outcome().cause().name()));
            p.setArray(++i, texts(c, updates, r -> r.finish == null ? null : t.purgeAfter(r.finish.at()).toString()));
            p.setArray(++i, c.createArrayOf("bigint", updateFences.toArray()));
            p.setString(++i, t.tenant());
            p.setString(++i, instanceId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    updated.add(rs.getString(1));
                }
            }
        }
        return new Result(updated, updates.stream().map(r -> r.handoffId).toList());
    }

    /** Whether the handoff's folded changes hold an outcome. */
    boolean finishes(String handoffId) {
        Row r = rows.get(handoffId);
        return r != null && r.finish != null;
    }

    /** The outcome's cause folded for the handoff (for the log line of one not recorded). */
    String cause(String handoffId) {
        return rows.get(handoffId).finish.outcome().cause().name();
    }

    private static Array texts(Connection c, List<Row> rows, Function<Row, String> value) throws SQLException {
        Object[] out = new Object[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.apply(rows.get(i));
        }
        return c.createArrayOf("text", out);
    }
}
