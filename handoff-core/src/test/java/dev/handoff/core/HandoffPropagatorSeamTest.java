package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link HandoffPropagator} seam: its fields ride on each transfer request, its scope is open on the io thread
 * around each CRM and summarizer call, and one that throws changes nothing about the handoff.
 */
class HandoffPropagatorSeamTest {

    private Handoff handoff;

    @AfterEach
    void tearDown() {
        if (handoff != null) {
            handoff.close();
        }
    }

    /** Marks, per thread, the session whose scope is open; records each close, and completes once three closed. */
    static final class Recording implements HandoffPropagator {
        final ThreadLocal<SessionId> open = new ThreadLocal<>();
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> threeClosed = new CompletableFuture<>();

        @Override
        public Map<String, String> fields(SessionId session) {
            return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                    "X-Handoff-Priority", "not-this-one");
        }

        @Override
        public Scope open(SessionId session) {
            Thread opener = Thread.currentThread();
            open.set(session);
            return () -> {
                open.remove();
                seen.add("closed on the same thread: " + (Thread.currentThread() == opener));
                if (seen.stream().filter(x -> x.startsWith("closed")).count() == 3) {
                    threeClosed.complete(null);
                }
            };
        }
    }

    /** A CRM that notes which session's scope was open on its thread when it was called. */
    static final class ScopeSeeingCrm implements CrmAdapter {
        final ThreadLocal<SessionId> open;
        final List<String> seen;

        ScopeSeeingCrm(ThreadLocal<SessionId> open, List<String> seen) {
            this.open = open;
            this.seen = seen;
        }

        @Override
        public String name() {
            return "scope-seeing";
        }

        @Override
        public Optional<CrmProfile> lookup(CustomerData customer) {
            seen.add("lookup in " + open.get());
            return Optional.empty();
        }

        @Override
        public CrmReceipt push(HandoffContext context, String idempotencyKey) {
            seen.add("push in " + open.get());
            return new CrmReceipt(name(), idempotencyKey, null);
        }
    }

    private CompletableFuture<Optional<Offer>> aliceAccepts() {
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        return support.next("alice", Duration.ofSeconds(20)).thenApply(offer -> {
            offer.ifPresent(Offer::accept);
            return offer;
        });
    }

    @Test
    void fields_ride_on_the_transfer_request_and_the_scope_is_open_around_each_crm_and_summarizer_call() throws Exception {
        Recording propagator = new Recording();
        handoff = Handoff.builder().propagator(propagator).crmAdapter(new ScopeSeeingCrm(propagator.open, propagator.seen))
                .summarizer((conversation, decision) -> {
                    propagator.seen.add("summarize in " + propagator.open.get());
                    throw new dev.handoff.api.RetriableHandoffException("no LLM here: the deterministic summary is used");
                })
                .build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-p"), Channel.CHAT, CustomerData.UNKNOWN);

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        propagator.threeClosed.get(20, TimeUnit.SECONDS);   // the summarizer's scope, the lookup's and the push's

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        Offer offer = alice.get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(offer.request().headers())
                .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .containsEntry("X-Handoff-Priority", "NORMAL");   // a propagator never replaces core's own header
        assertThat(propagator.seen).containsExactlyInAnyOrder("summarize in chat-p", "lookup in chat-p", "push in chat-p",
                "closed on the same thread: true", "closed on the same thread: true", "closed on the same thread: true");
        assertThat(propagator.open.get()).isNull();
    }

    @Test
    void a_propagator_that_throws_changes_nothing_about_the_handoff() throws Exception {
        HandoffPropagator broken = new HandoffPropagator() {
            @Override
            public Map<String, String> fields(SessionId session) {
                throw new IllegalStateException("tracer is broken");
            }

            @Override
            public Scope open(SessionId session) {
                throw new IllegalStateException("tracer is broken");
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        handoff = Handoff.builder().propagator(broken).crmAdapter(new ScopeSeeingCrm(new ThreadLocal<>(), seen)).build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-q"), Channel.CHAT, CustomerData.UNKNOWN);

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(alice.get(5, TimeUnit.SECONDS).orElseThrow().request().headers())
                .containsOnlyKeys("X-Handoff-Priority");
        assertThat(seen).contains("lookup in null");
    }
}
