package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime under concurrency, measured as a documented harness (latency distributions across many concurrent
 * handoffs are not a JMH shape). Every number is printed with its baseline from the same run.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.ConcurrentHandoffHarness            # all but "first"
 * java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.ConcurrentHandoffHarness first      # a fresh JVM
 * java -Dsizes=10,100 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.ConcurrentHandoffHarness latency
 * java -Dbaseline=false -Dsizes=1000,1000,1000 -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.ConcurrentHandoffHarness latency
 * </pre>
 *
 * <ul>
 *   <li>{@code latency}: N chat handoffs at once (N = 10, 100, 1,000) on the in-process queue; agents answer each
 *   offer after a random 0 to 2 s. Reports p50/p99 from the trigger ({@code HandoffRequested}) to the agent notified
 *   ({@code AgentNotified}) and the live threads at the peak. Baseline: the same steps hand-rolled the blocking way
 *   (each handoff holds one of 4 threads until its agent answers, as Handoff's orchestrator did before), fed the
 *   same agents. With {@code -Dbaseline=false} the baseline is skipped and the line says instead how long the caller
 *   took to submit the burst, when the last agent was notified (both from the first submission) and the process CPU
 *   per handoff until then: a burst of N on C cores cannot end before N x (CPU per handoff) / C.</li>
 *   <li>{@code steady}: handoffs arrive at a fixed rate R for 20 s (R = 100, 300, 1,000 per second) and agents answer
 *   after 0 to 2 s, so about R handoffs are in flight at any time: p50/p99 trigger to agent notified, the mean in
 *   flight, peak threads.</li>
 *   <li>{@code throughput}: 20,000 handoffs, at most 1,000 in flight, agents answer at once: handoffs per second.</li>
 *   <li>{@code heap}: 2,000 open sessions of 40 turns each: retained heap per session.</li>
 *   <li>{@code first}: {@link FirstHandoffHarness} (run it alone, in a fresh JVM).</li>
 * </ul>
 */
public final class ConcurrentHandoffHarness {

    private ConcurrentHandoffHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> modes = args.length == 0 ? List.of("latency", "steady", "throughput", "heap") : Arrays.asList(args);
        System.out.printf("java %s, %d processors, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (modes.contains("first")) {
            FirstHandoffHarness.run();
        }
        if (modes.contains("latency")) {
            int[] sizes = Arrays.stream(System.getProperty("sizes", "10,100,1000").split(",")).mapToInt(Integer::parseInt).toArray();
            for (int n : sizes) {
                latency(n, false);   // warm both paths once at this size
                latency(n, true);
            }
        }
        if (modes.contains("steady")) {
            int[] rates = Arrays.stream(System.getProperty("rates", "100,300,1000").split(",")).mapToInt(Integer::parseInt).toArray();
            steady(rates[0], 5, false);
            for (int r : rates) {
                steady(r, Integer.getInteger("seconds", 20), true);
            }
        }
        if (modes.contains("throughput")) {
            throughput(2_000, false);
            throughput(Integer.getInteger("total", 20_000), true);
        }
        if (modes.contains("heap")) {
            heap(2_000);
        }
    }

    /** N handoffs at once; p50/p99 trigger to agent notified, peak threads; both implementations. */
    private static void latency(int n, boolean print) throws Exception {
        ScheduledExecutorService agentClock = Executors.newScheduledThreadPool(2);
        try {
            Result ours = handoffRun(n, agentClock);
            if (!Boolean.parseBoolean(System.getProperty("baseline", "true"))) {
                if (print) {
                    System.out.printf(Locale.ROOT, "latency n=%,d  handoff: p50 %.2f ms p99 %.2f ms, peak threads %d (+%d);"
                                    + " submitting took %.1f ms, last agent notified at %.1f ms, process CPU %.0f us per handoff"
                                    + " (JIT compiling %d ms of it)%n",
                            n, ours.p50(), ours.p99(), ours.peakThreads, ours.addedThreads(), ours.submitMillis,
                            ours.lastNotifiedMillis, ours.cpuMicros / n, ours.jitMillis);
                }
                return;
            }
            Result blocking = blockingRun(n, agentClock);
            if (print) {
                System.out.printf(Locale.ROOT, "latency n=%,d  handoff: p50 %.2f ms p99 %.2f ms, peak threads %d (+%d)"
                                + " | blocking baseline (4 threads): p50 %.2f ms p99 %.2f ms, peak threads %d (+%d)%n",
                        n, ours.p50(), ours.p99(), ours.peakThreads, ours.addedThreads(), blocking.p50(), blocking.p99(),
                        blocking.peakThreads, blocking.addedThreads());
            }
        } finally {
            agentClock.shutdownNow();
        }
    }

    private static Result handoffRun(int n, ScheduledExecutorService agentClock) throws Exception {
        NotifyLatency latency = new NotifyLatency();
        ThreadPeak peak = new ThreadPeak(agentClock);
        try (Handoff handoff = Handoff.builder().listener(latency).build()) {
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            AtomicBoolean stop = new AtomicBoolean();
            for (int a = 0; a < n; a++) {
                queue.signIn("agent-" + a);
                agent(queue, "agent-" + a, agentClock, stop, 2_000);
            }
            List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>(n);
            java.util.concurrent.atomic.AtomicLong lastNotified = new java.util.concurrent.atomic.AtomicLong();
            long cpuStart = processCpuNanos();
            long jitStart = StoreLatencyHarness.jitMillis();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                HandoffSession s = handoff.open(SessionId.of("h-" + n + "-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
                HandoffDecision d = s.customer("I want to talk to a person");
                outcomes.add(s.handOff(d).toCompletableFuture());
            }
            long submitted = System.nanoTime();
            while (latency.size() < n && outcomes.stream().anyMatch(o -> !o.isDone())) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            lastNotified.set(System.nanoTime());
            long cpu = processCpuNanos() - cpuStart;
            long jit = StoreLatencyHarness.jitMillis() - jitStart;
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            stop.set(true);
            Result result = new Result(latency.samples(), peak.stop());
            result.submitMillis = (submitted - start) / 1e6;
            result.lastNotifiedMillis = (lastNotified.get() - start) / 1e6;
            result.cpuMicros = cpu / 1e3;
            result.jitMillis = jit;
            return result;
        }
    }

    /**
     * The baseline: what a hand-rolled integration (and Handoff before its stages were asynchronous) does. The same
     * trigger engine, observer, packager and signer; each handoff then offers itself to an agent and blocks one of 4
     * worker threads until the agent answers.
     */
    private static Result blockingRun(int n, ScheduledExecutorService agentClock) throws Exception {
        RuleTriggerEvaluator triggers = new RuleTriggerEvaluator();
        LexiconSentimentAnalyzer sentiment = new LexiconSentimentAnalyzer();
        DeterministicSummarizer observer = new DeterministicSummarizer(sentiment);
        DefaultContextPackager packager = new DefaultContextPackager(sentiment);
        ContextSigner signer = new ContextSigner(SigningKeys.ephemeral(), Clock.systemUTC());
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadPeak peak = new ThreadPeak(agentClock);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ConversationSnapshot view = conversation("b-" + n + "-" + i, 2);
                HandoffDecision d = triggers.evaluate(view, view.turns().get(view.turns().size() - 1));
                Instant requestedAt = Instant.now();
                done.add(CompletableFuture.runAsync(() -> {
                    Summary summary = observer.summarize(view, d);
                    HandoffContext context = signer.sign(packager.pack(new PackagingRequest(view, d, null, List.of(), summary,
                            Instant.now())));
                    samples.add(Duration.between(requestedAt, Instant.now()).toNanos());   // the agent is notified now
                    CompletableFuture<Void> answered = new CompletableFuture<>();
                    agentClock.schedule(() -> answered.complete(null), ThreadLocalRandom.current().nextLong(2_000),
                            TimeUnit.MILLISECONDS);
                    answered.join();   // holds this worker until the agent answers
                    if (context.contextId().isEmpty()) {
                        throw new IllegalStateException("no context");
                    }
                }, workers));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            return new Result(samples, peak.stop());
        } finally {
            workers.shutdownNow();
        }
    }

    /** Arrivals at {@code rate} per second for {@code seconds}; agents answer after 0-2 s. */
    private static void steady(int rate, int seconds, boolean print) throws Exception {
        NotifyLatency latency = new NotifyLatency();
        AtomicInteger inFlight = new AtomicInteger();
        java.util.concurrent.atomic.LongAdder inFlightSum = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder inFlightSamples = new java.util.concurrent.atomic.LongAdder();
        ScheduledExecutorService agentClock = Executors.newScheduledThreadPool(2);
        ThreadPeak peak = new ThreadPeak(agentClock);
        agentClock.scheduleAtFixedRate(() -> {
            inFlightSum.add(inFlight.get());
            inFlightSamples.increment();
        }, 100, 100, TimeUnit.MILLISECONDS);
        int total = rate * seconds;
        int late = 0;
        try (Handoff handoff = Handoff.builder().listener(latency).build()) {
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            AtomicBoolean stop = new AtomicBoolean();
            for (int a = 0; a < rate * 3; a++) {
                queue.signIn("agent-" + a);
                agent(queue, "agent-" + a, agentClock, stop, 2_000);
            }
            List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>(total);
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else if (wait < -50_000_000L) {
                    late++;
                }
                HandoffSession s = handoff.open(SessionId.of("s-" + rate + "-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
                inFlight.incrementAndGet();
                CompletableFuture<HandoffOutcome> o = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture();
                o.whenComplete((x, e) -> {
                    inFlight.decrementAndGet();
                    s.end("done");
                });
                outcomes.add(o);
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            stop.set(true);
            Result r = new Result(latency.samples(), peak.stop());
            if (print) {
                System.out.printf(Locale.ROOT, "steady %,d/s for %d s: p50 %.2f ms p99 %.2f ms, mean in flight %.0f, peak threads %d (+%d),"
                                + " arrivals more than 50 ms late %d of %,d%n", rate, seconds, r.p50(), r.p99(),
                        inFlightSum.sum() / (double) Math.max(1, inFlightSamples.sum()), r.peakThreads, r.addedThreads(), late, total);
            }
        } finally {
            agentClock.shutdownNow();
        }
    }

    /** Handoffs per second with agents that answer at once, at most 1,000 in flight. */
    private static void throughput(int total, boolean print) throws Exception {
        try (Handoff handoff = Handoff.builder().build()) {
            AgentQueue queue = handoff.chatQueues().orElseThrow().queue("support");
            AtomicBoolean stop = new AtomicBoolean();
            ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
            for (int a = 0; a < 64; a++) {
                queue.signIn("agent-" + a);
                agent(queue, "agent-" + a, unused, stop, 0);
            }
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(1_000);
            AtomicInteger connected = new AtomicInteger();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                inFlight.acquire();
                HandoffSession s = handoff.open(SessionId.of("t-" + total + "-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                s.customer(BenchTexts.HARNESS_CUSTOMER[i % BenchTexts.HARNESS_CUSTOMER.length]);
                s.handOff(s.customer("I want to talk to a person")).whenComplete((o, e) -> {
                    if (o != null && o.status() == HandoffOutcome.Status.CONNECTED) {
                        connected.incrementAndGet();
                    }
                    s.end("done");
                    inFlight.release();
                });
            }
            inFlight.acquire(1_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = processCpuNanos() - cpuStart;
            stop.set(true);
            unused.shutdownNow();
            if (print) {
                System.out.printf(Locale.ROOT, "throughput: %,d handoffs (%,d connected) in %.2f s = %,.0f handoffs/s;"
                                + " process CPU %.0f us per handoff (all threads: JIT and GC included)%n", total,
                        connected.get(), seconds, total / seconds, cpu / 1e3 / total);
            }
        }
    }

    /** CPU time of this JVM so far (every thread, user and system), which other processes' load does not add to. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Retained heap per open session of 40 turns. */
    private static void heap(int sessions) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Handoff handoff = Handoff.builder().build()) {
            List<HandoffSession> open = new ArrayList<>(sessions);
            open.add(fill(handoff, -1));   // first-session costs (class init, caches) outside the measurement
            long before = settledHeap(memory);
            for (int i = 0; i < sessions; i++) {
                open.add(fill(handoff, i));
            }
            long after = settledHeap(memory);
            System.out.printf(Locale.ROOT, "heap: %,d open sessions of 40 turns (%,d characters of text each): %,d bytes per session%n",
                    sessions, textLength(open.get(1)), (after - before) / sessions);
            if (open.size() != sessions + 1) {
                throw new IllegalStateException("sessions lost");
            }
        }
    }

    private static HandoffSession fill(Handoff handoff, int i) {
        HandoffSession s = handoff.open(SessionId.of("heap-" + i), Channel.CHAT, CustomerData.of("cus-" + i, Map.of("plan", "gold")));
        for (int t = 0; t < 20; t++) {
            s.customer(BenchTexts.HARNESS_CUSTOMER[Math.floorMod(i + t, BenchTexts.HARNESS_CUSTOMER.length)]);
            s.ai(BenchTexts.HARNESS_AI[Math.floorMod(i + t, BenchTexts.HARNESS_AI.length)]);
        }
        return s;
    }

    private static int textLength(HandoffSession s) {
        return s.turns().stream().mapToInt(t -> t.text().length()).sum();
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static ConversationSnapshot conversation(String id, int turns) {
        List<dev.handoff.api.Turn> list = new ArrayList<>();
        Instant now = Instant.now();
        for (int t = 0; t < turns - 1; t++) {
            list.add(new dev.handoff.api.Turn(t, Speaker.CUSTOMER, BenchTexts.HARNESS_CUSTOMER[t % BenchTexts.HARNESS_CUSTOMER.length], now, null, false));
        }
        list.add(new dev.handoff.api.Turn(turns - 1, Speaker.CUSTOMER, "I want to talk to a person", now, null, false));
        return ConversationSnapshot.of(SessionId.of(id), Channel.CHAT, now, list, null, CustomerData.UNKNOWN);
    }

    /** An agent who takes the next offer and accepts it after a random 0 to {@code maxMillis} ms, forever. */
    private static void agent(AgentQueue queue, String id, ScheduledExecutorService clock, AtomicBoolean stop, long maxMillis) {
        if (stop.get()) {
            return;
        }
        queue.next(id, Duration.ofSeconds(5)).thenAccept(offer -> {
            if (offer.isEmpty()) {
                agent(queue, id, clock, stop, maxMillis);
            } else if (maxMillis == 0) {
                offer.get().accept();
                agent(queue, id, clock, stop, maxMillis);
            } else {
                clock.schedule(() -> {
                    offer.get().accept();
                    agent(queue, id, clock, stop, maxMillis);
                }, ThreadLocalRandom.current().nextLong(maxMillis), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Samples the live thread count every 10 ms until stopped. */
    private static final class ThreadPeak {
        final int before = Thread.getAllStackTraces().size();
        final AtomicInteger peak = new AtomicInteger(before);
        final java.util.concurrent.ScheduledFuture<?> sampler;

        ThreadPeak(ScheduledExecutorService on) {
            sampler = on.scheduleAtFixedRate(() -> peak.accumulateAndGet(Thread.getAllStackTraces().size(), Math::max), 0, 10,
                    TimeUnit.MILLISECONDS);
        }

        int[] stop() {
            sampler.cancel(false);
            return new int[] {peak.get(), before};
        }
    }

    private static final class Result {
        final long[] sorted;
        final int peakThreads;
        final int threadsBefore;
        double submitMillis;
        double lastNotifiedMillis;
        double cpuMicros;
        long jitMillis;

        Result(List<Long> samples, int[] threads) {
            this.sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            this.peakThreads = threads[0];
            this.threadsBefore = threads[1];
        }

        double p50() {
            return at(0.50);
        }

        double p99() {
            return at(0.99);
        }

        int addedThreads() {
            return peakThreads - threadsBefore;
        }

        private double at(double q) {
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }
}
