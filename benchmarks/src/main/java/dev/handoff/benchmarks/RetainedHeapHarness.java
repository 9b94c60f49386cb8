package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a default {@link Handoff} keeps of the handoffs it has finished: rounds of chat handoffs (each with an AI
 * promise, so the commitment ledger has a book), every session ended, and the heap after a full GC at the end of each
 * round. Between rounds the runtime's clock jumps 26 hours, past the default stores' retention (context TTL 24 h + 1
 * h), so what is still held after a round is what the runtime holds for ever.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.RetainedHeapHarness
 * java -Drounds=6 -Dhandoffs=20000 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.RetainedHeapHarness
 * </pre>
 */
public final class RetainedHeapHarness {

    private RetainedHeapHarness() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 4);
        int handoffs = Integer.getInteger("handoffs", 10_000);
        Jumping clock = new Jumping();
        try (Handoff handoff = Handoff.builder().clock(clock).build()) {
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            queue.signIn("ana");
            long first = 0;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < handoffs; i++) {
                    var offer = queue.next("ana", Duration.ofSeconds(30));
                    HandoffSession s = handoff.open(SessionId.of("r" + r + "-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                    s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
                    s.ai("I can offer you a 10% discount on the next order and a callback tomorrow at 10am.");
                    var outcome = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture();
                    offer.get(30, TimeUnit.SECONDS).ifPresent(Offer::accept);
                    outcome.get(30, TimeUnit.SECONDS);
                    s.end("done");
                }
                long heap = settledHeap();
                if (r == 0) {
                    first = heap;
                }
                System.out.printf(Locale.ROOT, "after round %d (%,d handoffs in all): heap %.1f MB, %+.0f bytes per handoff since round 0%n",
                        r, (r + 1L) * handoffs, heap / 1e6, r == 0 ? 0.0 : (heap - first) / (double) (r * handoffs));
                clock.jump(Duration.ofHours(26));
            }
        }
    }

    /** The used heap after full GCs, the least of four readings. */
    static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The system clock plus an offset that only grows. */
    private static final class Jumping extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void jump(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
