package dev.handoff.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.Integrity;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Context packaging: builds the {@code handoff.context/v1} document of a 300-turn, ~3,000-word session (customer
 * and AI sentences drawn from fixed pools with a fixed seed) (transcript,
 * metadata, sentiment velocity track, commitments, the observer's ledger/whisper/tone, schema validation) and signs
 * it to its exact bytes (HMAC-SHA256).
 *
 * <ul>
 *   <li>{@code impl=handoff}: {@link DefaultContextPackager} and {@link ContextSigner#signToBytes} with the shared,
 *       pre-built Jackson writer.</li>
 *   <li>{@code impl=naive}: the same packaging, then signing the way a first version would: a new
 *       {@link ObjectMapper} per call to serialise the unsigned document, HMAC it, and serialise again with the
 *       integrity block.</li>
 * </ul>
 * The observer's summary is computed once in setup (it runs before packaging, on its own).
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar PackagingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PackagingBenchmark {

    @Param({"handoff", "naive"})
    public String impl;

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant START = Instant.parse("2026-06-01T10:00:00Z");
    private static final String[] CUSTOMER_SAYS = {
            "The billing report keeps timing out whenever I open it.",
            "It started after your update last week, for all forty users.",
            "Finance closes the books on Friday, so we need it before then.",
            "Is there a workaround we can use in the meantime?",
            "Honestly this is getting frustrating, we pay for the premium tier.",
            "Can you check why the dashboard is so slow again today?",
            "We already cleared the cache twice and nothing changed at all.",
            "What would it cost to move to the enterprise plan instead?",
    };
    private static final String[] AI_SAYS = {
            "I'm sorry about that; let me check the report service status.",
            "Thanks for your patience while I look at the logs for your account.",
            "Clearing the report cache sometimes helps with these timeouts.",
            "I can see a known issue that engineering is already working on.",
            "Could you tell me which browser your team is using right now?",
            "The enterprise plan is priced per seat, billed annually.",
            "I understand how disruptive this is before a month-end close.",
    };

    private DefaultContextPackager packager;
    private ContextSigner signer;
    private PackagingRequest request;
    private Clock clock;

    /** Words in the transcript, for the README. */
    public int words;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<Turn> turns = new ArrayList<>(300);
        for (int i = 0; i < 300; i++) {
            boolean customer = i % 2 == 0;
            String[] pool = customer ? CUSTOMER_SAYS : AI_SAYS;
            String text = i == 151 ? "I can offer you 15% off the next invoice while we fix this."
                    : pool[random.nextInt(pool.length)];
            StringBuilder sb = new StringBuilder(text);
            words += text.split(" ").length;
            turns.add(new Turn(i, customer ? Speaker.CUSTOMER : Speaker.AI, sb.toString(), START.plusSeconds(8L * i),
                    customer ? null : NluSignals.intent("support_answer", 0.8), false));
        }
        ConversationSnapshot view = ConversationSnapshot.of(SessionId.of("bench-300"), Channel.CHAT, START, turns, null,
                new CustomerData("cus-77", Map.of("billing", "AC-77"), Map.of("firstName", "Alex"), List.of()));
        HandoffDecision decision = HandoffDecision.handoff(Priority.HIGH, List.of(new Reason(TriggerKind.NEGATIVE_SENTIMENT,
                "sentiment.velocity", "Sentiment is falling", 298, null, -0.3, -0.2)), null);
        LexiconSentimentAnalyzer analyzer = new LexiconSentimentAnalyzer();
        Summary summary = new DeterministicSummarizer(analyzer).summarize(view, decision);
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger();
        turns.forEach(t -> ledger.observe(view.id(), t));
        List<Commitment> commitments = ledger.commitments(view.id());
        clock = Clock.fixed(START.plusSeconds(2400), ZoneOffset.UTC);
        request = new PackagingRequest(view, decision, null, commitments, summary, clock.instant());
        packager = new DefaultContextPackager(analyzer);
        signer = new ContextSigner(SigningKeys.of("k1", KEY), clock);
    }

    @Benchmark
    public byte[] packageAndSign() throws Exception {
        HandoffContext context = packager.pack(request);
        if ("handoff".equals(impl)) {
            return signer.signToBytes(context);
        }
        ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        byte[] unsigned = mapper.writeValueAsBytes(context);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(unsigned));
        return mapper.writeValueAsBytes(context.withIntegrity(new Integrity(ContextSigner.ALGORITHM, "k1", signature, clock.instant(),
                clock.instant().plus(ContextSigner.DEFAULT_CONTEXT_TTL))));
    }
}
