package dev.handoff.api;

/** The families of handoff triggers from the decision rule engine. */
public enum TriggerKind {
    /** The bot's confidence fell under the soft threshold or the hard floor. */
    CONFIDENCE,
    /** Negative sentiment, falling sentiment velocity, frustration or confusion. */
    NEGATIVE_SENTIMENT,
    /** The customer asked for a person. */
    EXPLICIT_REQUEST,
    /** A topic or intent that needs human judgment, a policy exception, too many intents. */
    COMPLEX_ISSUE,
    /** The customer repeats themselves, the bot repeats itself, or no-match intents pile up. */
    CONVERSATION_LOOP,
    /** Financial disputes, legal matters, privacy requests, PHI: a human is mandatory. */
    REGULATORY,
    /** High-value deals, negotiation, custom solutions, contract terms. */
    SALES,
    /** Urgency words, repeated contact, long duration. */
    URGENCY,
    /** Words that raise a silent alarm and bypass the normal queue. */
    KILL_SWITCH
}
