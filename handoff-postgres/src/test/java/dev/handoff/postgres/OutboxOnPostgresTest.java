package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.HandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.store.DeadLetter;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore.Claim;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.outbox.OutboxListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRM outbox on PostgreSQL with the one {@link OutboxDispatcher} of handoff-crm-adapters, a real webhook adapter
 * and a real local HTTP CRM (MockWebServer): several dispatchers on one table, CRM outages, refusals, dead
 * instances, tenants and a database that turns read-only. Each test uses its own tenant on this class's database.
 */
class OutboxOnPostgresTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    /** How long a pool waits for a connection: generous, since several JVMs and builds share 2 cores. */
    static final long WAIT_FOR_CONNECTION = 30_000;
    private static HikariDataSource db;
    private static String jdbcUrl;

    private OutboxCrm crm;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("outbox", 4);
        jdbcUrl = EmbeddedDatabase.server().getJdbcUrl("postgres", "outbox");
        PostgresSchema.migrate(db, PostgresSchema.DEFAULT_SCHEMA);
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @BeforeEach
    void startCrm() throws Exception {
        crm = new OutboxCrm();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        crm.close();
    }

    /** An instance: its own pool and stores, as another host would have. */
    private PostgresHandoffStores instance(String tenant, String instanceId) {
        HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, 4, WAIT_FOR_CONNECTION);
        toClose.add(pool);
        return PostgresHandoffStores.builder(pool).tenant(tenant).instanceId(instanceId).shareRunningHandoffs(false).build();
    }

    private OutboxDispatcher dispatcher(PostgresHandoffStores stores, OutboxListener listener, int workers) {
        OutboxDispatcher d = OutboxDispatcher.builder(stores.outbox()).adapter(crm.webhook()).retryPolicy(OutboxCrm.FAST)
                .pollInterval(Duration.ofMillis(100)).workers(workers).claimBatch(5).listener(listener).build();
        toClose.add(d);
        return d;
    }

    static HandoffContext context(String id) {
        return Contexts.context(id, "s-" + id, "cus-" + id, T0);
    }

    /** Collects what a dispatcher reports. */
    static final class Events implements OutboxListener {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        final CountDownLatch delivered;

        Events(int expectedDeliveries) {
            this.delivered = new CountDownLatch(expectedDeliveries);
        }

        @Override
        public void delivered(OutboxEntry entry, CrmReceipt receipt, int attempts) {
            log.add("delivered " + entry.contextId() + " after " + attempts);
            delivered.countDown();
        }

        @Override
        public void retryScheduled(OutboxEntry entry, int failures, Duration delay, HandoffException cause) {
            log.add("retry " + entry.contextId() + " after failure " + failures);
        }

        @Override
        public void deadLettered(OutboxEntry entry, String reason) {
            log.add("dead " + entry.contextId() + ": " + reason);
        }

        String next() throws InterruptedException {
            String e = log.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("an outbox event within 30 s").isNotNull();
            return e;
        }

        void awaitDelivered() throws InterruptedException {
            assertThat(delivered.await(120, TimeUnit.SECONDS)).as("%d deliveries still missing", delivered.getCount()).isTrue();
        }
    }

    private static long rows(String tenant, String state) {
        return EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.outbox WHERE tenant_id = '" + tenant + "' AND state = '" + state + "'");
    }

    @Test
    void two_dispatchers_on_one_database_deliver_each_entry_exactly_once() throws Exception {
        PostgresHandoffStores a = instance("two", "instance-a");
        PostgresHandoffStores b = instance("two", "instance-b");
        Events events = new Events(120);
        OutboxDispatcher onA = dispatcher(a, events, 2);
        OutboxDispatcher onB = dispatcher(b, events, 2);
        onA.start();
        onB.start();

        for (int i = 0; i < 60; i++) {
            onA.submit(context("ctx-a-" + i));
            onB.submit(context("ctx-b-" + i));
        }
        onB.submit(context("ctx-a-7")); // the same handoff submitted again on the other instance: one entry

        events.awaitDelivered();
        assertThat(crm.accepted).hasSize(120);
        assertThat(crm.duplicates()).as("keys the CRM received more than once").isEmpty();
        assertThat(onA.pendingCount()).isZero();
        assertThat(rows("two", "DELIVERED")).isEqualTo(120);
        assertThat(EmbeddedDatabase.count(db, "SELECT count(DISTINCT claimed_by) FROM handoff.outbox WHERE tenant_id = 'two'"))
                .as("claims are cleared when delivered").isZero();
    }

    @Test
    void while_the_crm_is_down_entries_are_kept_and_they_are_delivered_once_it_recovers() throws Exception {
        PostgresHandoffStores a = instance("crm-down", "instance-a");
        Events events = new Events(5);
        OutboxDispatcher dispatcher = dispatcher(a, events, 1);
        crm.down = true;
        dispatcher.start();
        for (int i = 0; i < 5; i++) {
            dispatcher.submit(context("ctx-down-" + i));
        }

        List<String> seen = new ArrayList<>();
        while (seen.stream().filter(e -> e.endsWith("after failure 2")).count() < 5) {
            seen.add(events.next());
        }
        assertThat(seen).allMatch(e -> e.startsWith("retry "));
        assertThat(dispatcher.pendingCount()).isEqualTo(5);
        assertThat(EmbeddedDatabase.count(db, "SELECT min(failures) FROM handoff.outbox WHERE tenant_id = 'crm-down'"))
                .as("failures are kept in the row").isGreaterThanOrEqualTo(2);

        crm.down = false;

        events.awaitDelivered();
        assertThat(crm.accepted.keySet()).containsExactlyInAnyOrder("webhook:ctx-down-0", "webhook:ctx-down-1", "webhook:ctx-down-2",
                "webhook:ctx-down-3", "webhook:ctx-down-4");
        assertThat(crm.duplicates()).isEmpty();
        assertThat(dispatcher.pendingCount()).isZero();
    }

    @Test
    void a_permanent_4xx_becomes_a_dead_letter_with_its_reason_and_no_transcript_text_in_the_log() throws Exception {
        PostgresHandoffStores a = instance("refused", "instance-a");
        crm.fixed = new MockResponse().setResponseCode(400).setBody("{\"error\":\"bad field in ssn 123-45-6789\"}");
        Events events = new Events(0);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            OutboxDispatcher dispatcher = dispatcher(a, events, 1);
            dispatcher.start();
            dispatcher.submit(context("ctx-refused"));

            assertThat(events.next()).isEqualTo("dead ctx-refused: webhook POST " + OutboxCrm.PATH + " was refused: HTTP 400");
            dispatcher.close();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(a.outbox().pendingCount()).isZero();
        List<DeadLetter> dead = a.outbox().deadLetters();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("webhook POST " + OutboxCrm.PATH + " was refused: HTTP 400");
            assertThat(d.entry().idempotencyKey()).isEqualTo("webhook:ctx-refused");
            assertThat(d.entry().contextJson()).as("the dead letter keeps the whole context").contains("Bright Smile Dental");
        });
        assertThat(crm.server.getRequestCount()).as("not retried").isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("the capture works").contains("refused context ctx-refused for good")
                .doesNotContain("123-45-6789").doesNotContain("Bright Smile").doesNotContain("back tooth");
    }

    @Test
    void an_entry_claimed_by_an_instance_that_died_is_delivered_by_another_once_the_lease_runs_out() throws Exception {
        PostgresHandoffStores dead = instance("lease", "instance-dead");
        OutboxEntry entry = dead.outbox().append("webhook", "webhook:ctx-lease", context("ctx-lease"));
        Claim held = dead.outbox().claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30)).get(0); // then the instance dies mid-push
        ManualTime clockB = new ManualTime(Instant.now());
        HikariDataSource poolB = EmbeddedDatabase.pool(jdbcUrl, 4, WAIT_FOR_CONNECTION);
        toClose.add(poolB);
        PostgresHandoffStores b = PostgresHandoffStores.builder(poolB).tenant("lease").instanceId("instance-b").clock(clockB)
                .shareRunningHandoffs(false).build();
        assertThat(b.outbox().claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30))).as("held by the dead instance's lease").isEmpty();

        Events events = new Events(1);
        OutboxDispatcher onB = dispatcher(b, events, 1);
        onB.start();
        clockB.advance(Duration.ofSeconds(60));

        assertThat(events.next()).isEqualTo("delivered ctx-lease after 1");
        assertThat(crm.accepted.keySet()).containsExactly("webhook:ctx-lease");
        assertThat(dead.outbox().acknowledge(held, null)).as("the dead instance's late acknowledgement is fenced out").isFalse();
        assertThat(EmbeddedDatabase.count(db, "SELECT claims FROM handoff.outbox WHERE tenant_id = 'lease' AND entry_id = '"
                + entry.id() + "'")).isEqualTo(2);
        assertThat(rows("lease", "DELIVERED")).isEqualTo(1);
    }

    @Test
    void tenants_share_the_table_and_never_see_or_deliver_each_others_entries() throws Exception {
        PostgresHandoffStores initech = instance("initech", "instance-a");
        PostgresHandoffStores globex = instance("globex", "instance-a");
        OutboxEntry initechEntry = initech.outbox().append("webhook", "webhook:ctx-1", context("ctx-1"));
        initech.outbox().append("webhook", "webhook:ctx-2", context("ctx-2"));
        List<Claim> one = initech.outbox().claimDue(Set.of("webhook"), 1, Duration.ofMinutes(1));
        assertThat(one).as("no more than asked for").hasSize(1);
        Claim initechDead = one.get(0);
        initech.outbox().deadLetter(initechDead, "webhook POST /hooks/handoff was refused: HTTP 400");

        OutboxEntry globexEntry = globex.outbox().append("webhook", "webhook:ctx-1", context("ctx-1"));

        assertThat(globexEntry.id()).as("the same key under another tenant is another entry").isNotEqualTo(initechEntry.id());
        assertThat(globex.outbox().pendingCount()).isEqualTo(1);
        assertThat(globex.outbox().deadLetters()).isEmpty();
        Claim initechHeld = initech.outbox().claimDue(Set.of("webhook"), 10, Duration.ofMinutes(1)).get(0);
        assertThat(globex.outbox().acknowledge(initechHeld, null)).as("another tenant cannot end initech's claim").isFalse();
        initech.outbox().release(initechHeld);

        Events events = new Events(1);
        OutboxDispatcher onGlobex = dispatcher(globex, events, 1);
        onGlobex.start();
        assertThat(events.next()).isEqualTo("delivered ctx-1 after 1");
        assertThat(onGlobex.pendingCount()).isZero();
        assertThat(initech.outbox().pendingCount()).as("initech's entry waits for initech's dispatcher").isEqualTo(1);
        assertThat(initech.outbox().deadLetters()).hasSize(1);
        assertThat(crm.accepted.keySet()).containsExactly("webhook:ctx-1");
    }

    @Test
    void a_commitment_verdict_is_one_row_delivered_once_even_when_submitted_again_after_delivery() throws Exception {
        PostgresHandoffStores a = instance("verdicts", "instance-a");
        Events events = new Events(2);
        OutboxDispatcher dispatcher = dispatcher(a, events, 1);
        dispatcher.start();
        HandoffContext packaged = context("ctx-verdict-1");
        dev.handoff.api.Commitment first = dev.handoff.api.Commitment.pending("c-1", dev.handoff.api.Commitment.Kind.CREDIT,
                dev.handoff.api.Commitment.Strength.HARD, "I've added a $10 credit", "$10", 0);
        List<dev.handoff.api.Commitment> verified = List.of(first.verified(dev.handoff.api.Commitment.Status.CONFIRMED, null, "alice",
                T0.plusSeconds(30)));
        HandoffContext withVerdict = new HandoffContext(packaged.schema(), packaged.contextId(), packaged.sessionId(), packaged.channel(),
                packaged.createdAt(), packaged.transcript(), packaged.inFlight(), packaged.customer(), packaged.crmProfile(),
                packaged.metadata(), packaged.semanticLedger(), packaged.sentiment(), verified, packaged.whisper(), packaged.tone(),
                packaged.compliance(), null, packaged.extensions());

        dispatcher.submit(packaged);
        dispatcher.submitVerdict(withVerdict, first.id());
        events.awaitDelivered();
        OutboxEntry again = dispatcher.submitVerdict(withVerdict, first.id()).get(0);   // a retried verdict, after delivery

        String key = "webhook:ctx-verdict-1:verdict:" + first.id() + ":CONFIRMED";
        assertThat(again.verdictCommitmentId()).contains(first.id());
        assertThat(again.idempotencyKey()).isEqualTo(key);
        assertThat(crm.accepted.keySet()).containsExactlyInAnyOrder("webhook:ctx-verdict-1", key);
        assertThat(crm.duplicates()).isEmpty();
        assertThat(rows("verdicts", "DELIVERED")).isEqualTo(2);
        assertThat(dispatcher.pendingCount()).isZero();
    }

    @Test
    void a_database_that_turned_read_only_refuses_appends_retriably_and_loses_nothing() throws Exception {
        try (HikariDataSource admin = EmbeddedDatabase.newDatabase("outbox_read_only", 1);
             HikariDataSource pool = EmbeddedDatabase.pool(EmbeddedDatabase.server().getJdbcUrl("postgres", "outbox_read_only"), 4,
                     WAIT_FOR_CONNECTION)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).shareRunningHandoffs(false).build();
            stores.outbox().append("webhook", "webhook:ctx-before", context("ctx-before"));
            EmbeddedDatabase.setReadOnly(admin, pool, "outbox_read_only", true);
            Events events = new Events(2);
            try (OutboxDispatcher dispatcher = OutboxDispatcher.builder(stores.outbox()).adapter(crm.webhook()).retryPolicy(OutboxCrm.FAST)
                    .pollInterval(Duration.ofMillis(100)).listener(events).build()) {
                dispatcher.start();

                assertThatThrownBy(() -> dispatcher.submit(context("ctx-ro")))
                        .isInstanceOf(RetriableHandoffException.class)
                        .hasMessageStartingWith("PostgreSQL is read-only while appending context ctx-ro to the outbox for webhook (SQLState 25006")
                        .hasMessageContaining("expected a writable primary. Nothing was written; retry when the primary is back");
                assertThat(dispatcher.pendingCount()).as("what was stored is still there").isEqualTo(1);
                assertThat(crm.server.getRequestCount()).as("nothing is pushed that could not be recorded").isZero();

                EmbeddedDatabase.setReadOnly(admin, pool, "outbox_read_only", false);
                dispatcher.submit(context("ctx-ro")); // the caller retries after the retriable error

                events.awaitDelivered();
                assertThat(crm.accepted.keySet()).containsExactlyInAnyOrder("webhook:ctx-before", "webhook:ctx-ro");
                assertThat(crm.duplicates()).isEmpty();
            }
        }
    }

    @Test
    void a_database_that_is_not_there_gives_a_retriable_error_naming_what_was_expected() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HikariDataSource healthy = EmbeddedDatabase.pool(jdbcUrl, 2, WAIT_FOR_CONNECTION);
             HikariDataSource nowhere = EmbeddedDatabase.pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/outbox", 1, 500)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(healthy).tenant("nowhere").shareRunningHandoffs(false).build();
            PostgresOutbox unreachable = new PostgresOutbox(new dev.handoff.postgres.internal.Tenancy(
                    new dev.handoff.postgres.internal.Jdbc(nowhere), "nowhere", "handoff", java.time.Clock.systemUTC(), Duration.ofDays(1)),
                    "instance-x");

            assertThatThrownBy(() -> unreachable.append("webhook", "webhook:ctx-x", context("ctx-x")))
                    .isInstanceOf(RetriableHandoffException.class)
                    .hasMessageStartingWith("PostgreSQL unavailable while appending context ctx-x to the outbox for webhook (SQLState ")
                    .hasMessageContaining("expected a reachable PostgreSQL server. Nothing was written; retry later");
            assertThatThrownBy(() -> unreachable.claimDue(Set.of("webhook"), 1, Duration.ofMinutes(1)))
                    .isInstanceOf(RetriableHandoffException.class)
                    .hasMessageStartingWith("PostgreSQL unavailable while claiming due outbox entries");
            assertThat(stores.outbox().pendingCount()).isZero();
        }
    }

    @Test
    void bad_arguments_name_the_field_and_the_value() {
        PostgresHandoffStores a = instance("bad-input", "instance-a");
        assertThatThrownBy(() -> a.outbox().append("web hook", "k", context("ctx-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adapter must be 1-64 characters of [A-Za-z0-9_.:-], was \"web hook\"");
        assertThatThrownBy(() -> OutboxDispatcher.builder(a.outbox()).lease(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lease must be PT1S to PT1H, was PT0.01S");
    }

    @Test
    void finished_entries_are_purged_after_the_retention_and_a_customers_erasure_removes_theirs() {
        ManualTime clock = new ManualTime(T0);
        HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, 2, WAIT_FOR_CONNECTION);
        toClose.add(pool);
        PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).tenant("retention").clock(clock).retention(Duration.ofDays(1))
                .shareRunningHandoffs(false).build();
        stores.outbox().append("webhook", "webhook:ctx-done", context("ctx-done"));
        stores.outbox().acknowledge(stores.outbox().claimDue(Set.of("webhook"), 1, Duration.ofMinutes(1)).get(0), null);
        stores.outbox().append("webhook", "webhook:ctx-erased", context("ctx-erased"));
        stores.contextStore().put(context("ctx-erased"));

        assertThat(stores.dataRetention().eraseCustomer("cus-ctx-erased", "privacy-desk").removed()).containsEntry("outbox", 1L);
        assertThat(stores.outbox().pendingCount()).isZero();
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(stores.dataRetention().purgeExpired().removed()).containsEntry("outbox", 1L);
        assertThat(rows("retention", "DELIVERED")).isZero();
    }

    @Test
    void the_readme_wiring_delivers_through_the_shared_outbox() throws Exception {
        HikariDataSource dataSource = EmbeddedDatabase.pool(jdbcUrl, 4, WAIT_FOR_CONNECTION);
        toClose.add(dataSource);
        dev.handoff.api.spi.CrmAdapter webhook = crm.webhook();
        Events alerts = new Events(1);
        HandoffContext handoffContext = context("ctx-readme");

        // tag::outbox-wiring[]
        PostgresHandoffStores stores = PostgresHandoffStores.builder(dataSource).tenant("acme").build();
        OutboxDispatcher crm = OutboxDispatcher.builder(stores.outbox())   // the same dispatcher as with a FileOutbox
                .adapter(webhook)
                .listener(alerts)
                .build();
        crm.start();                      // on every instance: each push is delivered by one of them

        crm.submit(handoffContext);       // returns once the row is committed; never waits for the CRM
        // end::outbox-wiring[]
        toClose.add(crm);

        assertThat(alerts.next()).isEqualTo("delivered ctx-readme after 1");
        assertThat(this.crm.accepted.keySet()).containsExactly("webhook:ctx-readme");
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void an_entry_keeps_the_trace_context_it_was_appended_with_and_a_malformed_stored_one_is_dropped() {
        PostgresHandoffStores a = instance("trace", "instance-a");
        Map<String, String> fields = Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc", "baggage", "user=secret");

        OutboxEntry traced = a.outbox().append("webhook", "webhook:ctx-traced", context("ctx-traced"), fields);
        a.outbox().append("webhook", "webhook:ctx-untraced", context("ctx-untraced"));
        a.outbox().append("webhook", "webhook:ctx-damaged", context("ctx-damaged"), Map.of("traceparent", TRACEPARENT));
        EmbeddedDatabase.execute(db, "UPDATE handoff.outbox SET traceparent = '00-zz-not-a-trace', tracestate = 'vendor=abc'"
                + " WHERE tenant_id = 'trace' AND context_id = 'ctx-damaged'");

        assertThat(traced.traceContext()).as("only the W3C fields are kept")
                .isEqualTo(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"));
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.outbox WHERE tenant_id = 'trace' AND traceparent IS NULL"))
                .as("a row appended without a trace context has none").isEqualTo(1);
        Map<String, Map<String, String>> claimed = new java.util.HashMap<>();
        for (Claim c : a.outbox().claimDue(Set.of("webhook"), 10, Duration.ofMinutes(1))) {
            claimed.put(c.entry().contextId(), c.entry().traceContext());
        }
        assertThat(claimed).containsOnlyKeys("ctx-traced", "ctx-untraced", "ctx-damaged");
        assertThat(claimed.get("ctx-traced")).isEqualTo(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"));
        assertThat(claimed.get("ctx-untraced")).isEmpty();
        assertThat(claimed.get("ctx-damaged")).as("a malformed traceparent read back is dropped, with its tracestate").isEmpty();
        assertThat(a.outbox().append("webhook", "webhook:ctx-traced", context("ctx-traced")).traceContext())
                .as("the pending entry, read back with its trace context").isEqualTo(claimed.get("ctx-traced"));
    }

    @Test
    void every_attempt_on_postgres_runs_inside_the_trace_context_of_the_handoff_that_queued_it() throws Exception {
        PostgresHandoffStores a = instance("trace-retry", "instance-a");
        List<Map<String, String>> resumed = new java.util.concurrent.CopyOnWriteArrayList<>();
        HandoffPropagator propagator = new HandoffPropagator() {
            @Override
            public Map<String, String> fields(SessionId session) {
                return session.value().equals("s-ctx-trace-retry") ? Map.of("traceparent", TRACEPARENT) : Map.of();
            }

            @Override
            public Scope open(SessionId session) {
                return Scope.NOOP;
            }

            @Override
            public Scope resume(Map<String, String> fields) {
                resumed.add(fields);
                return Scope.NOOP;
            }
        };
        Events events = new Events(2);
        OutboxDispatcher d = OutboxDispatcher.builder(a.outbox()).adapter(crm.webhook()).retryPolicy(OutboxCrm.FAST)
                .pollInterval(Duration.ofMillis(100)).listener(events).propagator(propagator).build();
        toClose.add(d);
        crm.down = true;
        d.submit(context("ctx-trace-retry"));
        d.submit(context("ctx-no-trace"));
        d.start();
        while (!events.next().equals("retry ctx-trace-retry after failure 1")) {
            // wait for the first failed attempt of the traced entry
        }
        crm.down = false;

        events.awaitDelivered();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.outbox WHERE tenant_id = 'trace-retry' AND traceparent = '"
                + TRACEPARENT + "'")).isEqualTo(1);
        assertThat(resumed).as("the failed attempt and the delivery, each with the stored context; none for the untraced entry")
                .hasSizeGreaterThanOrEqualTo(2).containsOnly(Map.of("traceparent", TRACEPARENT));
    }
}
