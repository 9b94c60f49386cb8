package dev.handoff.core;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.TransferMode;
import dev.handoff.core.context.DestinationLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts, limits and modes of a {@link Handoff}: immutable, validated, each with a stated default. Build one
 * with {@link #builder()} (or {@link #from(HandoffSettings)} to change a few), or set the same values one by one on
 * {@link Handoff.Builder}.
 *
 * @param idleTimeout        a session with no turn for this long ends ({@link #DEFAULT_IDLE_TIMEOUT})
 * @param idleSweepInterval  how often idle sessions are looked for and ended ({@link #DEFAULT_IDLE_SWEEP_INTERVAL})
 * @param maxWait            the most a customer waits for a human in all, across every fallback target, from the
 *                           request until connected ({@link #DEFAULT_MAX_WAIT}); after it the bot resumes
 * @param maxInFlight        handoffs this instance runs at once ({@link #DEFAULT_MAX_IN_FLIGHT}); more wait in line
 * @param maxQueued          handoffs that may wait in line for a free slot ({@link #DEFAULT_MAX_QUEUED}); past it a
 *                           request returns to the bot at once
 * @param summarizeTimeout   the observer's budget before the deterministic summary is used ({@link #DEFAULT_SUMMARIZE_TIMEOUT})
 * @param crmLookupTimeout   the CRM profile lookup's budget; packaging goes on without it ({@link #DEFAULT_CRM_LOOKUP_TIMEOUT})
 * @param preflightTimeout   the three-party check's budget per target ({@link #DEFAULT_PREFLIGHT_TIMEOUT})
 * @param transferTimeout    one transfer attempt's budget ({@link #DEFAULT_TRANSFER_TIMEOUT}); never more than what is
 *                           left of {@code maxWait}
 * @param whisperLead        how long before a voice bridge the agent gets the whisper, ended early by the agent's read
 *                           confirmation; zero disables it ({@link #DEFAULT_WHISPER_LEAD})
 * @param urgentWhisperLead  the cap on the whisper lead for URGENT handoffs ({@link #DEFAULT_URGENT_WHISPER_LEAD})
 * @param bridgeInterval     how often the bot gets a "still waiting" line while a human is summoned ({@link #DEFAULT_BRIDGE_INTERVAL})
 * @param commitmentDeadline how long after the agent connects the AI's commitments must be verified
 *                           ({@link #DEFAULT_COMMITMENT_DEADLINE})
 * @param voiceMode          COLD or WARM for voice handoffs to SIP targets ({@link #DEFAULT_VOICE_MODE})
 * @param crmLimits          what the CRM copy may hold ({@link #DEFAULT_CRM_LIMITS})
 * @param retentionPurgeInterval how often the {@link dev.handoff.api.spi.DataRetention} set on the Handoff (if any)
 *                           removes what its retention no longer covers, on an io thread; zero turns it off
 *                           ({@link #DEFAULT_RETENTION_PURGE_INTERVAL})
 */
public record HandoffSettings(
        Duration idleTimeout,
        Duration idleSweepInterval,
        Duration maxWait,
        int maxInFlight,
        int maxQueued,
        Duration summarizeTimeout,
        Duration crmLookupTimeout,
        Duration preflightTimeout,
        Duration transferTimeout,
        Duration whisperLead,
        Duration urgentWhisperLead,
        Duration bridgeInterval,
        Duration commitmentDeadline,
        TransferMode voiceMode,
        DestinationLimits crmLimits,
        Duration retentionPurgeInterval) {

    /** Sessions idle this long end (the {@code idleSessionTimeout}). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Idle sessions are swept this often. */
    public static final Duration DEFAULT_IDLE_SWEEP_INTERVAL = Duration.ofSeconds(30);
    /** A customer waits at most this long for a human, across all fallback targets. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(2);
    /** Handoffs one instance runs at once; they hold no thread while they wait, only memory. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2048;
    /** Handoffs that may wait in line for a free slot. */
    public static final int DEFAULT_MAX_QUEUED = 1024;
    /** How long the observer may take before the deterministic summary is used instead. */
    public static final Duration DEFAULT_SUMMARIZE_TIMEOUT = Duration.ofSeconds(3);
    /** How long packaging waits for the CRM profile lookup before going on without it. */
    public static final Duration DEFAULT_CRM_LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    /** How long the three-party preflight may take per target. */
    public static final Duration DEFAULT_PREFLIGHT_TIMEOUT = Duration.ofSeconds(3);
    /** How long one transfer attempt may take before it counts as timed out. */
    public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(30);
    /** How long before a voice bridge the agent gets the whisper (ends early when they confirm reading). */
    public static final Duration DEFAULT_WHISPER_LEAD = Duration.ofSeconds(10);
    /** The whisper lead is capped at this for URGENT handoffs: an urgent caller is not held back for reading. */
    public static final Duration DEFAULT_URGENT_WHISPER_LEAD = Duration.ofSeconds(2);
    /** How often the bot gets a "still waiting" bridge message while a human is summoned. */
    public static final Duration DEFAULT_BRIDGE_INTERVAL = Duration.ofSeconds(15);
    /** How long after the agent connects the AI's commitments must be verified. */
    public static final Duration DEFAULT_COMMITMENT_DEADLINE = Duration.ofSeconds(60);
    /** Voice handoffs use a cold (blind) transfer unless set otherwise. */
    public static final TransferMode DEFAULT_VOICE_MODE = TransferMode.COLD;
    /** The data retention (when one is set) purges this often: expired PHI leaves the disk within minutes, even when idle. */
    public static final Duration DEFAULT_RETENTION_PURGE_INTERVAL = Duration.ofMinutes(10);
    /** The CRM gets a redacted copy (it is not a PHI destination) with no size limit. */
    public static final DestinationLimits DEFAULT_CRM_LIMITS = DestinationLimits.unlimited("crm", false);

    /**
     * Checks every value: durations positive (the two whisper leads may be zero), {@code maxInFlight} at least 1,
     * {@code maxQueued} zero or more, {@code voiceMode} COLD or WARM.
     *
     * @param idleTimeout        a session with no turn for this long ends ({@link #DEFAULT_IDLE_TIMEOUT})
     * @param idleSweepInterval  how often idle sessions are looked for and ended ({@link #DEFAULT_IDLE_SWEEP_INTERVAL})
     * @param maxWait            the most a customer waits for a human in all, across every fallback target, from the
     *                           request until connected ({@link #DEFAULT_MAX_WAIT}); after it the bot resumes
     * @param maxInFlight        handoffs this instance runs at once ({@link #DEFAULT_MAX_IN_FLIGHT}); more wait in line
     * @param maxQueued          handoffs that may wait in line for a free slot ({@link #DEFAULT_MAX_QUEUED}); past it a
     *                           request returns to the bot at once
     * @param summarizeTimeout   the observer's budget before the deterministic summary is used ({@link
     *                           #DEFAULT_SUMMARIZE_TIMEOUT})
     * @param crmLookupTimeout   the CRM profile lookup's budget; packaging goes on without it ({@link
     *                           #DEFAULT_CRM_LOOKUP_TIMEOUT})
     * @param preflightTimeout   the three-party check's budget per target ({@link #DEFAULT_PREFLIGHT_TIMEOUT})
     * @param transferTimeout    one transfer attempt's budget ({@link #DEFAULT_TRANSFER_TIMEOUT}); never more than what is
     *                           left of {@code maxWait}
     * @param whisperLead        how long before a voice bridge the agent gets the whisper, ended early by the agent's read
     *                           confirmation; zero disables it ({@link #DEFAULT_WHISPER_LEAD})
     * @param urgentWhisperLead  the cap on the whisper lead for URGENT handoffs ({@link #DEFAULT_URGENT_WHISPER_LEAD})
     * @param bridgeInterval     how often the bot gets a "still waiting" line while a human is summoned ({@link
     *                           #DEFAULT_BRIDGE_INTERVAL})
     * @param commitmentDeadline how long after the agent connects the AI's commitments must be verified
     *                           ({@link #DEFAULT_COMMITMENT_DEADLINE})
     * @param voiceMode          COLD or WARM for voice handoffs to SIP targets ({@link #DEFAULT_VOICE_MODE})
     * @param crmLimits          what the CRM copy may hold ({@link #DEFAULT_CRM_LIMITS})
     * @param retentionPurgeInterval how often the data retention purges; zero turns it off
     *                           ({@link #DEFAULT_RETENTION_PURGE_INTERVAL})
     * @throws ConfigurationException naming the setting, its value and what was expected
     */
    public HandoffSettings {
        positive("idleTimeout", idleTimeout);
        positive("idleSweepInterval", idleSweepInterval);
        positive("maxWait", maxWait);
        if (maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (maxQueued < 0) {
            throw new ConfigurationException("maxQueued must be 0 or more, was " + maxQueued);
        }
        positive("summarizeTimeout", summarizeTimeout);
        positive("crmLookupTimeout", crmLookupTimeout);
        positive("preflightTimeout", preflightTimeout);
        positive("transferTimeout", transferTimeout);
        notNegative("whisperLead", whisperLead);
        notNegative("urgentWhisperLead", urgentWhisperLead);
        positive("bridgeInterval", bridgeInterval);
        positive("commitmentDeadline", commitmentDeadline);
        Objects.requireNonNull(voiceMode, "voiceMode");
        if (voiceMode == TransferMode.QUEUE) {
            throw new ConfigurationException("voiceMode must be COLD or WARM, was QUEUE");
        }
        Objects.requireNonNull(crmLimits, "crmLimits");
        purgeInterval(retentionPurgeInterval);
    }

    /**
     * Every default.
     *
     * @return settings with every {@code DEFAULT_*} value
     */
    public static HandoffSettings ofDefaults() {
        return builder().build();
    }

    /**
     * A builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from {@code base}.
     *
     * @param base the settings to start from
     * @return a new builder holding every value of {@code base}
     */
    public static Builder from(HandoffSettings base) {
        Objects.requireNonNull(base, "base");
        Builder b = new Builder();
        b.idleTimeout = base.idleTimeout;
        b.idleSweepInterval = base.idleSweepInterval;
        b.maxWait = base.maxWait;
        b.maxInFlight = base.maxInFlight;
        b.maxQueued = base.maxQueued;
        b.summarizeTimeout = base.summarizeTimeout;
        b.crmLookupTimeout = base.crmLookupTimeout;
        b.preflightTimeout = base.preflightTimeout;
        b.transferTimeout = base.transferTimeout;
        b.whisperLead = base.whisperLead;
        b.urgentWhisperLead = base.urgentWhisperLead;
        b.bridgeInterval = base.bridgeInterval;
        b.commitmentDeadline = base.commitmentDeadline;
        b.voiceMode = base.voiceMode;
        b.crmLimits = base.crmLimits;
        b.retentionPurgeInterval = base.retentionPurgeInterval;
        return b;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigurationException(name + " must be positive, was " + d);
        }
    }

    private static void purgeInterval(Duration d) {
        Objects.requireNonNull(d, "retentionPurgeInterval");
        if (!d.isZero() && (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0)) {
            throw new ConfigurationException("retentionPurgeInterval must be PT0S (off) or PT1S to PT24H, was " + d);
        }
    }

    private static void notNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new ConfigurationException(name + " must not be negative, was " + d);
        }
    }

    /** Builds {@link HandoffSettings}; each value is checked where it is set, with the bad value in the message. */
    public static final class Builder {
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration idleSweepInterval = DEFAULT_IDLE_SWEEP_INTERVAL;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private Duration summarizeTimeout = DEFAULT_SUMMARIZE_TIMEOUT;
        private Duration crmLookupTimeout = DEFAULT_CRM_LOOKUP_TIMEOUT;
        private Duration preflightTimeout = DEFAULT_PREFLIGHT_TIMEOUT;
        private Duration transferTimeout = DEFAULT_TRANSFER_TIMEOUT;
        private Duration whisperLead = DEFAULT_WHISPER_LEAD;
        private Duration urgentWhisperLead = DEFAULT_URGENT_WHISPER_LEAD;
        private Duration bridgeInterval = DEFAULT_BRIDGE_INTERVAL;
        private Duration commitmentDeadline = DEFAULT_COMMITMENT_DEADLINE;
        private TransferMode voiceMode = DEFAULT_VOICE_MODE;
        private DestinationLimits crmLimits = DEFAULT_CRM_LIMITS;
        private Duration retentionPurgeInterval = DEFAULT_RETENTION_PURGE_INTERVAL;

        private Builder() {
        }

        /**
         * A session with no turn for this long ends.
         *
         * @param d positive (default {@link #DEFAULT_IDLE_TIMEOUT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder idleTimeout(Duration d) {
            positive("idleTimeout", d);
            this.idleTimeout = d;
            return this;
        }

        /**
         * How often idle sessions are looked for.
         *
         * @param d positive (default {@link #DEFAULT_IDLE_SWEEP_INTERVAL})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder idleSweepInterval(Duration d) {
            positive("idleSweepInterval", d);
            this.idleSweepInterval = d;
            return this;
        }

        /**
         * The most a customer waits for a human in all, across every fallback target.
         *
         * @param d positive (default {@link #DEFAULT_MAX_WAIT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder maxWait(Duration d) {
            positive("maxWait", d);
            this.maxWait = d;
            return this;
        }

        /**
         * Handoffs this instance runs at once; more wait in line.
         *
         * @param n at least 1 (default {@link #DEFAULT_MAX_IN_FLIGHT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder maxInFlight(int n) {
            if (n < 1) {
                throw new ConfigurationException("maxInFlight must be at least 1, was " + n);
            }
            this.maxInFlight = n;
            return this;
        }

        /**
         * Handoffs that may wait in line for a free slot; past it a request returns to the bot at once.
         *
         * @param n zero or more (default {@link #DEFAULT_MAX_QUEUED})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder maxQueued(int n) {
            if (n < 0) {
                throw new ConfigurationException("maxQueued must be 0 or more, was " + n);
            }
            this.maxQueued = n;
            return this;
        }

        /**
         * The observer's budget before the deterministic summary is used.
         *
         * @param d positive (default {@link #DEFAULT_SUMMARIZE_TIMEOUT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder summarizeTimeout(Duration d) {
            positive("summarizeTimeout", d);
            this.summarizeTimeout = d;
            return this;
        }

        /**
         * The CRM profile lookup's budget; packaging goes on without the profile after it.
         *
         * @param d positive (default {@link #DEFAULT_CRM_LOOKUP_TIMEOUT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder crmLookupTimeout(Duration d) {
            positive("crmLookupTimeout", d);
            this.crmLookupTimeout = d;
            return this;
        }

        /**
         * The three-party check's budget per target.
         *
         * @param d positive (default {@link #DEFAULT_PREFLIGHT_TIMEOUT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder preflightTimeout(Duration d) {
            positive("preflightTimeout", d);
            this.preflightTimeout = d;
            return this;
        }

        /**
         * One transfer attempt's budget.
         *
         * @param d positive (default {@link #DEFAULT_TRANSFER_TIMEOUT})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder transferTimeout(Duration d) {
            positive("transferTimeout", d);
            this.transferTimeout = d;
            return this;
        }

        /**
         * How long before a voice bridge the agent gets the whisper; zero disables it.
         *
         * @param d zero or positive (default {@link #DEFAULT_WHISPER_LEAD})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder whisperLead(Duration d) {
            notNegative("whisperLead", d);
            this.whisperLead = d;
            return this;
        }

        /**
         * The cap on the whisper lead for URGENT handoffs.
         *
         * @param d zero or positive (default {@link #DEFAULT_URGENT_WHISPER_LEAD})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder urgentWhisperLead(Duration d) {
            notNegative("urgentWhisperLead", d);
            this.urgentWhisperLead = d;
            return this;
        }

        /**
         * How often the bot gets a "still waiting" line while a human is summoned.
         *
         * @param d positive (default {@link #DEFAULT_BRIDGE_INTERVAL})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder bridgeInterval(Duration d) {
            positive("bridgeInterval", d);
            this.bridgeInterval = d;
            return this;
        }

        /**
         * How long after the agent connects the AI's commitments must be verified.
         *
         * @param d positive (default {@link #DEFAULT_COMMITMENT_DEADLINE})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder commitmentDeadline(Duration d) {
            positive("commitmentDeadline", d);
            this.commitmentDeadline = d;
            return this;
        }

        /**
         * COLD or WARM for voice handoffs to SIP targets.
         *
         * @param mode COLD or WARM (default {@link #DEFAULT_VOICE_MODE})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder voiceMode(TransferMode mode) {
            Objects.requireNonNull(mode, "voiceMode");
            if (mode == TransferMode.QUEUE) {
                throw new ConfigurationException("voiceMode must be COLD or WARM, was QUEUE");
            }
            this.voiceMode = mode;
            return this;
        }

        /**
         * What the CRM copy may hold.
         *
         * @param limits the limits (default {@link #DEFAULT_CRM_LIMITS})
         * @return this builder
         */
        public Builder crmLimits(DestinationLimits limits) {
            this.crmLimits = Objects.requireNonNull(limits, "crmLimits");
            return this;
        }

        /**
         * How often the {@link dev.handoff.api.spi.DataRetention} set on the Handoff removes what its retention no
         * longer covers. Each run goes to an io thread; a failure is logged (WARN on the first of a series, then every
         * tenth) and the next run still happens. Without a data retention nothing is scheduled.
         *
         * @param d zero (off) or 1 second to 24 hours (default {@link #DEFAULT_RETENTION_PURGE_INTERVAL})
         * @return this builder
         * @throws ConfigurationException when the value is out of range, naming it
         */
        public Builder retentionPurgeInterval(Duration d) {
            purgeInterval(d);
            this.retentionPurgeInterval = d;
            return this;
        }

        /**
         * The settings, every value as set or its default.
         *
         * @return the settings (already checked value by value)
         */
        public HandoffSettings build() {
            return new HandoffSettings(idleTimeout, idleSweepInterval, maxWait, maxInFlight, maxQueued, summarizeTimeout,
                    crmLookupTimeout, preflightTimeout, transferTimeout, whisperLead, urgentWhisperLead, bridgeInterval,
                    commitmentDeadline, voiceMode, crmLimits, retentionPurgeInterval);
        }
    }
}
