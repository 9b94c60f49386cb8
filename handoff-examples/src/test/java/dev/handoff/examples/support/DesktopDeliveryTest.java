package dev.handoff.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.CustomerData;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;

import dev.handoff.examples.desktop.AgentDesktop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every handoff reaches the agent's browser socket, whisper first, before the transfer starts. The latency of that
 * path is measured by the benchmark harness in {@code benchmarks/} (trigger -> agent notified), not asserted here.
 */
class DesktopDeliveryTest {

    private static final int HANDOFFS = 60;
    private static final Pattern CONTEXT_ID = Pattern.compile("\"contextId\"\\s*:\\s*\"(ctx-[^\"]+)\"");

    @Test
    void every_handoff_reaches_the_agents_socket_with_the_whisper_before_the_transfer_starts() throws Exception {
        Map<String, CompletableFuture<String>> received = new ConcurrentHashMap<>();
        ExecutorService agents = Executors.newSingleThreadExecutor();
        Map<SessionId, List<String>> order = new ConcurrentHashMap<>();
        try (AgentDesktop desktop = AgentDesktop.builder().port(0).agent("ana", "ana-token-0123456789").build().start()) {
            Handoff handoff = Handoff.builder()
                    .agentNotifier(desktop)
                    .listener(e -> {
                        if (e instanceof HandoffEvent.AgentNotified || e instanceof HandoffEvent.TransferStarted) {
                            order.computeIfAbsent(e.sessionId(), s -> new CopyOnWriteArrayList<>()).add(e.getClass().getSimpleName());
                        }
                    })
                    .build();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + desktop.port() + "/ws?token=ana-token-0123456789"), new WebSocket.Listener() {
                        private final StringBuilder buffer = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            buffer.append(data);
                            if (last) {
                                String message = buffer.toString();
                                buffer.setLength(0);
                                if (message.contains("\"type\":\"handoff\"")) {
                                    Matcher m = CONTEXT_ID.matcher(message);
                                    if (m.find()) {
                                        received.computeIfAbsent(m.group(1), k -> new CompletableFuture<>()).complete(message);
                                    }
                                }
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            queue.signIn("ana");
            agents.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    queue.take("ana", Duration.ofSeconds(1)).ifPresent(Offer::accept);
                }
                return null;
            });

            for (int i = 0; i < HANDOFFS; i++) {
                HandoffSession chat = handoff.open(SessionId.of("desk-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                chat.customer("My parcel 88" + i + " never arrived and the tracking page is blank");
                chat.ai("Sorry about that, let me check the tracking for you.");
                HandoffDecision d = chat.customer("I want to talk to a person");
                HandoffOutcome outcome = chat.handOff(d).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                String pushed = received.computeIfAbsent(outcome.contextId(), k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
                assertThat(pushed.indexOf("\"whisper\"")).as("whisper first in %s", pushed).isNotNegative()
                        .isLessThan(pushed.indexOf("\"escalation\"")).isLessThan(pushed.indexOf("\"preview\""));
                assertThat(order.get(chat.id())).containsExactly("AgentNotified", "TransferStarted");
                chat.end("done");
            }
            socket.abort();
            handoff.close();
            assertThat(received).hasSize(HANDOFFS);
        } finally {
            agents.shutdownNow();
        }
    }
}
