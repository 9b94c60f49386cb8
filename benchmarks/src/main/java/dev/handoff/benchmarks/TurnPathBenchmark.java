package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole turn path: one turn recorded through {@link HandoffSession} (turn record, event, commitment ledger on
 * AI turns, the default trigger policy), alternating customer and AI turns of a 40-turn chat; a new session every
 * 40 turns. {@code ledger = handoff} is the default ledger (cue scan on the trigger automaton, regexes only on cued
 * sentences); {@code ledger = regex} is the same path with the regex-only detector of before (the baseline).
 * Sample mode reports the median per turn; {@code -prof gc} the bytes per turn.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TurnPathBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TurnPathBenchmark {

    @Param({"handoff", "regex"})
    public String ledger;

    private Handoff handoff;
    private HandoffSession session;
    private int turn;
    private int sessions;

    @Setup(Level.Trial)
    public void setUp() {
        CommitmentLedger l = ledger.equals("regex") ? new RegexLedger() : new InMemoryCommitmentLedger(Clock.systemUTC());
        handoff = Handoff.builder().commitmentLedger(l).idleTimeout(java.time.Duration.ofDays(1)).build();
        session = handoff.open(SessionId.of("bench-0"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        handoff.close();
    }

    @Benchmark
    public HandoffDecision turn() {
        if (turn == 40) {
            session.end("done");
            session = handoff.open(SessionId.of("bench-" + (++sessions)), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);
            turn = 0;
        }
        int i = turn++;
        if ((i & 1) == 0) {
            return session.customer(BenchTexts.QUIET[(i >> 1) % BenchTexts.QUIET.length]);
        }
        return session.ai(BenchTexts.AI[(i >> 1) % BenchTexts.AI.length], NluSignals.confidence(0.9));
    }

    /** The same ledger behaviour with the regex-only detector of before. */
    static final class RegexLedger implements CommitmentLedger {
        private final RegexCommitmentDetector detector = new RegexCommitmentDetector();

        @Override
        public List<Commitment> observe(SessionId session, Turn turn) {
            return detector.detect(turn);
        }

        @Override
        public Commitment record(SessionId session, Commitment commitment) {
            return commitment;
        }

        @Override
        public List<Commitment> commitments(SessionId session) {
            return List.of();
        }

        @Override
        public Commitment verify(SessionId session, String commitmentId, Verification verification) {
            throw new UnsupportedOperationException("baseline only");
        }
    }
}
