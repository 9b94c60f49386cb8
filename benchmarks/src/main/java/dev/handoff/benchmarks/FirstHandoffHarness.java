package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handoff after {@code build()} against the median of the next 200, in a fresh JVM (also
 * {@code ConcurrentHandoffHarness first}):
 * {@code java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.FirstHandoffHarness}. With
 * {@code -Dsteady=N} it then hands off N more times and also prints the median of the last 1,000 (or of all N when
 * fewer), the runtime's speed once the JIT has settled, which the next 200 are still far from. With {@code -Dgap=MS}
 * the caller sleeps MS milliseconds before each of the 201 measured handoffs, the first included, so that every one of
 * them arrives at an idle runtime, as a contact centre's handoffs do (seconds apart); without it the 200 run back to
 * back, with the runtime's threads and the CPU's caches still busy with the previous one, and the first is the only one
 * that finds them idle. With {@code -Dsteady=N -Dgaps=0,1,10,100} it then measures 100 handoffs per gap on the settled
 * runtime.
 */
public final class FirstHandoffHarness {

    private FirstHandoffHarness() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("java %s, %d processors%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        run();
    }

    /**
     * The first handoff after build() and the median of the next 200: trigger to agent notified (wall clock), and the
     * CPU time all Java threads spent from the trigger to the outcome, which other processes' load inflates far less.
     */
    static void run() throws Exception {
        NotifyLatency latency = new NotifyLatency();
        List<Long> samples = latency.samples();
        int steady = Integer.getInteger("steady", 0);
        long gapMs = Long.getLong("gap", 0);
        long[] cpu = new long[201];
        long buildStart = System.nanoTime();
        try (Handoff handoff = Handoff.builder().listener(latency).build()) {
            double buildMs = (System.nanoTime() - buildStart) / 1e6;
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            queue.signIn("ana");
            for (int i = 0; i < cpu.length + steady; i++) {
                boolean measured = i < cpu.length;
                long took = handOff(handoff, queue, i, measured ? gapMs : 0, measured);
                if (measured) {
                    cpu[i] = took;
                }
            }
            long firstNs = samples.get(0);
            long[] warm = samples.subList(1, cpu.length).stream().mapToLong(Long::longValue).sorted().toArray();
            double warmMedian = warm[warm.length / 2] / 1e6;
            long[] warmCpu = Arrays.stream(cpu, 1, cpu.length).sorted().toArray();
            double warmCpuMedian = warmCpu[warmCpu.length / 2] / 1e6;
            System.out.printf(Locale.ROOT, "first handoff after build(): %.2f ms (build() took %.0f ms); warm median of the next %d%s: "
                    + "%.2f ms; ratio %.1fx | Java threads' CPU: first %.2f ms, warm median %.2f ms, ratio %.1fx%n", firstNs / 1e6,
                    buildMs, warm.length, gapMs > 0 ? ", each after " + gapMs + " ms idle" : "", warmMedian,
                    firstNs / 1e6 / warmMedian, cpu[0] / 1e6, warmCpuMedian, cpu[0] / 1e6 / warmCpuMedian);
            if (steady > 0) {
                long[] last = samples.subList(Math.max(cpu.length, samples.size() - 1000), samples.size()).stream()
                        .mapToLong(Long::longValue).sorted().toArray();
                double steadyMedian = last[last.length / 2] / 1e6;
                System.out.printf(Locale.ROOT, "after %d more handoffs, median of the last %d: %.2f ms; first / that: %.1fx,"
                        + " next 200 / that: %.1fx%n", steady, last.length, steadyMedian, firstNs / 1e6 / steadyMedian,
                        warmMedian / steadyMedian);
                idle(handoff, queue, latency, cpu.length + steady);
            }
        }
    }

    /**
     * With {@code -Dgaps=0,1,10,100} (after {@code -Dsteady=N}): 100 handoffs more per gap, each after the caller slept
     * that many milliseconds, and the median trigger to agent notified of each: what a pause before a handoff costs a
     * runtime whose code the JIT has long compiled.
     */
    private static void idle(Handoff handoff, AgentQueue queue, NotifyLatency latency, int from) throws Exception {
        String gaps = System.getProperty("gaps");
        if (gaps == null) {
            return;
        }
        int next = from;
        for (String gap : gaps.split(",")) {
            long ms = Long.parseLong(gap.trim());
            int before = latency.size();
            long[] cpu = new long[100];
            for (int k = 0; k < cpu.length; k++) {
                cpu[k] = handOff(handoff, queue, next++, ms, true);
            }
            long[] wall = latency.samples().subList(before, latency.size()).stream().mapToLong(Long::longValue).sorted().toArray();
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "settled, each after %d ms idle: median %.2f ms (Java threads' CPU %.2f ms)%n", ms,
                    wall[wall.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6);
        }
    }

    /**
     * One chat handoff to the signed-in agent, after the caller slept {@code gapMs}; returns the CPU time all Java
     * threads spent from the trigger to the outcome when {@code measured}, else 0.
     */
    private static long handOff(Handoff handoff, AgentQueue queue, int i, long gapMs, boolean measured) throws Exception {
        CompletableFuture<Optional<Offer>> offer = queue.next("ana", Duration.ofSeconds(30));
        HandoffSession s = handoff.open(SessionId.of("f-" + i), Channel.CHAT, CustomerData.UNKNOWN);
        s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
        if (gapMs > 0) {
            Thread.sleep(gapMs);
        }
        long before = measured ? javaThreadsCpuNanos() : 0;
        CompletableFuture<HandoffOutcome> o = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture();
        offer.get(30, TimeUnit.SECONDS).ifPresent(Offer::accept);
        o.get(30, TimeUnit.SECONDS);
        long took = measured ? javaThreadsCpuNanos() - before : 0;
        s.end("done");
        return took;
    }

    /** CPU time of every live Java thread (JIT compiler and GC threads are not Java threads). */
    private static long javaThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

}
