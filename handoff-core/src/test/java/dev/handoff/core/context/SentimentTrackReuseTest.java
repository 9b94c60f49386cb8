package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packager puts the observer's sentiment track in the context only when it was read from the same transcript. */
class SentimentTrackReuseTest {

    private static final Instant T = LongConversation.START;
    private final LexiconSentimentAnalyzer analyzer = new LexiconSentimentAnalyzer();

    private static List<Turn> complaint() {
        return List.of(Turn.of(0, Speaker.CUSTOMER, "My invoice is wrong again and this is frustrating.", T),
                Turn.of(1, Speaker.AI, "Let me look at the invoice.", T.plusSeconds(5)),
                Turn.of(2, Speaker.CUSTOMER, "Can you fix it today?", T.plusSeconds(10)));
    }

    private HandoffContext pack(List<Turn> transcript, Summary summary) {
        ConversationSnapshot view = ConversationSnapshot.of(LongConversation.view(2).id(), LongConversation.view(2).channel(), T,
                transcript, null, null);
        return new DefaultContextPackager(analyzer).pack(new PackagingRequest(view, LongConversation.decision(2), null, List.of(),
                summary, T.plusSeconds(60)));
    }

    private Summary summaryOf(List<Turn> turns) {
        ConversationSnapshot view = ConversationSnapshot.of(LongConversation.view(2).id(), LongConversation.view(2).channel(), T, turns,
                null, null);
        return new DeterministicSummarizer(analyzer).summarize(view, LongConversation.decision(2));
    }

    @Test
    void the_observers_track_of_the_same_transcript_is_the_one_the_agent_gets() {
        List<Turn> turns = complaint();
        Summary summary = summaryOf(turns);

        HandoffContext c = pack(turns, summary);

        assertThat(summary.sentiment()).isNotNull();
        assertThat(c.sentiment()).isSameAs(summary.sentiment()).isEqualTo(new SentimentVelocity(analyzer).track(turns));
    }

    @Test
    void a_bot_turn_said_after_the_summary_is_read_into_the_track() {
        List<Turn> before = complaint();
        Summary summary = summaryOf(before);
        List<Turn> after = new ArrayList<>(before);
        after.add(Turn.of(3, Speaker.AI, "I'm not able to change invoices, sorry.", T.plusSeconds(15)));

        HandoffContext c = pack(after, summary);

        assertThat(summary.sentiment().trust()).isEqualTo(SentimentTrack.Level.HIGH);
        assertThat(c.sentiment().trust()).isEqualTo(SentimentTrack.Level.MEDIUM);   // the bot could not answer
        assertThat(c.sentiment()).isEqualTo(new SentimentVelocity(analyzer).track(after));
    }

    @Test
    void a_track_whose_points_are_not_this_transcripts_customer_turns_is_not_used() {
        List<Turn> turns = complaint();
        Summary fromOther = summaryOf(List.of(Turn.of(0, Speaker.CUSTOMER, "Thanks, that's great.", T),
                Turn.of(1, Speaker.CUSTOMER, "All good!", T), Turn.of(2, Speaker.AI, "Anything else?", T)));
        Summary mixed = new Summary(summaryOf(turns).ledger(), summaryOf(turns).whisper(), summaryOf(turns).tone(),
                fromOther.sentiment());

        HandoffContext c = pack(turns, mixed);

        assertThat(c.sentiment()).isEqualTo(new SentimentVelocity(analyzer).track(turns)).isNotEqualTo(fromOther.sentiment());
    }

    @Test
    void a_summary_without_a_track_gets_one_from_the_packager() {
        List<Turn> turns = complaint();
        Summary observed = summaryOf(turns);

        HandoffContext c = pack(turns, new Summary(observed.ledger(), observed.whisper(), observed.tone()));

        assertThat(c.sentiment()).isEqualTo(observed.sentiment()).isNotSameAs(observed.sentiment());
    }
}
