package dev.handoff.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Run in a child JVM by {@link OwnerKilledTest} and {@link RelayOwnerKilledTest}: one instance of a chat application on the shared database (its own
 * pool, {@link PostgresHandoffStores} applied to a {@link Handoff}, a short handoff lease), driven line by line by the
 * parent, so the parent can kill it ({@code kill -9}) at a chosen moment of a handoff.
 *
 * <p>Commands from the parent (stdin), each answered on stdout:
 * <ul>
 *   <li>{@code signin <agent>}: signs the agent in to the shared queue {@code support}; prints {@code signed-in <agent>}.</li>
 *   <li>{@code take <agent>}: the agent waits for the next offer made on any instance; prints
 *       {@code offered <agent> <session>} when it has claimed one (or {@code no-offer <agent>} after the wait).</li>
 *   <li>{@code accept <agent>}: the agent accepts the offer it holds; prints {@code accepted <agent> <session> <true|false>}.</li>
 *   <li>{@code handoff <session>}: opens a chat and hands it off to the queue; prints
 *       {@code outcome <session> <status> <cause> <agent or ->} once this instance's bot hears the outcome.</li>
 *   <li>{@code stop}: closes the instance, prints {@code stopped} and exits 0.</li>
 * </ul>
 * Every handoff event this instance's listener sees is printed as {@code event <session> <type> <detail>}: the phase
 * and handoff id of a {@code PhaseChanged}, the agent of a {@code HandoffCompleted}, the reason of a
 * {@code ReturnedToBot} (the rest of the line). The child prints {@code ready <pid>} once built; it exits 1 with the
 * stack trace on stderr if anything failed.
 *
 * <p>Arguments: JDBC URL, tenant, instance id, handoff lease in ms, how long an offer waits for an agent in ms.
 */
public final class HandoffInstanceChild {

    static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final String QUEUE = "support";
    private static final Duration AGENT_WAIT = Duration.ofMinutes(2);

    private HandoffInstanceChild() {
    }

    public static void main(String[] args) {
        try {
            run(args[0], args[1], args[2], Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);   // whatever non-daemon thread a library left behind
    }

    private static void run(String jdbcUrl, String tenant, String instanceId, Duration lease, Duration offerWait) throws Exception {
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ConcurrentMap<String, Offer> held = new ConcurrentHashMap<>();
        try (HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, 6, OutboxOnPostgresTest.WAIT_FOR_CONNECTION);
             Handoff instance = PostgresHandoffStores.builder(pool).tenant(tenant).instanceId(instanceId)
                     .schemaMode(PostgresSchema.Mode.VALIDATE).handoffLease(lease).pollInterval(Duration.ofMillis(200))
                     .build().applyTo(Handoff.builder()).signingKeys(KEYS)
                     .transferTimeout(offerWait).maxWait(offerWait.plus(Duration.ofMinutes(1)))
                     .preflightTimeout(Duration.ofSeconds(60))   // 2 shared cores, three JVMs and another build
                     .listener(HandoffInstanceChild::print).build()) {
            AgentQueue queue = instance.chatQueues().orElseThrow().queue(QUEUE);
            ChildJvm.print("ready " + ProcessHandle.current().pid());
            for (String line; (line = parent.readLine()) != null; ) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "signin" -> {
                        queue.signIn(w[1]);
                        ChildJvm.print("signed-in " + w[1]);
                    }
                    case "take" -> queue.next(w[1], AGENT_WAIT).whenComplete((offer, e) -> {
                        if (offer != null && offer.isPresent()) {
                            held.put(w[1], offer.get());
                            ChildJvm.print("offered " + w[1] + " " + offer.get().sessionId().value());
                        } else {
                            ChildJvm.print("no-offer " + w[1] + (e == null ? "" : " " + e));
                        }
                    });
                    case "accept" -> {
                        Offer offer = held.remove(w[1]);
                        ChildJvm.print("accepted " + w[1] + " " + offer.sessionId().value() + " " + offer.accept());
                    }
                    case "handoff" -> {
                        HandoffSession chat = instance.open(SessionId.of(w[1]), Channel.CHAT, CustomerData.of("cus-" + w[1], Map.of()));
                        chat.customer("My invoice is wrong");
                        chat.handOff(chat.customer("let me talk to a person")).whenComplete((o, e) -> ChildJvm.print(o == null
                                ? "outcome " + w[1] + " FAILED " + e
                                : "outcome " + w[1] + " " + o.status() + " " + o.cause() + " " + o.connected().map(r -> r.agentId()).orElse("-")));
                    }
                    case "stop" -> {
                        instance.close();
                        ChildJvm.print("stopped");
                        return;
                    }
                    default -> throw new IllegalStateException("unknown command from the parent: " + line);
                }
            }
            throw new IllegalStateException("the parent closed stdin without 'stop'");
        }
    }

    /** One line per event: what the test checks of this instance's listener. */
    private static void print(HandoffEvent event) {
        String detail;
        if (event instanceof HandoffEvent.PhaseChanged p) {
            detail = p.phase() + " " + p.handoffId();
        } else if (event instanceof HandoffEvent.HandoffCompleted c) {
            detail = c.result().agentId();
        } else if (event instanceof HandoffEvent.ReturnedToBot r) {
            detail = r.reason().replaceAll("\\s+", " ");
        } else {
            detail = "";
        }
        ChildJvm.print(("event " + event.sessionId().value() + " " + event.getClass().getSimpleName() + " " + detail).strip());
    }
}
