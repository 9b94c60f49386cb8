package dev.handoff.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.ValidationException;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.AgentRelay;
import dev.handoff.postgres.internal.Notifications;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's half of {@link PostgresAgentRelay}: claims the pending agent actions of the handoffs this instance owns,
 * oldest first, applies each through the runtime's own {@link AgentActions} and records the result in the same
 * transaction; a {@code WATCH} makes this instance write the handoff's events to {@code agent_feed}. On a takeover
 * ({@link PostgresHandoffOwnership.Watches}) it reads the handoff's watches from {@code agent_watches}, so the watchers
 * that the dead owner fed keep being fed from here. Called on the module's database threads (the relay poll, the
 * {@code handoff_agent_action} notification) and on the takeover's thread. Thread-safe.
 */
final class RelayOwner implements PostgresHandoffOwnership.Watches {

    private static final Logger LOG = LoggerFactory.getLogger(RelayOwner.class);

    private final Tenancy t;
    private final String instanceId;
    private final AgentRelaySql sql;
    private final AgentFeed feed;
    private final Notifications notifications;
    private final BooleanSupplier halted;
    private final Supplier<AgentRelay.Host> host;
    private final ReentrantLock applying = new ReentrantLock();
    private final AtomicBoolean applyAgain = new AtomicBoolean();

    RelayOwner(Tenancy t, String instanceId, AgentRelaySql sql, AgentFeed feed, Notifications notifications, BooleanSupplier halted,
               Supplier<AgentRelay.Host> host) {
        this.t = Objects.requireNonNull(t, "t");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.halted = Objects.requireNonNull(halted, "halted");
        this.host = Objects.requireNonNull(host, "host");
    }

    // ---- takeover ----

    @Override
    public Set<String> watched(Connection c, List<String> handoffIds) throws SQLException {
        if (handoffIds.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(sql.watchersSql())) {
            p.setString(1, t.tenant());
            p.setArray(2, c.createArrayOf("text", handoffIds.toArray()));
            p.setString(3, instanceId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public void relayFromHere(String handoffId, SessionId session) {
        // no phase of its own: the runtime's adoption publishes the takeover's PhaseChanged, which is relayed
        feed.relayFromHere(session, handoffId, null, t.now());
    }

    // ---- actions ----

    /** Claims and applies the pending actions of the handoffs this instance owns, oldest first, one claimer at a time. */
    void applyPending() {
        AgentRelay.Host h = host.get();
        if (halted.getAsBoolean() || h == null) {
            return;
        }
        if (!applying.tryLock()) {
            applyAgain.set(true);
            return;
        }
        try {
            do {
                applyAgain.set(false);
                List<String> decided = t.jdbc().transaction("applying agent actions", c -> {
                    List<String> done = new ArrayList<>();
                    List<String[]> rows = new ArrayList<>();
                    try (PreparedStatement p = c.prepareStatement(sql.claimSql())) {
                        p.setString(1, t.tenant());
                        p.setString(2, t.tenant());
                        p.setString(3, instanceId);
                        try (ResultSet rs = p.executeQuery()) {
                            while (rs.next()) {
                                String[] r = new String[11];
                                for (int i = 0; i < 11; i++) {
                                    r[i] = rs.getString(i + 1);
                                }
                                rows.add(r);
                            }
                        }
                    }
                    Set<String> blocked = new HashSet<>();
                    for (String[] r : rows) {
                        String[] outcome = blocked.contains(r[1]) ? null : apply(h, r);
                        if (outcome == null) {
                            blocked.add(r[1]);   // stays pending for the next claim, and the handoff's later actions after it
                            continue;
                        }
                        try (PreparedStatement p = c.prepareStatement(sql.decideSql())) {
                            p.setString(1, outcome[0]);
                            p.setString(2, instanceId);
                            p.setString(3, outcome[1]);
                            p.setObject(4, Tenancy.ts(t.now()));
                            p.setString(5, t.tenant());
                            p.setString(6, r[0]);
                            p.executeUpdate();
                        }
                        done.add(r[0]);
                    }
                    return done;
                });
                for (String actionId : decided) {   // committed: the agents' instances read their results now
                    notifications.publish(PostgresAgentRelay.RESULT_CHANNEL, t.tenant() + "/" + actionId);
                }
            } while (applyAgain.get() && !halted.getAsBoolean());
        } finally {
            applying.unlock();
        }
    }

    /**
     * {state, result} for one claimed row (action_id, handoff_id, session_id, context_id, from, agent, address, kind,
     * commitment, body, the handoff's recorded outcome), or null to leave it pending for the next claim.
     */
    private String[] apply(AgentRelay.Host h, String[] r) {
        String kind = r[7];
        if (kind.equals("WATCH")) {
            if (!instanceId.equals(r[4])) {   // an instance that took over a handoff it watched gets its events locally
                feed.relayFromHere(SessionId.of(r[2]), r[1], h.phase(SessionId.of(r[2])).orElse(null), t.now());
            }
            return new String[] {"APPLIED", "true"};
        }
        Optional<AgentActions> local = h.local(r[3]);
        if (local.isEmpty() && r[10] == null) {
            return null;   // taken over by this instance a moment ago and not adopted by the runtime yet: next claim
        }
        if (local.isEmpty()) {
            return new String[] {"REFUSED", "NON_RETRIABLE:handoff " + r[1] + " is no longer running on instance " + instanceId};
        }
        if ((kind.equals("SEND") || kind.equals("HAND_BACK")) && h.phase(SessionId.of(r[2]))
                .filter(p -> !p.isFinal() && p != HandoffPhase.CONNECTED && p != HandoffPhase.VERIFIED).isPresent()) {
            return null;   // the agent accepted, and this instance has not seen the connection yet: next claim
        }
        AgentActions a = local.get().from(r[6]);
        try {
            String result = switch (kind) {
                case "READ" -> Boolean.toString(a.confirmRead(r[5]));
                case "CONFIRM" -> json(a.confirm(r[8], r[5]));
                case "CORRECT" -> json(a.correct(r[8], r[9], r[5]));
                case "REVOKE" -> json(a.revoke(r[8], r[5]));
                case "SEND" -> json(a.send(r[5], r[9]));
                case "FEEDBACK" -> json(a.feedback(feedback(r[9])));
                case "HAND_BACK" -> {
                    a.handBack(r[5], r[9] == null ? "" : r[9]);
                    yield "true";
                }
                default -> throw new NonRetriableHandoffException("unknown agent action " + Texts.clean(kind, 20));
            };
            return new String[] {"APPLIED", result};
        } catch (ValidationException e) {
            return new String[] {"REFUSED", "VALIDATION:" + Texts.clean(e.getMessage(), 300)};
        } catch (RetriableHandoffException e) {
            LOG.debug("Agent action {} on handoff {} stays pending: {}", r[0], r[1], Texts.clean(e.getMessage(), 200));
            return null;
        } catch (NonRetriableHandoffException e) {
            return new String[] {"REFUSED", "NON_RETRIABLE:" + Texts.clean(e.getMessage(), 300)};
        } catch (IllegalArgumentException e) {
            return new String[] {"REFUSED", "ILLEGAL_ARGUMENT:" + Texts.clean(e.getMessage(), 300)};
        }
    }

    private static HandoffFeedback feedback(String body) {
        try {
            return RelayEvents.MAPPER.readValue(body, HandoffFeedback.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the relayed feedback is not readable JSON");   // never quotes it: customer data
        }
    }

    private static String json(Object o) {
        try {
            return RelayEvents.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("cannot write the result as JSON");
        }
    }
}
