package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.AuditBacklog;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.metrics.InMemoryMetricsSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An audit sink that fails for a while (its database down or not answering) loses nothing: the handoffs go on, the
 * records they make meanwhile are kept in order and written once the sink takes them again, each with the time it was
 * made.
 */
class AuditRetryTest extends HandoffFixture {

    /** The records of one connected handoff, in order. */
    static final List<AuditRecord.Action> CONNECTED_TRAIL = List.of(AuditRecord.Action.HANDOFF_REQUESTED,
            AuditRecord.Action.CONTEXT_PACKAGED, AuditRecord.Action.TRANSFER_ATTEMPTED, AuditRecord.Action.HANDOFF_CONNECTED);

    private final FlakyAuditSink sink = new FlakyAuditSink();

    /** A Handoff on the flaky sink, with alice signed in to "support". */
    private AgentQueue start() {
        handoff = Handoff.builder().auditSink(sink).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        return support;
    }

    private HandoffOutcome connect(AgentQueue support) throws Exception {
        agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
        HandoffSession session = handoff.open(Channel.CHAT);
        return session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void records_a_failing_sink_did_not_take_are_written_in_order_once_it_takes_them_again() throws Exception {
        AgentQueue support = start();

        sink.down.set(true);
        HandoffOutcome first = connect(support);
        HandoffOutcome second = connect(support);
        assertThat(List.of(first.status(), second.status())).as("the handoffs go on without the audit sink")
                .containsOnly(HandoffOutcome.Status.CONNECTED);
        assertThat(sink.kept.records()).as("nothing written while the sink is down").isEmpty();
        assertThat(sink.refused.get()).isPositive();
        java.time.Instant beforeRecovery = java.time.Instant.now();

        sink.down.set(false);
        sink.awaitWritten(8);
        List<AuditRecord> records = sink.kept.records();
        assertThat(records).extracting(AuditRecord::action)
                .containsExactlyElementsOf(Stream.concat(CONNECTED_TRAIL.stream(), CONNECTED_TRAIL.stream()).toList());
        assertThat(records.subList(0, 4)).extracting(AuditRecord::sessionId).containsOnly(first.sessionId());
        assertThat(records.subList(4, 8)).extracting(AuditRecord::sessionId).containsOnly(second.sessionId());
        assertThat(records).as("each keeps the time it was made").allSatisfy(r -> assertThat(r.at()).isBefore(beforeRecovery));
    }

    @Test
    void a_kept_record_the_sink_refuses_for_good_is_dropped_and_holds_up_none_of_the_others() throws Exception {
        AgentQueue support = start();

        sink.down.set(true);
        HandoffOutcome during = connect(support);
        sink.neverTaken = r -> r.action() == AuditRecord.Action.TRANSFER_ATTEMPTED;   // kept with the others, refused once the sink is back
        sink.down.set(false);

        sink.awaitWritten(3);
        assertThat(sink.kept.records()).extracting(AuditRecord::action).containsExactly(AuditRecord.Action.HANDOFF_REQUESTED,
                AuditRecord.Action.CONTEXT_PACKAGED, AuditRecord.Action.HANDOFF_CONNECTED);
        assertThat(sink.kept.records()).extracting(AuditRecord::sessionId).containsOnly(during.sessionId());

        sink.neverTaken = r -> false;
        HandoffOutcome after = connect(support);
        assertThat(after.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(sink.kept.records()).as("written at once: nothing waits any more").hasSize(7);
    }

    @Test
    void closing_writes_the_kept_records_of_a_sink_that_is_back() throws Exception {
        AgentQueue support = start();
        InMemoryMetricsSink metrics = (InMemoryMetricsSink) handoff.metrics();
        assertThat(metrics.gauge(AuditBacklog.WAITING_GAUGE, Map.of())).as("published from the start").isZero();
        sink.down.set(true);
        HandoffOutcome during = connect(support);
        assertThat(handoff.auditBacklog()).isEqualTo(new AuditBacklog(4, AuditBacklog.DEFAULT_LIMIT, 0, null, false));
        assertThat(metrics.gauge(AuditBacklog.WAITING_GAUGE, Map.of())).isEqualTo(4.0);
        sink.down.set(false);

        Handoff closed = handoff;
        handoff.close();   // before the first retry (a second after the failure), as a shutdown right after an outage
        handoff = null;

        assertThat(sink.kept.records()).extracting(AuditRecord::action).containsExactlyElementsOf(CONNECTED_TRAIL);
        assertThat(sink.kept.records()).extracting(AuditRecord::sessionId).containsOnly(during.sessionId());
        assertThat(closed.auditBacklog().waiting()).isZero();
        assertThat(metrics.gauge(AuditBacklog.WAITING_GAUGE, Map.of())).isZero();
    }

    @Test
    void a_record_made_after_the_sink_recovered_comes_after_the_ones_it_had_failed_to_take() throws Exception {
        AgentQueue support = start();

        sink.down.set(true);
        HandoffOutcome during = connect(support);
        sink.down.set(false);
        HandoffOutcome after = connect(support);   // may run before the retry: its records wait behind the kept ones

        sink.awaitWritten(8);
        assertThat(sink.kept.records()).extracting(AuditRecord::sessionId).containsExactly(during.sessionId(), during.sessionId(),
                during.sessionId(), during.sessionId(), after.sessionId(), after.sessionId(), after.sessionId(), after.sessionId());
    }

    @Test
    void a_ticket_redeemed_and_a_desktop_record_made_while_the_sink_is_down_are_written_once_it_is_back() throws Exception {
        AgentQueue support = start();
        sink.down.set(true);
        HandoffOutcome during = connect(support);

        handoff.redeem(during.ticket(), "alice");
        // what the agent desktop writes through the Handoff's audit path (a sign-in concerns no conversation)
        handoff.auditSink().record(new AuditRecord(java.time.Instant.now(), "alice", AuditRecord.Action.DESK_SIGNED_IN, null, null,
                "ok", "127.0.0.1"));
        assertThat(sink.kept.records()).isEmpty();
        sink.down.set(false);

        sink.awaitWritten(6);
        assertThat(sink.kept.records()).extracting(AuditRecord::action).containsExactlyElementsOf(Stream.concat(
                CONNECTED_TRAIL.stream(), Stream.of(AuditRecord.Action.TICKET_REDEEMED, AuditRecord.Action.DESK_SIGNED_IN)).toList());
        assertThat(sink.kept.records().get(4).actor()).isEqualTo("alice");
        assertThat(sink.kept.records().get(4).sessionId()).isEqualTo(during.sessionId());
    }

    @Test
    void past_the_backlog_limit_records_are_counted_as_lost_and_the_kept_ones_still_written() throws Exception {
        handoff = Handoff.builder().auditSink(sink).auditBacklogLimit(AuditBacklog.MIN_LIMIT).build();
        sink.down.set(true);
        for (int i = 0; i < AuditBacklog.MIN_LIMIT + 50; i++) {
            handoff.auditSink().record(new AuditRecord(java.time.Instant.now(), "alice", AuditRecord.Action.CONTEXT_VIEWED,
                    dev.handoff.api.SessionId.of("s-" + i), null, "opened"));
        }
        assertThat(handoff.auditBacklog()).isEqualTo(new AuditBacklog(AuditBacklog.MIN_LIMIT, AuditBacklog.MIN_LIMIT, 50, null, false));

        sink.down.set(false);
        sink.awaitWritten(AuditBacklog.MIN_LIMIT);
        assertThat(sink.kept.records()).extracting(r -> r.sessionId().value()).as("the first ones, in order")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, AuditBacklog.MIN_LIMIT).mapToObj(i -> "s-" + i).toList());
    }

    @Test
    void a_backlog_limit_out_of_range_is_refused_naming_it() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Handoff.builder().auditBacklogLimit(99))
                .isInstanceOf(dev.handoff.api.ConfigurationException.class)
                .hasMessage("auditBacklogLimit must be 100 to 1000000 records, was 99");
    }
}
