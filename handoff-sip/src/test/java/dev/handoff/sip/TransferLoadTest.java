package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bounded load on loopback against SIPp, and the measurement harness for benchmarks/README.md.
 *
 * <p>Default (the CI test): 100 customer calls are set up and held, then all 100 are transferred at once; every
 * one must connect and SIPp must count 100 of 100 successful calls on both sides. REFER-to-final-NOTIFY latency
 * (p50, p99) and the burst rate are printed.
 *
 * <p>Sustained measurement: {@code -Dhandoff.sip.load.calls=2000 -Dhandoff.sip.load.rate=100} makes SIPp place
 * calls at that rate and the bot transfers each as soon as it is answered; the output line then reports sustained
 * transfers per second. Command (from the repository root):
 * <pre>
 * ./mvnw -B -q -pl handoff-sip -am verify -Dtest=TransferLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhandoff.sip.load.calls=2000 -Dhandoff.sip.load.rate=100
 * </pre>
 */
class TransferLoadTest {

    @Test
    void hundred_concurrent_calls_are_all_transferred() throws Exception {
        int calls = Integer.getInteger("handoff.sip.load.calls", 100);
        int rate = Integer.getInteger("handoff.sip.load.rate", 0);
        boolean sustained = rate > 0;
        List<CompletableFuture<TransferResult>> results = new CopyOnWriteArrayList<>();
        List<Bot.Progress> progress = new CopyOnWriteArrayList<>();
        try (Bot bot = new Bot(b -> b.acceptTimeout(Duration.ofSeconds(4)).notifyTimeout(Duration.ofSeconds(4)));
             Sipp agent = Sipp.server("agent.xml", Ports.free(), calls * 2, "-l", Integer.toString(calls * 2));
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, calls,
                     "-r", Integer.toString(sustained ? rate : Math.min(calls, 200)), "-l", Integer.toString(calls),
                     "-key", "session", "load", "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer")) {
            String agentUri = ColdTransferTest.agentUri(agent);
            long start;
            if (sustained) {
                start = System.nanoTime();
                CountDownLatch allStarted = new CountDownLatch(calls);
                bot.ua.onIncomingCall(leg -> {
                    transfer(bot, leg, agentUri, results, progress);
                    allStarted.countDown();
                });
                // drain the queue the Bot fills, so it does not grow
                for (int i = 0; i < calls; i++) {
                    bot.nextCall(customer);
                }
                // the Bot's queue listener runs just before the transfer listener: wait for the last transfer to start
                allStarted.await(5, TimeUnit.SECONDS);
            } else {
                List<CallLeg> legs = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    legs.add(bot.nextCall(customer));
                }
                start = System.nanoTime();
                for (CallLeg leg : legs) {
                    transfer(bot, leg, agentUri, results, progress);
                }
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;

            List<TransferResult> done = results.stream().map(CompletableFuture::join).toList();
            assertThat(done).hasSize(calls);
            assertThat(done).extracting(TransferResult::outcome).containsOnly(Outcome.CONNECTED);
            assertThat(customer.await(Duration.ofSeconds(60))).as(customer.report()).isZero();
            assertThat(agent.await(Duration.ofSeconds(60))).as(agent.report()).isZero();

            List<Long> micros = new ArrayList<>();
            for (Bot.Progress p : progress) {
                micros.add(referToFinalNotifyMicros(p));
            }
            Collections.sort(micros);
            System.out.printf("SIP transfer load: %d/%d connected (%s); REFER-to-final-NOTIFY p50=%.2f ms p99=%.2f ms max=%.2f ms; "
                            + "%.1f transfers/s over %.2f s%n",
                    done.size(), calls, sustained ? "sustained, offered " + rate + "/s" : "burst after holding all calls",
                    percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, micros.get(micros.size() - 1) / 1000.0,
                    calls / (elapsed / 1e9), elapsed / 1e9);
        }
    }

    private static void transfer(Bot bot, CallLeg leg, String agentUri, List<CompletableFuture<TransferResult>> results,
                                 List<Bot.Progress> progress) {
        Bot.Progress p = new Bot.Progress();
        progress.add(p);
        results.add(bot.executor.transfer(Bot.request(leg.sessionId(), agentUri, TransferMode.COLD), p).toCompletableFuture());
    }

    static long referToFinalNotifyMicros(Bot.Progress p) {
        long sent = p.steps().stream().filter(s -> s.detail().startsWith("REFER sent")).findFirst().orElseThrow().nanos();
        long fin = p.steps().stream().filter(s -> s.code() >= 200 && s.code() != 202).reduce((a, b) -> b).orElseThrow().nanos();
        return (fin - sent) / 1000;
    }

    static long percentile(List<Long> sorted, int pct) {
        int index = (int) Math.ceil(pct / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
