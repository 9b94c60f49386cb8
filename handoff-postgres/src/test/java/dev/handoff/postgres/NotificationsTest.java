package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.postgres.internal.Jdbc;
import dev.handoff.postgres.internal.Notifications;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between instances: what one instance publishes after a commit reaches the other instance's
 * subscriber, in the order published, also when it is published faster than one transaction per notification; what
 * is queued when the publisher closes is still sent; a database that cannot be reached never reaches the writer that
 * publishes (what it published meanwhile is dropped: consumers poll); a killed listening connection reconnects and asks every consumer to re-poll, since notifications sent
 * meanwhile are lost.
 */
class NotificationsTest {

    private static final long WAIT_SECONDS = 30;
    private static HikariDataSource db;
    private static final ExecutorService DISPATCH = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("notifications", 6);
    }

    @AfterAll
    static void close() {
        DISPATCH.shutdownNow();
        db.close();
    }

    /** A listener on {@code channel} whose connection is up when this returns. */
    private static Notifications listening(String name, String channel, BlockingQueue<String> received, BlockingQueue<String> connects)
            throws InterruptedException {
        Notifications listener = new Notifications(db, DISPATCH, name);
        listener.subscribe(channel, received::add);
        listener.onReconnect(() -> connects.add("connected"));
        listener.start();
        assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the listener connected").isEqualTo("connected");
        return listener;
    }

    private static List<String> take(BlockingQueue<String> received, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("notification %d of %d (received so far: %s)", i + 1, n, out.size()).isNotNull();
            out.add(next);
        }
        return out;
    }

    @Test
    void what_another_instance_publishes_arrives_in_the_order_published() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Notifications listener = listening("handoff-listen-n1", "handoff_offers", received, new LinkedBlockingQueue<>());
             Notifications publisher = new Notifications(db, DISPATCH, "handoff-listen-p1", false)) {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 600; i++) {   // faster than one transaction each: batches of up to 256
                sent.add("acme/support/o-" + i);
                publisher.publish("handoff_offers", "acme/support/o-" + i);
            }

            assertThat(take(received, sent.size())).containsExactlyElementsOf(sent);
            // the sender counts a batch once its statement has returned, which may be after a listener has it
            assertThat(Await.within(() -> publisher.published() == sent.size(), Duration.ofSeconds(WAIT_SECONDS)))
                    .as("published %s, expected %s", publisher.published(), sent.size()).isTrue();
        }
    }

    @Test
    void closing_the_publisher_sends_what_it_has_queued() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Notifications listener = listening("handoff-listen-n2", "handoff_offer", received, new LinkedBlockingQueue<>())) {
            Notifications publisher = new Notifications(db, DISPATCH, "handoff-listen-p2", false);
            for (int i = 0; i < 50; i++) {
                publisher.publish("handoff_offer", "acme/o-" + i + "/ACCEPTED/1/i-1/bob");
            }
            publisher.close();

            assertThat(take(received, 50)).first().isEqualTo("acme/o-0/ACCEPTED/1/i-1/bob");
            publisher.publish("handoff_offer", "acme/after-close");
            assertThat(received.poll(1, TimeUnit.SECONDS)).as("nothing is sent once closed").isNull();
        }
    }

    @Test
    void publishing_while_the_database_cannot_be_reached_neither_blocks_nor_throws_and_sending_resumes() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CuttableDataSource network = new CuttableDataSource(db);
        try (Notifications listener = listening("handoff-listen-n3", "handoff_offers", received, new LinkedBlockingQueue<>());
             Notifications publisher = new Notifications(network, DISPATCH, "handoff-listen-p3", false)) {
            network.cut(true);
            assertThatCode(() -> publisher.publish("handoff_offers", "acme/support/during-cut")).doesNotThrowAnyException();
            assertThat(Await.within(() -> publisher.dropped() == 1, Duration.ofSeconds(WAIT_SECONDS))).as("its batch failed and was dropped").isTrue();
            network.cut(false);
            publisher.publish("handoff_offers", "acme/support/after-cut");

            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("acme/support/after-cut");
            // counted once the sending statement has returned, which may be after the listener has the notification
            assertThat(Await.within(() -> publisher.published() == 1, Duration.ofSeconds(WAIT_SECONDS)))
                    .as("published %s, expected 1", publisher.published()).isTrue();
            assertThat(publisher.dropped()).as("only the batch sent during the cut was dropped").isEqualTo(1);
        }
    }

    /**
     * A network cut that leaves the listening connection open on this side: waiting for notifications sends nothing,
     * so only the listener's probe (a question asked every {@link Notifications#PROBE_INTERVAL}, answered within the
     * answer timeout or not at all) finds that nothing comes back. It then reconnects, asks for a re-poll, and
     * receives again.
     */
    @Test
    void a_listening_connection_that_a_network_cut_left_open_is_found_by_its_probe_and_replaced() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        try (FreezableRelay relay = new FreezableRelay(EmbeddedDatabase.server().getPort());
             HikariDataSource throughRelay = EmbeddedDatabase.pool("jdbc:postgresql://127.0.0.1:" + relay.port() + "/notifications", 2);
             Notifications listener = new Notifications(new Jdbc(throughRelay, Duration.ofSeconds(1)), DISPATCH, "handoff-listen-n5", true);
             Notifications publisher = new Notifications(db, DISPATCH, "handoff-listen-p5", false)) {
            listener.subscribe("handoff_offer", received::add);
            listener.onReconnect(() -> connects.add("connected"));
            listener.start();
            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the listener connected").isEqualTo("connected");

            relay.cutOpenConnections();
            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the cut was found and the listener reconnected").isEqualTo("connected");
            publisher.publish("handoff_offer", "acme/o-after-cut");
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("acme/o-after-cut");
        }
    }

    @Test
    void a_killed_listening_connection_reconnects_asks_for_a_re_poll_and_receives_again() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> connects = new LinkedBlockingQueue<>();
        try (Notifications listener = listening("handoff-listen-n4", "handoff_offer", received, connects);
             Notifications publisher = new Notifications(db, DISPATCH, "handoff-listen-p4", false)) {
            EmbeddedDatabase.execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'handoff-listen-n4'");

            assertThat(connects.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("reconnected: consumers re-poll now").isEqualTo("connected");
            publisher.publish("handoff_offer", "acme/o-1");
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("acme/o-1");
            assertThat(listener.connected()).isTrue();
        }
    }
}
