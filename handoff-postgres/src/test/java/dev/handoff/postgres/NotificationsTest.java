package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.postgres.internal.Notifications;
import java.sql.Connection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between instances: a notification sent inside a write's transaction reaches the other instance's
 * subscriber after the commit; when the listening connection is killed it reconnects and asks every consumer to
 * re-poll, since notifications sent meanwhile are lost.
 */
class NotificationsTest {

    private static final long WAIT_SECONDS = 30;
    private static HikariDataSource db;
    private static final ExecutorService DISPATCH = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("notifications", 4);
    }

    @AfterAll
    static void close() {
        DISPATCH.shutdownNow();
        db.close();
    }

    private static void sendCommitted(String channel, String payload) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            Notifications.send(c, channel, payload);
            c.commit();
        }
    }

    @Test
    void a_notification_sent_in_a_transaction_reaches_the_subscriber_once_committed_and_a_rolled_back_one_never() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        try (Notifications listener = new Notifications(db, DISPATCH, "handoff-listen-n1")) {
            listener.subscribe("handoff_offers", received::add);
            listener.onReconnect(() -> connects.add("connected"));
            listener.start();
            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");

            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                Notifications.send(c, "handoff_offers", "acme/rolled-back");
                c.rollback();
            }
            sendCommitted("handoff_offers", "acme/support");

            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("notifications arrive in commit order; a rolled back one never")
                    .isEqualTo("acme/support");
        }
    }

    @Test
    void a_killed_listening_connection_reconnects_asks_for_a_re_poll_and_receives_again() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        try (Notifications listener = new Notifications(db, DISPATCH, "handoff-listen-n2")) {
            listener.subscribe("handoff_offer", received::add);
            listener.onReconnect(() -> connects.add("connected"));
            listener.start();
            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");

            EmbeddedDatabase.execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'handoff-listen-n2'");

            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("reconnected: consumers re-poll now").isEqualTo("connected");
            sendCommitted("handoff_offer", "acme/o-1");
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("acme/o-1");
            assertThat(listener.connected()).isTrue();
        }
    }
}
