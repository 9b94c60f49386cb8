package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.TokenSentiment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trigger engine's lexicon estimate reads the words from the tokens the engine made of the turn, not from the
 * text again (issue 13: one tokenizer for both). It must give the score the text-reading analyzer gives, on every
 * turn: pinned here on every turn of handoff-eval's shipped corpora (the scores the analyzer gave before the token
 * path existed, {@code sentiment/corpus-scores.txt}) and on texts chosen to split the two readings apart.
 */
class LexiconEstimateTest {

    private static final LexiconSentimentAnalyzer LEXICON = new LexiconSentimentAnalyzer();
    private static final CompiledPolicy DEFAULTS = new CompiledPolicy(TriggerPolicy.defaults());

    /** The score from the tokens, read as the engine reads a turn (normalized, tokenized, typos corrected). */
    private static double fromTokens(SentimentAnalyzer analyzer, String text) {
        Scratch s = CorpusTurns.readAsTheEngine(text, DEFAULTS);
        TokenSentiment.Scorer tokens = TokenSentiment.of(analyzer);
        assertThat(tokens).as("the bundled analyzer has a token path").isNotNull();
        return tokens.score(s, text);
    }

    @Test
    void every_turn_of_the_shipped_corpora_scores_as_before() throws IOException {
        Map<String, Double> before = new HashMap<>();
        try (InputStream in = LexiconEstimateTest.class.getResourceAsStream("/sentiment/corpus-scores.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split(" ");
                    before.put(f[0], Double.parseDouble(f[1]));
                }
            }
        }
        List<String> differ = new ArrayList<>();
        int pinned = 0;
        int turns = 0;
        for (CorpusTurns.Turn turn : CorpusTurns.all()) {
            String text = turn.text();
            String id = turn.id();
            double fromText = LEXICON.score(text);
            double fromTokens = fromTokens(LEXICON, text);
            Double old = before.get(id);
            turns++;
            if (old != null) {
                pinned++;
            }
            if (fromTokens != fromText || (old != null && fromText != old)) {
                differ.add(id + ": before " + old + ", text " + fromText + ", tokens " + fromTokens + ": " + text);
            }
        }

        assertThat(differ).as("turns whose score changed").isEmpty();
        assertThat(turns).as("turns read from %s", CorpusTurns.CORPORA.toAbsolutePath()).isGreaterThanOrEqualTo(before.size());
        assertThat(pinned).as("turns with a score recorded before the change").isEqualTo(before.size()).isGreaterThan(1500);
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                pinned("I don't understand why this is so bad", -0.849),
                pinned("I dont understand, it's not good enough!!", -0.95),
                pinned("That\u2019s not bad at all, but it doesn\u2019t work", -0.286),
                pinned("I can't take this anymore. I'm done.", -0.849),
                pinned("The app isn't working again, FED UP", -1.0),
                pinned("My 2nd order was bad2 and the mp3s are broken", -0.849),
                pinned("covid19 made everything late; 3.5 weeks LATE!", -1.0),
                pinned("l'agent \u00e9tait horrible, qu'il est nul", -0.9),
                pinned("rock'n'roll is great but this is terrible", -0.449),
                pinned("'great' service, 'TERRIBLE' support, 'OK'", -0.361),
                pinned("don`t like it, it\u00b4s broken, it\u02bcs bad", -0.849),
                pinned("Stra\u00dfe is broken, caf\u00e9 was awful", -1.0),
                pinned("cafe\u0301 terrible, nai\u0308ve awful", -1.0),
                pinned("\uff27\uff32\uff25\uff21\uff34 service, really \uff34\uff25\uff32\uff32\uff29\uff22\uff2c\uff25", 0.0),
                pinned("\u0130stanbul office was terrible, not good enough", -0.947),
                pinned("Great, your service is down AGAIN. Third time this month. Fantastic job, really.", -1.0),
                pinned("I want to speak to an agnet, this is horrible", -0.9),
                pinned("please get me a manger, this is useless", -0.8),
                pinned("needn't worry, it's fine", -0.318),
                pinned("not happy!!! not happy at all...", -0.967),
                pinned("$60,000 lost because of your outage?! Unacceptable.", -1.0),
                pinned("Great,but it's broken", -0.776),
                pinned("Great , thanks", 0.41),
                pinned("GREAT. BRILLIANT! WONDERFUL?", 1.0),
                pinned("email me at bad@worst.com re: terrible", -1.0),
                pinned("\u2018quoted\u2019 \u201cterrible\u201d service\u2026 really?", -0.8),
                pinned("hello\tterrible\nso bad\r\nnot good", -1.0),
                pinned("I'M SO ANGRY", -1.0),
                pinned("a", 0.0),
                pinned("!!!", 0.0),
                pinned("\ud83d\ude21 worst service \ud83d\ude21 ever", -0.9),
                pinned("\u00bfPor qu\u00e9? terrible, \u00a1horrible!", -1.0),
                pinned("fed-up, double-check: not\u00a0good", -0.665),
                pinned("not  good enough, not good enough", -0.624),
                pinned("NOT GOOD ENOUGH and you don't understand", -0.843),
                pinned("o'clock is fine, y'all are awful", -0.53),
                pinned("it''s bad '' '", -0.5));
    }

    private static Arguments pinned(String text, double before) {
        return Arguments.of(text, before);
    }

    @ParameterizedTest(name = "[{index}] {0} scores {1}")
    @MethodSource("texts")
    void contractions_numbers_typos_accents_and_shouting_score_as_before(String text, double before) {
        assertThat(LEXICON.score(text)).isEqualTo(before);
        assertThat(fromTokens(LEXICON, text)).isEqualTo(before);
    }

    @Test
    void added_domain_words_count_in_the_estimate() {
        LexiconSentimentAnalyzer telco = new LexiconSentimentAnalyzer(Map.of("brownout", -0.7));

        assertThat(fromTokens(telco, "another brownout")).isEqualTo(-0.7);
        assertThat(fromTokens(LEXICON, "another brownout")).isZero();
    }

    @Test
    void an_analyzer_of_your_own_reads_the_text() {
        List<String> read = new ArrayList<>();
        SentimentAnalyzer own = text -> {
            read.add(text);
            return -1;
        };
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.of(TriggerPolicy.defaults()), own);

        new Conversation(engine).customer("where is my parcel");

        assertThat(TokenSentiment.of(own)).isNull();
        assertThat(read).containsExactly("where is my parcel");
    }
}
