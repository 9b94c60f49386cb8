package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bounded load on loopback against SIPp, and the measurement harness for benchmarks/README.md.
 *
 * <p>Default (the CI test): 100 customer calls are set up and held, then all 100 are transferred at once; every
 * one must connect, SIPp must count 100 of 100 successful calls on both sides, and the kernel must have dropped no
 * datagram at the bot's UDP port. REFER-to-final-NOTIFY latency (p50, p99) and the burst rate are printed.
 *
 * <p>Sustained measurement: {@code -Dhandoff.sip.load.calls=2000 -Dhandoff.sip.load.rate=100} makes SIPp place
 * calls at that rate and the bot transfers each as soon as it is answered; the output line then reports sustained
 * transfers per second. Command (from the repository root):
 * <pre>
 * ./mvnw -B -q -pl handoff-sip -am verify -Dtest=TransferLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhandoff.sip.load.calls=2000 -Dhandoff.sip.load.rate=100
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferLoadTest {

    /** What one run of the load saw; the run happens once, the tests below each check one part of it. */
    private record Run(int calls, List<TransferResult> results, int customerExit, String customerReport, int agentExit,
                       String agentReport, OptionalLong botDrops, int botPort) {
    }

    private Run run;

    @BeforeAll
    void transfer_every_call() throws Exception {
        int calls = Integer.getInteger("handoff.sip.load.calls", 100);
        int rate = Integer.getInteger("handoff.sip.load.rate", 0);
        boolean sustained = rate > 0;
        List<CompletableFuture<TransferResult>> results = new CopyOnWriteArrayList<>();
        List<Bot.Progress> progress = new CopyOnWriteArrayList<>();
        try (Bot bot = new Bot(b -> b.acceptTimeout(Duration.ofSeconds(4)).notifyTimeout(Duration.ofSeconds(4)));
             Sipp agent = Sipp.server("agent.xml", Ports.free(), calls * 2, "-l", Integer.toString(calls * 2),
                     "-buff_size", SIPP_BUFFER);
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, calls, "-buff_size", SIPP_BUFFER,
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
            try {
                CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // the assertions below say which transfers never finished
            }
            long elapsed = System.nanoTime() - start;
            // SIPp is still running: what the kernel dropped at the phones' sockets, for the assertion message
            String sippDrops = "datagrams dropped by the kernel at the SIPp customer's port " + customer.port + ": "
                    + UdpDrops.dropsAt(customer.port) + ", at the agent's port " + agent.port + ": " + UdpDrops.dropsAt(agent.port);
            List<TransferResult> done = results.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
            int customerExit = customer.await(Duration.ofSeconds(60));
            int agentExit = agent.await(Duration.ofSeconds(60));
            // read while the bot's socket is still open: the kernel's count of datagrams it dropped on arrival
            OptionalLong drops = UdpDrops.dropsAt(bot.port);
            run = new Run(calls, done, customerExit, sippDrops + "\n" + customer.report(), agentExit, agent.report(), drops, bot.port);

            if (done.size() == calls && progress.stream().allMatch(p -> p.codes().stream().anyMatch(c -> c >= 200 && c != 202))) {
                List<Long> micros = new ArrayList<>();
                for (Bot.Progress p : progress) {
                    micros.add(referToFinalNotifyMicros(p));
                }
                Collections.sort(micros);
                System.out.printf("SIP transfer load: %d/%d connected (%s); REFER-to-final-NOTIFY p50=%.2f ms p99=%.2f ms max=%.2f ms; "
                                + "%.1f transfers/s over %.2f s; bot socket drops=%s%n",
                        done.stream().filter(TransferResult::connected).count(), calls,
                        sustained ? "sustained, offered " + rate + "/s" : "burst after holding all calls",
                        percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, micros.get(micros.size() - 1) / 1000.0,
                        calls / (elapsed / 1e9), elapsed / 1e9, drops.isPresent() ? drops.getAsLong() : "n/a");
            }
        }
    }

    @Test
    void hundred_concurrent_calls_are_all_transferred() {
        assertThat(run.results()).hasSize(run.calls());
        assertThat(run.results()).extracting(TransferResult::outcome)
                .as(() -> run.results().stream().filter(r -> !r.connected()).map(TransferResult::detail).toList()
                        + "\n" + run.customerReport() + "\n" + run.agentReport())
                .containsOnly(Outcome.CONNECTED);
        assertThat(run.customerExit()).as(run.customerReport()).isZero();
        assertThat(run.agentExit()).as(run.agentReport()).isZero();
    }

    /**
     * The burst sends about three datagrams per call to the bot's port within a few hundred milliseconds; none may
     * be dropped by the kernel for want of receive buffer (a lost 202 makes the bot retransmit its REFER, late).
     */
    @Test
    void bot_socket_drops_no_datagram_during_the_burst() {
        UdpDrops.requireCounters();
        assertThat(run.botDrops()).as("UDP socket of the bot on port %d in /proc/net/udp{,6}", run.botPort()).isPresent();
        assertThat(run.botDrops().getAsLong()).as("datagrams the kernel dropped at the bot's UDP port %d", run.botPort()).isZero();
    }

    private static final Duration TRANSFER_BUDGET = Duration.ofSeconds(30);

    /**
     * Socket buffers of the two SIPp processes (-buff_size, default 64 KiB), as large as the bot's receive buffer:
     * each SIPp process plays 100 phones at once on one socket and, starved of CPU, does not read it for over half a
     * second while the bot answers 100 NOTIFYs and sends 100 BYEs; a phone serves one call and never sees that burst.
     */
    private static final String SIPP_BUFFER = Integer.toString(SipUserAgent.Builder.DEFAULT_RECEIVE_BUFFER_SIZE);

    private static void transfer(Bot bot, CallLeg leg, String agentUri, List<CompletableFuture<TransferResult>> results,
                                 List<Bot.Progress> progress) {
        Bot.Progress p = new Bot.Progress();
        progress.add(p);
        // the transfer budget a deployment has by default (HandoffSettings.DEFAULT_TRANSFER_TIMEOUT, 30 s): on a starved
        // machine the SIPp phones answer late, and a 6 s test-only budget turned their slowness into TIMED_OUT transfers
        results.add(bot.executor.transfer(Bot.request(leg.sessionId(), agentUri, TransferMode.COLD, TRANSFER_BUDGET), p)
                .toCompletableFuture());
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
