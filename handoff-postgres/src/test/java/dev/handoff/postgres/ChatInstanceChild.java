package dev.handoff.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Run in a child JVM by {@link EightInstancesTest}: one instance of a chat application on the shared database (its own
 * pool, {@link PostgresHandoffStores} applied to a {@link Handoff}) with a few agents signed in to the shared queue
 * {@code support}, taking offers made on any instance (every seventh offer an agent sees is declined once, so it must
 * reach another agent).
 *
 * <p>Protocol, one line at a time. The child prints {@code ready} once its agents are signed in and waiting; on
 * {@code go} from the parent it starts its chat handoffs (sessions {@code <instance>-chat-<n>}). While its agents work
 * it prints {@code accepted|declined|refused <agent> <session>} (agents {@code <instance>-agent-<n>}); once every
 * one of its handoffs has an outcome it prints {@code outcome <session> <status> <cause> <agent or -> <attempts>} for
 * each, then {@code done}, and its agents keep serving the other instances until the parent sends {@code stop}. It
 * then signs them out, closes the instance, prints {@code stopped} and exits 0 (1 with the stack trace on stderr if
 * anything failed).
 *
 * <p>Arguments: JDBC URL, tenant, instance id, number of handoffs, number of agents.
 */
public final class ChatInstanceChild {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String QUEUE = "support";
    private static final int POOL_SIZE = 6;   // agents' claims, the handoffs' writes, the LISTEN connection; 8 JVMs share the server

    private ChatInstanceChild() {
    }

    public static void main(String[] args) {
        try {
            run(args[0], args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);   // whatever non-daemon thread a library left behind
    }

    private static void run(String jdbcUrl, String tenant, String instanceId, int handoffs, int agents) throws Exception {
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ExecutorService agentThreads = Executors.newFixedThreadPool(agents);
        try (HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, POOL_SIZE, OutboxOnPostgresTest.WAIT_FOR_CONNECTION);
             Handoff instance = PostgresHandoffStores.builder(pool).tenant(tenant).instanceId(instanceId)
                     .schemaMode(PostgresSchema.Mode.VALIDATE).pollInterval(Duration.ofMillis(200))
                     .acceptTimeout(Duration.ofMinutes(10))   // a claim lost on the way to an agent is never swept back in time
                     .build().applyTo(Handoff.builder()).signingKeys(KEYS)
                     .transferTimeout(Duration.ofMinutes(4)).maxWait(Duration.ofMinutes(5))
                     // 25 handoffs at once queue their preflight behind the stores' two database threads: on 2 cores
                     // shared by 8 JVMs and another build one took over the default 3 s (and went back to the bot)
                     .preflightTimeout(Duration.ofSeconds(60)).build()) {
            AgentQueue queue = instance.chatQueues().orElseThrow().queue(QUEUE);
            AtomicBoolean stop = new AtomicBoolean();
            List<String> agentIds = new ArrayList<>();
            List<Future<?>> serving = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                String agent = instanceId + "-agent-" + i;
                agentIds.add(agent);
                queue.signIn(agent);
                serving.add(agentThreads.submit(() -> {
                    serve(queue, agent, stop);
                    return null;
                }));
            }
            ChildJvm.print("ready");
            expect(parent, "go");

            Map<SessionId, CompletableFuture<HandoffOutcome>> outcomes = new LinkedHashMap<>();
            for (int i = 0; i < handoffs; i++) {
                SessionId id = SessionId.of(instanceId + "-chat-" + i);
                HandoffSession chat = instance.open(id, Channel.CHAT, CustomerData.of("cus-" + id.value(), Map.of()));
                chat.customer("My invoice is wrong");
                outcomes.put(id, chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture());
            }
            for (CompletableFuture<HandoffOutcome> outcome : outcomes.values()) {
                HandoffOutcome o = outcome.get(10, TimeUnit.MINUTES);
                ChildJvm.print("outcome " + o.sessionId().value() + " " + o.status() + " " + o.cause() + " "
                        + o.connected().map(r -> r.agentId()).orElse("-") + " " + o.attempts());
            }
            ChildJvm.print("done");

            expect(parent, "stop");
            stop.set(true);
            for (Future<?> f : serving) {
                f.get(1, TimeUnit.MINUTES);
            }
            agentIds.forEach(queue::signOut);
        } finally {
            agentThreads.shutdownNow();
        }
        ChildJvm.print("stopped");
    }

    private static void serve(AgentQueue queue, String agent, AtomicBoolean stop) throws InterruptedException {
        int seen = 0;
        while (!stop.get()) {
            Optional<Offer> offer = queue.take(agent, Duration.ofSeconds(1));
            if (offer.isEmpty()) {
                continue;
            }
            String session = offer.get().sessionId().value();
            if (++seen % 7 == 0) {
                offer.get().decline();
                ChildJvm.print("declined " + agent + " " + session);
            } else if (offer.get().accept()) {
                ChildJvm.print("accepted " + agent + " " + session);
            } else {
                ChildJvm.print("refused " + agent + " " + session);
            }
        }
    }

    private static void expect(BufferedReader parent, String word) throws IOException {
        String line = parent.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("expected '" + word + "' from the parent, got " + line);
        }
    }
}
