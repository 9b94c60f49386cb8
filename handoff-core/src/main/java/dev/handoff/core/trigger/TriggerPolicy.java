package dev.handoff.core.trigger;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Priority;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A complete trigger policy: the thresholds of the signal rules and the phrase rules, as data. Load one from YAML
 * or JSON with {@link #load(InputStream)}, {@link #load(Path)} or {@link #parse(String)}, or take a
 * {@link #preset(Preset) preset}; hand it to {@link RuleTriggerEvaluator}. Every field missing from a document
 * takes the default named on the section's {@code DEFAULT_*} constants; a document may start from a preset with
 * {@code extends: <preset>} and override only what differs (sections merge field by field, phrase rules by id).
 *
 * <p>Loading validates everything and throws one {@link ValidationException} listing every problem with its
 * JSON path (for example {@code $.confidence.hardFloor}), the value found and what was expected.
 *
 * @param name        a label for logs and reasons
 * @param profiles    compliance profiles that switch on profile-bound phrase rules ({@code HIPAA})
 * @param confidence  soft threshold and hard floor on the bot's confidence
 * @param sentiment   negative sentiment and its velocity
 * @param complex     complex intents and too many intents
 * @param loop        repetition by the customer or the bot, and no-match streaks
 * @param sales       deal value over a threshold
 * @param urgency     repeated contact and long sessions
 * @param phraseRules the phrase rules of every kind (explicit request, frustration, kill switch, ...)
 * @param typoWords   words whose one-letter typos are read as the word ({@code agnet}, {@code represntative});
 *                    words under five letters are ignored
 */
public record TriggerPolicy(
        String name,
        Set<String> profiles,
        Confidence confidence,
        Sentiment sentiment,
        Complex complex,
        Loop loop,
        Sales sales,
        Urgency urgency,
        List<PhraseRule> phraseRules,
        Set<String> typoWords) {

    /**
     * Checks the components and copies {@code profiles}, {@code phraseRules}, {@code typoWords}.
     *
     * @param name        a label for logs and reasons
     * @param profiles    compliance profiles that switch on profile-bound phrase rules ({@code HIPAA})
     * @param confidence  soft threshold and hard floor on the bot's confidence
     * @param sentiment   negative sentiment and its velocity
     * @param complex     complex intents and too many intents
     * @param loop        repetition by the customer or the bot, and no-match streaks
     * @param sales       deal value over a threshold
     * @param urgency     repeated contact and long sessions
     * @param phraseRules the phrase rules of every kind (explicit request, frustration, kill switch, ...)
     * @param typoWords   words whose one-letter typos are read as the word ({@code agnet}, {@code represntative});
     *                    words under five letters are ignored
     * @throws NullPointerException when {@code name}, {@code confidence}, {@code sentiment}, {@code complex},
     *                              {@code loop}, {@code sales} or {@code urgency} is null
     */
    public TriggerPolicy {
        Objects.requireNonNull(name, "name");
        profiles = Set.copyOf(profiles);
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(sentiment, "sentiment");
        Objects.requireNonNull(complex, "complex");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(sales, "sales");
        Objects.requireNonNull(urgency, "urgency");
        phraseRules = List.copyOf(phraseRules);
        typoWords = Set.copyOf(typoWords);
    }

    /**
     * A policy without typo-tolerant words.
     *
     * @param name        a label for logs and reasons
     * @param profiles    compliance profiles that switch on profile-bound phrase rules
     * @param confidence  the confidence section
     * @param sentiment   the sentiment section
     * @param complex     the complex-issue section
     * @param loop        the loop section
     * @param sales       the sales section
     * @param urgency     the urgency section
     * @param phraseRules the phrase rules
     */
    public TriggerPolicy(String name, Set<String> profiles, Confidence confidence, Sentiment sentiment, Complex complex,
                         Loop loop, Sales sales, Urgency urgency, List<PhraseRule> phraseRules) {
        this(name, profiles, confidence, sentiment, complex, loop, sales, urgency, phraseRules, Set.of());
    }

    /**
     * True when the section that owns {@code kind} is enabled: {@code sales: {enabled: false}} switches off the
     * deal-value rule and every SALES phrase rule; the same holds for confidence, sentiment, complex, loop and
     * urgency. Explicit requests, regulatory rules and the kill switch have no section and are always on.
     *
     * @param kind the trigger family
     * @return whether rules of that kind may fire
     */
    public boolean kindEnabled(TriggerKind kind) {
        return switch (kind) {
            case CONFIDENCE -> confidence.enabled();
            case NEGATIVE_SENTIMENT -> sentiment.enabled();
            case COMPLEX_ISSUE -> complex.enabled();
            case CONVERSATION_LOOP -> loop.enabled();
            case SALES -> sales.enabled();
            case URGENCY -> urgency.enabled();
            default -> true;
        };
    }

    /**
     * The default policy (the {@link Preset#DEFAULT} preset): every trigger of the seeds, over 500 phrases.
     *
     * @return the default policy, loaded once
     */
    public static TriggerPolicy defaults() {
        return preset(Preset.DEFAULT);
    }

    /**
     * A shipped preset.
     *
     * @param preset the preset
     * @return the preset's policy
     */
    public static TriggerPolicy preset(Preset preset) {
        return PolicyLoader.preset(Objects.requireNonNull(preset, "preset"));
    }

    /**
     * Loads a policy from YAML or JSON (JSON is YAML).
     *
     * @param in the document, UTF-8; not closed
     * @return the validated policy
     * @throws UncheckedIOException when the document cannot be read
     * @throws ValidationException listing every violation
     */
    public static TriggerPolicy load(InputStream in) {
        Objects.requireNonNull(in, "in");
        try {
            return PolicyLoader.load(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trigger policy", e);
        }
    }

    /**
     * Loads a policy file.
     *
     * @param file the policy file, UTF-8
     * @return the validated policy
     * @throws ValidationException listing every violation
     * @throws UncheckedIOException when the file cannot be read
     */
    public static TriggerPolicy load(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return PolicyLoader.load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trigger policy " + file, e);
        }
    }

    /**
     * Parses a policy document held in a string.
     *
     * @param yamlOrJson the document
     * @return the validated policy
     * @throws ValidationException listing every violation
     */
    public static TriggerPolicy parse(String yamlOrJson) {
        return PolicyLoader.load(Objects.requireNonNull(yamlOrJson, "yamlOrJson"));
    }

    /**
     * The number of phrases after template expansion, over every enabled phrase rule.
     *
     * @return the phrase count
     */
    public int phraseCount() {
        return phraseRules.stream().filter(r -> r.isActive(profiles) && kindEnabled(r.kind()))
                .mapToInt(r -> r.phrases().size() + r.alone().size() + r.except().size() + r.with().size()).sum();
    }

    /**
     * Confidence rules. Only turns that carry a confidence count.
     *
     * @param enabled          false switches the section off
     * @param softThreshold    a turn under it is "low" (default {@value #DEFAULT_SOFT_THRESHOLD})
     * @param consecutiveTurns hand off after this many low turns in a row (default {@value #DEFAULT_CONSECUTIVE_TURNS})
     * @param rollingWindow    hand off when the mean of the last this-many confidences is under the soft threshold
     *                         (default {@value #DEFAULT_ROLLING_WINDOW})
     * @param hardFloor        a single turn under it hands off at once (default {@value #DEFAULT_HARD_FLOOR})
     * @param priority         the handoff priority (default NORMAL)
     */
    public record Confidence(boolean enabled, double softThreshold, int consecutiveTurns, int rollingWindow,
                             double hardFloor, Priority priority) {
        /** The default {@code softThreshold}. */
        public static final double DEFAULT_SOFT_THRESHOLD = 0.65;
        /** The default {@code consecutiveTurns}. */
        public static final int DEFAULT_CONSECUTIVE_TURNS = 2;
        /** The default {@code rollingWindow}. */
        public static final int DEFAULT_ROLLING_WINDOW = 3;
        /** The default {@code hardFloor}. */
        public static final double DEFAULT_HARD_FLOOR = 0.40;

        /**
         * Checks the components.
         *
         * @param enabled          false switches the section off
         * @param softThreshold    a turn under it is "low" (default {@value #DEFAULT_SOFT_THRESHOLD})
         * @param consecutiveTurns hand off after this many low turns in a row (default
         *                         {@value #DEFAULT_CONSECUTIVE_TURNS})
         * @param rollingWindow    hand off when the mean of the last this-many confidences is under the soft threshold
         *                         (default {@value #DEFAULT_ROLLING_WINDOW})
         * @param hardFloor        a single turn under it hands off at once (default {@value #DEFAULT_HARD_FLOOR})
         * @param priority         the handoff priority (default NORMAL)
         * @throws NullPointerException when {@code priority} is null
         */
        public Confidence {
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * Sentiment rules over the customer's turns. A turn's score (-1..1) is the bot's sentiment signal; when the bot
     * sent none, the bundled lexicon analyzer's score ({@code fallback: LEXICON}, the default; the reason says so),
     * or no score at all ({@code fallback: NONE}).
     *
     * @param enabled           false switches the section off (and every NEGATIVE_SENTIMENT phrase rule)
     * @param threshold         a score under it hands off (default {@value #DEFAULT_THRESHOLD})
     * @param velocityWindow    the slope is fitted over the last this-many scores (default {@value #DEFAULT_VELOCITY_WINDOW})
     * @param velocityThreshold a slope (change per turn) under it hands off (default {@value #DEFAULT_VELOCITY_THRESHOLD})
     * @param priority          the handoff priority (default HIGH)
     * @param velocityFloor     the velocity rule fires only when the latest score is under it: a fall into negative
     *                          territory, not delighted to neutral (default {@value #DEFAULT_VELOCITY_FLOOR})
     * @param negativeBelow     a turn scoring under it is negative enough for phrase rules with {@code whenNegative}
     *                          (default {@value #DEFAULT_NEGATIVE_BELOW})
     * @param fallback          where a score comes from when the bot sent none
     */
    public record Sentiment(boolean enabled, double threshold, int velocityWindow, double velocityThreshold,
                            Priority priority, double velocityFloor, double negativeBelow, Fallback fallback) {
        /** The default {@code threshold}. */
        public static final double DEFAULT_THRESHOLD = -0.6;
        /** The default {@code velocityWindow}. */
        public static final int DEFAULT_VELOCITY_WINDOW = 3;
        /** The default {@code velocityThreshold}. */
        public static final double DEFAULT_VELOCITY_THRESHOLD = -0.3;
        /** The default {@code velocityFloor}. */
        public static final double DEFAULT_VELOCITY_FLOOR = 0.0;
        /** The default {@code negativeBelow}. */
        public static final double DEFAULT_NEGATIVE_BELOW = -0.2;

        /** Where a customer turn's score comes from when the bot sent none. */
        public enum Fallback {
            /** The bundled {@code LexiconSentimentAnalyzer}. */
            LEXICON,
            /** No score: the sentiment rules skip the turn. */
            NONE
        }

        /**
         * Checks the components.
         *
         * @param enabled           false switches the section off (and every NEGATIVE_SENTIMENT phrase rule)
         * @param threshold         a score under it hands off (default {@value #DEFAULT_THRESHOLD})
         * @param velocityWindow    the slope is fitted over the last this-many scores (default
         *                          {@value #DEFAULT_VELOCITY_WINDOW})
         * @param velocityThreshold a slope (change per turn) under it hands off (default
         *                          {@value #DEFAULT_VELOCITY_THRESHOLD})
         * @param priority          the handoff priority (default HIGH)
         * @param velocityFloor     the velocity rule fires only when the latest score is under it: a fall into negative
         *                          territory, not delighted to neutral (default {@value #DEFAULT_VELOCITY_FLOOR})
         * @param negativeBelow     a turn scoring under it is negative enough for phrase rules with
         *                          {@code whenNegative}
         *                          (default {@value #DEFAULT_NEGATIVE_BELOW})
         * @param fallback          where a score comes from when the bot sent none
         * @throws NullPointerException when {@code priority} or {@code fallback} is null
         */
        public Sentiment {
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(fallback, "fallback");
        }

        /**
         * The sentiment section with the default floor, negative level and lexicon fallback.
         *
         * @param enabled           false switches the section off
         * @param threshold         a score under it hands off
         * @param velocityWindow    the slope is fitted over the last this-many scores
         * @param velocityThreshold a slope under it hands off
         * @param priority          the handoff priority
         */
        public Sentiment(boolean enabled, double threshold, int velocityWindow, double velocityThreshold, Priority priority) {
            this(enabled, threshold, velocityWindow, velocityThreshold, priority, DEFAULT_VELOCITY_FLOOR,
                    DEFAULT_NEGATIVE_BELOW, Fallback.LEXICON);
        }
    }

    /**
     * Complex-issue rules over NLU intents. A multi-intent classifier reports several intents in one turn as
     * {@code "billing+shipping"} (or comma-separated).
     *
     * @param enabled              false switches the section off
     * @param intents              intents that always need a human
     * @param maxIntentsPerTurn    more distinct intents than this in one turn hand off (default {@value #DEFAULT_MAX_INTENTS_PER_TURN})
     * @param maxIntentsPerSession more distinct intents than this in the session hand off (default {@value #DEFAULT_MAX_INTENTS_PER_SESSION})
     * @param priority             the handoff priority (default NORMAL)
     * @param routeHint            nullable; the route hint
     */
    public record Complex(boolean enabled, Set<String> intents, int maxIntentsPerTurn, int maxIntentsPerSession,
                          Priority priority, @Nullable String routeHint) {
        /** The default {@code maxIntentsPerTurn}. */
        public static final int DEFAULT_MAX_INTENTS_PER_TURN = 2;
        /** The default {@code maxIntentsPerSession}. */
        public static final int DEFAULT_MAX_INTENTS_PER_SESSION = 4;

        /**
         * Checks the components and copies {@code intents}.
         *
         * @param enabled              false switches the section off
         * @param intents              intents that always need a human
         * @param maxIntentsPerTurn    more distinct intents than this in one turn hand off (default
         *                             {@value #DEFAULT_MAX_INTENTS_PER_TURN})
         * @param maxIntentsPerSession more distinct intents than this in the session hand off (default
         *                             {@value #DEFAULT_MAX_INTENTS_PER_SESSION})
         * @param priority             the handoff priority (default NORMAL)
         * @param routeHint            nullable; the route hint
         * @throws NullPointerException when {@code priority} is null
         */
        public Complex {
            intents = Set.copyOf(intents);
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * Conversation-loop rules. Similarity is the Jaccard index of the content words of two turns (stop words
     * dropped, contractions expanded).
     *
     * @param enabled                 false switches the section off
     * @param similarity              a customer turn at least this similar to an earlier one is a repeat (default {@value #DEFAULT_SIMILARITY})
     * @param window                  how many earlier turns of the same speaker are compared (default {@value #DEFAULT_WINDOW})
     * @param minRepeats              hand off when this many earlier customer turns are repeats (default {@value #DEFAULT_MIN_REPEATS})
     * @param minTokens               turns with fewer content words are never compared (default {@value #DEFAULT_MIN_TOKENS})
     * @param botSimilarity           a bot turn at least this similar to an earlier bot turn is the same answer again (default {@value #DEFAULT_BOT_SIMILARITY})
     * @param maxConsecutiveFallbacks hand off after this many fallback intents in a row (default {@value #DEFAULT_MAX_CONSECUTIVE_FALLBACKS})
     * @param fallbackIntents         the intents that mean "no match"
     * @param priority                the handoff priority (default NORMAL)
     */
    public record Loop(boolean enabled, double similarity, int window, int minRepeats, int minTokens,
                       double botSimilarity, int maxConsecutiveFallbacks, Set<String> fallbackIntents,
                       Priority priority) {
        /** The default {@code similarity}. */
        public static final double DEFAULT_SIMILARITY = 0.6;
        /** The default {@code window}. */
        public static final int DEFAULT_WINDOW = 3;
        /** The default {@code minRepeats}. */
        public static final int DEFAULT_MIN_REPEATS = 1;
        /** The default {@code minTokens}. */
        public static final int DEFAULT_MIN_TOKENS = 2;
        /** The default {@code botSimilarity}. */
        public static final double DEFAULT_BOT_SIMILARITY = 0.9;
        /** The default {@code maxConsecutiveFallbacks}. */
        public static final int DEFAULT_MAX_CONSECUTIVE_FALLBACKS = 2;

        /**
         * Checks the components and copies {@code fallbackIntents}.
         *
         * @param enabled                 false switches the section off
         * @param similarity              a customer turn at least this similar to an earlier one is a repeat
         *                                (default {@value #DEFAULT_SIMILARITY})
         * @param window                  how many earlier turns of the same speaker are compared (default
         *                                {@value #DEFAULT_WINDOW})
         * @param minRepeats              hand off when this many earlier customer turns are repeats (default
         *                                {@value #DEFAULT_MIN_REPEATS})
         * @param minTokens               turns with fewer content words are never compared (default
         *                                {@value #DEFAULT_MIN_TOKENS})
         * @param botSimilarity           a bot turn at least this similar to an earlier bot turn is the same answer
         *                                again (default {@value #DEFAULT_BOT_SIMILARITY})
         * @param maxConsecutiveFallbacks hand off after this many fallback intents in a row (default
         *                                {@value #DEFAULT_MAX_CONSECUTIVE_FALLBACKS})
         * @param fallbackIntents         the intents that mean "no match"
         * @param priority                the handoff priority (default NORMAL)
         * @throws NullPointerException when {@code priority} is null
         */
        public Loop {
            fallbackIntents = Set.copyOf(fallbackIntents);
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * The deal-value rule: an amount in the customer's words ({@code "$75,000"}, {@code "75k"},
     * {@code "seventy five thousand dollars"}, {@code "EUR 40k"}) at or over the threshold hands off.
     *
     * @param enabled         false switches the section off
     * @param amountThreshold in {@code currency} (default {@value #DEFAULT_AMOUNT_THRESHOLD})
     * @param currency        ISO code of the threshold (default USD)
     * @param rates           value of one unit of each currency in {@code currency} (USD, EUR, GBP, JPY)
     * @param priority        the handoff priority (default HIGH)
     * @param routeHint       nullable; default {@code "account-executive"}
     */
    public record Sales(boolean enabled, double amountThreshold, String currency, Map<String, Double> rates,
                        Priority priority, @Nullable String routeHint) {
        /** The default {@code amountThreshold}. */
        public static final double DEFAULT_AMOUNT_THRESHOLD = 50_000;

        /**
         * Checks the components and copies {@code rates}.
         *
         * @param enabled         false switches the section off
         * @param amountThreshold in {@code currency} (default {@value #DEFAULT_AMOUNT_THRESHOLD})
         * @param currency        ISO code of the threshold (default USD)
         * @param rates           value of one unit of each currency in {@code currency} (USD, EUR, GBP, JPY)
         * @param priority        the handoff priority (default HIGH)
         * @param routeHint       nullable; default {@code "account-executive"}
         * @throws NullPointerException when {@code currency} or {@code priority} is null
         */
        public Sales {
            Objects.requireNonNull(currency, "currency");
            rates = Map.copyOf(rates);
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * Urgency from the customer's history and the session's length (urgency words are phrase rules).
     *
     * @param enabled             false switches the section off
     * @param repeatContacts      this many earlier contacts (from {@code CustomerData.previousContacts}) within
     *                            {@code repeatContactWindow} hand off once per
     *                            session (default {@value #DEFAULT_REPEAT_CONTACTS})
     * @param repeatContactWindow default 7 days
     * @param maxSessionDuration  a session longer than this hands off (default 20 minutes)
     * @param priority            the handoff priority (default HIGH)
     */
    public record Urgency(boolean enabled, int repeatContacts, Duration repeatContactWindow,
                          Duration maxSessionDuration, Priority priority) {
        /** The default {@code repeatContacts}. */
        public static final int DEFAULT_REPEAT_CONTACTS = 2;
        /** The default {@code repeatContactWindow}. */
        public static final Duration DEFAULT_REPEAT_CONTACT_WINDOW = Duration.ofDays(7);
        /** The default {@code maxSessionDuration}. */
        public static final Duration DEFAULT_MAX_SESSION_DURATION = Duration.ofMinutes(20);

        /**
         * Checks the components.
         *
         * @param enabled             false switches the section off
         * @param repeatContacts      this many earlier contacts (from {@code CustomerData.previousContacts}) within
         *                            {@code repeatContactWindow} hand off once per
         *                            session (default {@value #DEFAULT_REPEAT_CONTACTS})
         * @param repeatContactWindow default 7 days
         * @param maxSessionDuration  a session longer than this hands off (default 20 minutes)
         * @param priority            the handoff priority (default HIGH)
         * @throws NullPointerException when {@code repeatContactWindow}, {@code maxSessionDuration} or
         *                              {@code priority} is null
         */
        public Urgency {
            Objects.requireNonNull(repeatContactWindow, "repeatContactWindow");
            Objects.requireNonNull(maxSessionDuration, "maxSessionDuration");
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * A named list of phrases of one trigger kind. Phrases may use alternatives, expanded on load:
     * {@code "{talk|speak} to a {person|human}"} is four phrases; {@code "{|please }help"} has an empty alternative.
     * A trailing {@code *} matches a word prefix.
     *
     * @param id          the rule id reported in reasons ({@code "explicit.request"})
     * @param kind        the trigger kind; {@link TriggerKind#KILL_SWITCH} rules raise a silent alarm
     * @param enabled     false switches the rule off
     * @param description the start of the reason's detail ("The customer asked for a person")
     * @param priority    the handoff priority (default NORMAL, URGENT for kill switch)
     * @param routeHint   nullable; passed to the router ({@code "solutions-engineer"})
     * @param negatable   true (default, except kill switch) when a negation just before the phrase
     *                    ("I don't need a human") cancels it
     * @param speakers    whose turns are matched (default CUSTOMER)
     * @param profile     nullable; the rule is active only when the policy lists this profile ({@code HIPAA})
     * @param phrases     the expanded phrases, matched anywhere in the turn
     * @param alone       expanded phrases that fire only when they make up their clause, apart from fillers such as
     *                    "please", "now", "hello" and repetition: {@code agent}, {@code AGENT AGENT},
     *                    {@code representative please!} fire, {@code the representative I spoke to} and
     *                    {@code my phone operator} do not
     * @param except      expanded phrases that cancel a hit of this rule they overlap ({@code human resources},
     *                    {@code stupid question}, {@code cancellation policy})
     * @param with        expanded phrases of which one must occur in the same sentence as a hit of {@code phrases} or
     *                    {@code alone}, before or after it, for the hit to count; empty (the default): the hit alone is
     *                    enough. {@code phrases: [payment, charge]} with {@code with: [i did not make, was not me]}
     *                    fires on "there's a payment on my card I didn't make", not on "what payment methods do you
     *                    take?"
     * @param whenNegative true when a hit counts only on a turn whose sentiment is under
     *                    {@link Sentiment#negativeBelow()} (abuse words not aimed at anyone)
     * @param language    nullable; an ISO 639-1 code ({@code es}, {@code fr}): the rule is active only in sessions
     *                    speaking that language; null rules are active in every session
     */
    public record PhraseRule(String id, TriggerKind kind, boolean enabled, String description, Priority priority,
                             @Nullable String routeHint, boolean negatable, Set<Speaker> speakers, @Nullable String profile,
                             List<String> phrases, List<String> alone, List<String> except, List<String> with,
                             boolean whenNegative, @Nullable String language) {
        /**
         * Checks the components and copies {@code speakers}, {@code phrases}, {@code alone}, {@code except},
         * {@code with}.
         *
         * @param id          the rule id reported in reasons ({@code "explicit.request"})
         * @param kind        the trigger kind; {@link TriggerKind#KILL_SWITCH} rules raise a silent alarm
         * @param enabled     false switches the rule off
         * @param description the start of the reason's detail ("The customer asked for a person")
         * @param priority    the handoff priority (default NORMAL, URGENT for kill switch)
         * @param routeHint   nullable; passed to the router ({@code "solutions-engineer"})
         * @param negatable   true (default, except kill switch) when a negation just before the phrase
         *                    ("I don't need a human") cancels it
         * @param speakers    whose turns are matched (default CUSTOMER)
         * @param profile     nullable; the rule is active only when the policy lists this profile ({@code HIPAA})
         * @param phrases     the expanded phrases, matched anywhere in the turn
         * @param alone       expanded phrases that fire only when they make up their clause, apart from fillers such as
         *                    "please", "now", "hello" and repetition: {@code agent}, {@code AGENT AGENT},
         *                    {@code representative please!} fire, {@code the representative I spoke to} and
         *                    {@code my phone operator} do not
         * @param except      expanded phrases that cancel a hit of this rule they overlap ({@code human resources},
         *                    {@code stupid question}, {@code cancellation policy})
         * @param with        expanded phrases of which one must occur in the same sentence as a hit; empty: none needed
         * @param whenNegative true when a hit counts only on a turn whose sentiment is under
         *                    {@link Sentiment#negativeBelow()} (abuse words not aimed at anyone)
         * @param language    nullable; an ISO 639-1 code ({@code es}, {@code fr}): the rule is active only in sessions
         *                    speaking that language; null rules are active in every session
         * @throws NullPointerException when {@code id}, {@code kind}, {@code description} or {@code priority} is null
         */
        public PhraseRule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(priority, "priority");
            speakers = Set.copyOf(speakers);
            phrases = List.copyOf(phrases);
            alone = List.copyOf(alone);
            except = List.copyOf(except);
            with = List.copyOf(with);
        }

        /**
         * A rule of plain phrases (no alone-only phrases, no exceptions, no companion phrases, any sentiment, every language).
         *
         * @param id          unique in the policy; the reason's rule id
         * @param kind        the trigger family
         * @param enabled     false switches the rule off
         * @param description the reason's detail
         * @param priority    the handoff priority
         * @param routeHint   nullable; passed to the router
         * @param negatable   true when a negation before the phrase ("not angry") cancels it
         * @param speakers    whose turns the rule reads
         * @param profile     nullable; the rule is active only when the policy lists this profile
         * @param phrases     the phrases (templates expanded)
         */
        public PhraseRule(String id, TriggerKind kind, boolean enabled, String description, Priority priority,
                          @Nullable String routeHint, boolean negatable, Set<Speaker> speakers, @Nullable String profile,
                          List<String> phrases) {
            this(id, kind, enabled, description, priority, routeHint, negatable, speakers, profile, phrases, List.of(),
                    List.of(), List.of(), false, null);
        }

        /**
         * True when enabled and its profile (if any) is among {@code profiles}.
         *
         * @param profiles the policy's profiles
         * @return true when the rule may fire
         */
        public boolean isActive(Set<String> profiles) {
            return enabled && (profile == null || profiles.contains(profile));
        }
    }

    /** The shipped presets (resources {@code dev/handoff/core/trigger/<name>.yaml}). */
    public enum Preset {
        /** Every trigger of the seeds with moderate thresholds. */
        DEFAULT("default"),
        /** Enterprise deals over $50k: hand off early, at the slightest confusion. */
        OPEN_DOOR("open-door"),
        /** Transactional deals under $10k: exhaust automation before a human (explicit requests and alarms still win). */
        HIGH_GATE("high-gate"),
        /** The seed's dental practice: "emergency", "pain", confidence under 70%, asking for the dentist; HIPAA. */
        DENTAL_PRACTICE("dental-practice"),
        /** Legal intake: legal advice and deadlines go to a person; "lawsuit" is business as usual, not an alarm. */
        LEGAL_INTAKE("legal-intake"),
        /** B2B sales: deal size, negotiation to an account executive, technical objections to a solutions engineer. */
        B2B_SALES("b2b-sales");

        private final String resourceName;

        Preset(String resourceName) {
            this.resourceName = resourceName;
        }

        /**
         * The name used in {@code extends:} and in the resource file name.
         *
         * @return the preset's name ({@code "default"})
         */
        public String resourceName() {
            return resourceName;
        }
    }
}
