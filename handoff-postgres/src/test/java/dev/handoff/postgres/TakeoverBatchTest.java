package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A takeover poll claims at most {@link PostgresHandoffOwnership#TAKEOVER_BATCH} handoffs, however many a dead
 * instance left behind and however many survivors poll at once (the claim selects in a {@code MATERIALIZED} CTE, as
 * the outbox does: a sub-select joined in {@code UPDATE ... FROM} may be scanned again per row and, with
 * {@code SKIP LOCKED}, claim past its {@code LIMIT}).
 */
class TakeoverBatchTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String TENANT = "t-batch";
    private static HikariDataSource db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("takeover_batch", 6);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** A survivor whose own periodic takeover (every lease/2 = 5 min) stays out of the test: the test polls by hand. */
    private static PostgresHandoffStores survivor(String id, javax.sql.DataSource pool) {
        return PostgresHandoffStores.builder(pool).tenant(TENANT).instanceId(id).handoffLease(Duration.ofMinutes(10)).listen(false).build();
    }

    private static long ownedBy(String owner) {
        return EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.handoffs WHERE tenant_id = '" + TENANT + "' AND owner = '" + owner + "'");
    }

    @Test
    void a_takeover_poll_never_claims_more_than_its_batch_even_with_two_survivors_polling_at_once() throws Exception {
        int batch = PostgresHandoffOwnership.TAKEOVER_BATCH;
        HikariDataSource poolC = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
        PostgresHandoffStores b = survivor("i-b", db);
        PostgresHandoffStores c = survivor("i-c", poolC);   // the stores create the schema
        // a dead instance's handoffs, their leases long run out
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.handoffs (tenant_id, handoff_id, session_id, channel, phase, owner, lease_until,"
                + " requested_at, wait_until, updated_at, purge_after) SELECT '" + TENANT + "', 'h-dead-' || n, 'chat-dead-' || n, 'CHAT',"
                + " 'REQUESTED', 'i-dead', now() - interval '1 hour', now() - interval '1 hour', now() + interval '1 hour',"
                + " now() - interval '1 hour', now() + interval '30 days' FROM generate_series(1, " + (batch * 4) + ") AS n");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Handoff onB = b.applyTo(Handoff.builder()).signingKeys(KEYS).build();
             Handoff onC = c.applyTo(Handoff.builder()).signingKeys(KEYS).build()) {
            b.ownership().takeOver();
            long firstPoll = ownedBy("i-b");

            CountDownLatch go = new CountDownLatch(1);
            Future<?> byB = threads.submit(() -> {
                go.await();
                b.ownership().takeOver();
                return null;
            });
            Future<?> byC = threads.submit(() -> {
                go.await();
                c.ownership().takeOver();
                return null;
            });
            go.countDown();
            byB.get(60, TimeUnit.SECONDS);
            byC.get(60, TimeUnit.SECONDS);

            assertThat(firstPoll).as("one poll, one batch").isEqualTo(batch);
            assertThat(ownedBy("i-b")).as("b's second poll adds one batch").isEqualTo(2L * batch);
            assertThat(ownedBy("i-c")).as("c's poll, at the same time, one batch of other handoffs").isEqualTo(batch);
            assertThat(ownedBy("i-dead")).isEqualTo(batch);
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.handoffs WHERE tenant_id = '" + TENANT + "' AND taken_over > 1"))
                    .as("no handoff taken over twice").isZero();
        } finally {
            threads.shutdownNow();
            poolC.close();
        }
    }
}
