package dev.handoff.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.core.context.CommitmentDetector;
import dev.handoff.core.context.LedgerEntry;
import dev.handoff.core.json.ContextJson;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link CommitmentLedger} on PostgreSQL, shared by every instance: the same detection ({@link CommitmentDetector}),
 * numbering ({@code c-1, c-2, ...} per session) and verification lifecycle as core's in-memory ledger.
 *
 * <p>Each session has a book row ({@code commitment_books}) that numbers its commitments and serialises its
 * changes across instances ({@code INSERT ... ON CONFLICT ... RETURNING} to number, {@code SELECT ... FOR UPDATE}
 * to verify); every change is an appended event ({@code commitment_events}) and a commitment's state is its newest
 * event, so {@link #history} is the full audit trail. Every call has committed when it returns; a change that
 * fails is not applied and the caller gets a {@link dev.handoff.api.HandoffException} (retriable while the database
 * is unavailable).
 *
 * <p>{@link #observe} runs on the bot's thread and touches the database only when the turn holds a promise.
 * Thread-safe. Created by {@link PostgresHandoffStores}.
 */
public final class PostgresCommitmentLedger implements CommitmentLedger {

    private static final ObjectMapper MAPPER = ContextJson.newMapper();

    private final Tenancy t;
    private final CommitmentDetector detector;
    private final String recordSql;
    private final String insertEventSql;
    private final String currentSql;
    private final String lockBookSql;
    private final String latestEventSql;
    private final String touchBookSql;
    private final String historySql;

    PostgresCommitmentLedger(Tenancy tenancy, CommitmentDetector detector) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.detector = Objects.requireNonNull(detector, "detector");
        String books = t.table("commitment_books");
        String events = t.table("commitment_events");
        this.recordSql = "WITH book AS (INSERT INTO " + books + " AS b (tenant_id, session_id, last_number, updated_at, purge_after)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, session_id) DO UPDATE SET last_number = b.last_number + EXCLUDED.last_number,"
                + " updated_at = EXCLUDED.updated_at, purge_after = EXCLUDED.purge_after RETURNING tenant_id, session_id, last_number)"
                + " INSERT INTO " + events + " (tenant_id, session_id, commitment_id, number, action, status, at, body)"
                + " SELECT book.tenant_id, book.session_id, 'c-' || (book.last_number - ? + x.ord), (book.last_number - ? + x.ord)::integer,"
                + " 'RECORDED', x.status, ?, x.body FROM book, unnest(?::text[], ?::text[]) WITH ORDINALITY AS x(status, body, ord)"
                + " RETURNING number";
        this.insertEventSql = "INSERT INTO " + events + " (tenant_id, session_id, commitment_id, number, action, status, at, body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        this.currentSql = "SELECT DISTINCT ON (number) commitment_id, body FROM " + events + " WHERE tenant_id = ? AND session_id = ?"
                + " ORDER BY number, seq DESC";
        this.lockBookSql = "SELECT last_number FROM " + books + " WHERE tenant_id = ? AND session_id = ? FOR UPDATE";
        this.latestEventSql = "SELECT commitment_id, body, number FROM " + events + " WHERE tenant_id = ? AND session_id = ? AND commitment_id = ?"
                + " ORDER BY seq DESC LIMIT 1";
        this.touchBookSql = "UPDATE " + books + " SET updated_at = ?, purge_after = ? WHERE tenant_id = ? AND session_id = ?";
        this.historySql = "SELECT action, commitment_id, body, at FROM " + events + " WHERE tenant_id = ? AND session_id = ? ORDER BY seq";
    }

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        Objects.requireNonNull(session, "session");
        List<Commitment> detected = detector.detect(turn);
        return detected.isEmpty() ? List.of() : append(session, detected, turn.timestamp());
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(commitment, "commitment");
        return append(session, List.of(commitment), t.now()).get(0);
    }

    private List<Commitment> append(SessionId session, List<Commitment> found, Instant at) {
        Instant now = t.now();
        int n = found.size();
        String[] statuses = new String[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            statuses[i] = found.get(i).status().name();
            bodies[i] = json(found.get(i));
        }
        // one statement: number on the session's book and append the events (the id is the row's, see commitment())
        int first = t.jdbc().autoCommit("recording " + n + " commitment(s) of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(recordSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                p.setInt(3, n);
                p.setObject(4, Tenancy.ts(now));
                p.setObject(5, Tenancy.ts(t.purgeAfter(now)));
                p.setInt(6, n);
                p.setInt(7, n);
                p.setObject(8, Tenancy.ts(at));
                p.setArray(9, c.createArrayOf("text", statuses));
                p.setArray(10, c.createArrayOf("text", bodies));
                try (ResultSet rs = p.executeQuery()) {
                    int min = Integer.MAX_VALUE;
                    while (rs.next()) {
                        min = Math.min(min, rs.getInt(1));
                    }
                    return min;
                }
            }
        });
        List<Commitment> stored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Commitment f = found.get(i);
            stored.add(new Commitment("c-" + (first + i), f.kind(), f.strength(), f.text(), f.value(), f.turnIndex(), f.status(),
                    f.correctedValue(), f.verifiedBy(), f.verifiedAt()));
        }
        return List.copyOf(stored);
    }

    private void bindEvent(PreparedStatement p, SessionId session, Commitment c, int number, LedgerEntry.Action action, Instant at)
            throws SQLException {
        p.setString(1, t.tenant());
        p.setString(2, session.value());
        p.setString(3, c.id());
        p.setInt(4, number);
        p.setString(5, action.name());
        p.setString(6, c.status().name());
        p.setObject(7, Tenancy.ts(at));
        p.setString(8, json(c));
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("reading the commitments of session " + session, c -> current(c, session));
    }

    private List<Commitment> current(Connection c, SessionId session) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(currentSql)) {
            p.setString(1, t.tenant());
            p.setString(2, session.value());
            try (ResultSet rs = p.executeQuery()) {
                List<Commitment> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(commitment(rs.getString(1), rs.getString(2)));
                }
                return List.copyOf(out);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws NonRetriableHandoffException when the commitment does not exist or was already revoked
     */
    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(commitmentId, "commitmentId");
        Objects.requireNonNull(verification, "verification");
        Instant now = t.now();
        return t.jdbc().transaction("verifying commitment " + commitmentId + " of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(lockBookSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw unknown(session, commitmentId);
                    }
                }
            }
            Commitment before;
            int number;
            try (PreparedStatement p = c.prepareStatement(latestEventSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                p.setString(3, commitmentId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw unknown(session, commitmentId);
                    }
                    before = commitment(rs.getString(1), rs.getString(2));
                    number = rs.getInt(3);
                }
            }
            if (before.status() == Commitment.Status.REVOKED) {
                throw new NonRetriableHandoffException("commitment " + commitmentId + " of session " + session + " was already revoked by "
                        + before.verifiedBy() + " at " + before.verifiedAt());
            }
            Commitment after = before.verified(verification.status(),
                    verification.status() == Commitment.Status.CORRECTED ? verification.correctedValue() : null,
                    verification.by(), verification.at());
            try (PreparedStatement p = c.prepareStatement(insertEventSql)) {
                bindEvent(p, session, after, number, LedgerEntry.Action.VERIFIED, verification.at());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(touchBookSql)) {
                p.setObject(1, Tenancy.ts(now));
                p.setObject(2, Tenancy.ts(t.purgeAfter(now)));
                p.setString(3, t.tenant());
                p.setString(4, session.value());
                p.executeUpdate();
            }
            return after;
        });
    }

    private static NonRetriableHandoffException unknown(SessionId session, String commitmentId) {
        return new NonRetriableHandoffException("no commitment \"" + Texts.clean(commitmentId, 64)
                + "\" in session " + session);
    }

    /** The audit trail of a session: every recording and verification, oldest first. */
    public List<LedgerEntry> history(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("reading the commitment history of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(historySql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                try (ResultSet rs = p.executeQuery()) {
                    List<LedgerEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new LedgerEntry(session, LedgerEntry.Action.valueOf(rs.getString(1)), commitment(rs.getString(2),
                                rs.getString(3)), Tenancy.instant(rs.getObject(4, OffsetDateTime.class))));
                    }
                    return List.copyOf(out);
                }
            }
        });
    }

    /** The commitments of a session still waiting for a human (used by the deadline poller). */
    List<Commitment> pending(SessionId session) {
        return commitments(session).stream().filter(c -> c.status() == Commitment.Status.PENDING_VERIFICATION).toList();
    }

    private static String json(Commitment c) {
        try {
            return MAPPER.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("cannot serialise commitment " + c.id() + " as JSON");
        }
    }

    /** A stored commitment; its id is the row's ({@code commitment_id}), since a recorded body is written before it is numbered. */
    private static Commitment commitment(String id, String json) {
        try {
            Commitment c = MAPPER.readValue(json, Commitment.class);
            return new Commitment(id, c.kind(), c.strength(), c.text(), c.value(), c.turnIndex(), c.status(), c.correctedValue(),
                    c.verifiedBy(), c.verifiedAt());
        } catch (JsonProcessingException e) {
            // the parser's message may quote the stored text: leave it out
            throw new NonRetriableHandoffException("a stored commitment in commitment_events is not readable as a Commitment;"
                    + " was the table written by another program?");
        }
    }
}
