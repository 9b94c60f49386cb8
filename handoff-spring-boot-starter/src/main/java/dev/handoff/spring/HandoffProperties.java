package dev.handoff.spring;

import dev.handoff.api.TransferMode;
import dev.handoff.core.trigger.TriggerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code handoff.*} properties. Bound once at startup by Spring Boot; {@link HandoffAutoConfiguration} turns them
 * into a {@link dev.handoff.core.Handoff}, checking each value and naming the property, the value and what was
 * expected when one is wrong. Unknown {@code handoff.*} properties fail the startup too, so a typo is never silently
 * ignored.
 *
 * <p>The defaults are core's {@code DEFAULT_*} constants ({@link dev.handoff.core.HandoffSettings} and the others
 * named on each property); {@code HandoffPropertiesTest} checks that they stay equal.
 */
@ConfigurationProperties(prefix = "handoff", ignoreUnknownFields = false)
public class HandoffProperties {

    /** Whether to create the Handoff bean and everything around it. */
    private boolean enabled = true;

    /** A session with no turn for this long ends (HandoffSettings.DEFAULT_IDLE_TIMEOUT). */
    private Duration idleTimeout = Duration.ofMinutes(30);

    /** How often idle sessions are looked for and ended (HandoffSettings.DEFAULT_IDLE_SWEEP_INTERVAL). */
    private Duration idleSweepInterval = Duration.ofSeconds(30);

    /**
     * The most a customer waits for a human in all, across every fallback target, from the request until connected;
     * after it the bot resumes (HandoffSettings.DEFAULT_MAX_WAIT).
     */
    private Duration maxWait = Duration.ofMinutes(2);

    /** Handoffs this instance runs at once; more wait in line (HandoffSettings.DEFAULT_MAX_IN_FLIGHT). */
    private int maxInFlight = 2048;

    /**
     * Handoffs that may wait in line for a free slot; past it a request returns to the bot at once
     * (HandoffSettings.DEFAULT_MAX_QUEUED).
     */
    private int maxQueued = 1024;

    /** The observer's budget before the deterministic summary is used (HandoffSettings.DEFAULT_SUMMARIZE_TIMEOUT). */
    private Duration summarizeTimeout = Duration.ofSeconds(3);

    /** The CRM profile lookup's budget; packaging goes on without it (HandoffSettings.DEFAULT_CRM_LOOKUP_TIMEOUT). */
    private Duration crmLookupTimeout = Duration.ofSeconds(2);

    /** The three-party check's budget per target (HandoffSettings.DEFAULT_PREFLIGHT_TIMEOUT). */
    private Duration preflightTimeout = Duration.ofSeconds(3);

    /** One transfer attempt's budget, never more than what is left of max-wait (HandoffSettings.DEFAULT_TRANSFER_TIMEOUT). */
    private Duration transferTimeout = Duration.ofSeconds(30);

    /**
     * How long before a voice bridge the agent gets the whisper, ended early by the agent's read confirmation; 0
     * disables it (HandoffSettings.DEFAULT_WHISPER_LEAD).
     */
    private Duration whisperLead = Duration.ofSeconds(10);

    /** The cap on the whisper lead for URGENT handoffs (HandoffSettings.DEFAULT_URGENT_WHISPER_LEAD). */
    private Duration urgentWhisperLead = Duration.ofSeconds(2);

    /** How often the bot gets a "still waiting" line while a human is summoned (HandoffSettings.DEFAULT_BRIDGE_INTERVAL). */
    private Duration bridgeInterval = Duration.ofSeconds(15);

    /**
     * How long after the agent connects the AI's commitments must be verified
     * (HandoffSettings.DEFAULT_COMMITMENT_DEADLINE).
     */
    private Duration commitmentDeadline = Duration.ofSeconds(60);

    /** COLD or WARM for voice handoffs to SIP targets (HandoffSettings.DEFAULT_VOICE_MODE). */
    private TransferMode voiceMode = TransferMode.COLD;

    /** How long a ticket (the short id in SIP headers and links) can be redeemed (Tickets.DEFAULT_TTL). */
    private Duration ticketTtl = Duration.ofMinutes(15);

    /** How long a signed context verifies (ContextSigner.DEFAULT_CONTEXT_TTL). */
    private Duration contextTtl = Duration.ofHours(24);

    /**
     * What is redacted from copies bound for destinations not cleared for PHI (the CRM): default, pci (whole card
     * digit runs too) or hipaa (every full date too).
     */
    private Compliance complianceProfile = Compliance.DEFAULT;

    /**
     * Whether SPI implementations are also looked up with java.util.ServiceLoader when no bean and no property sets
     * them.
     */
    private boolean serviceLoader = true;

    /**
     * A file keeping the audit records the audit sink could not take (its database down) until it takes them, so a
     * restart during the outage loses none (Handoff.Builder#auditSpool); one per instance, owner-only, sealed with the
     * at-rest keys when they are set. Unset: kept in memory only.
     */
    private Path auditSpool;

    /**
     * The most audit records kept while the audit sink is unavailable; past it they are lost (about 280 bytes of heap
     * each; AuditBacklog.DEFAULT_LIMIT).
     */
    private int auditBacklogLimit = 10_000;

    /** What the CRM copy of a context may hold (HandoffSettings.DEFAULT_CRM_LIMITS). */
    private final CrmLimits crmLimits = new CrmLimits();

    /** The keys that sign contexts and tickets. */
    private final Signing signing = new Signing();

    /** The trigger policy. */
    private final Policy policy = new Policy();

    /** Where contexts and commitments are kept. */
    @NestedConfigurationProperty
    private final HandoffStoreProperties store = new HandoffStoreProperties();


    /** Redaction profiles for copies that leave for non-PHI destinations. */
    public enum Compliance {
        /** ComplianceProfile.DEFAULT: card numbers, SSNs, phones, emails, dates of birth. */
        DEFAULT,
        /** ComplianceProfile.PCI: also the whole digit run around a card (CVV, expiry). */
        PCI,
        /** ComplianceProfile.HIPAA: also every full date. */
        HIPAA
    }

    /** What the CRM copy of a context may hold. */
    public static class CrmLimits {

        /** The destination's name in messages and logs. */
        private String destination = "crm";

        /** Whether the CRM is cleared for protected data; false redacts the copy per the compliance profile. */
        private boolean phiAllowed = false;

        /**
         * The largest serialised context the CRM takes, at least 256; above it the CRM gets the summary, the latest
         * turns and a ticket to page the rest. Unset: no limit.
         */
        private Integer maxBytes;

        /** Turns per transcript page when the transcript is paged (DestinationLimits.DEFAULT_PAGE_SIZE). */
        private int pageSize = 50;

        public String getDestination() {
            return destination;
        }

        public void setDestination(String destination) {
            this.destination = destination;
        }

        public boolean isPhiAllowed() {
            return phiAllowed;
        }

        public void setPhiAllowed(boolean phiAllowed) {
            this.phiAllowed = phiAllowed;
        }

        public Integer getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(Integer maxBytes) {
            this.maxBytes = maxBytes;
        }

        public int getPageSize() {
            return pageSize;
        }

        public void setPageSize(int pageSize) {
            this.pageSize = pageSize;
        }
    }

    /**
     * Signing keys: {@code current} names the key that signs, {@code keys} holds every key by id (base64, at least 32
     * bytes each); the others still verify what they signed, so keys rotate without breaking tickets in flight. A
     * {@code SigningKeys} bean (loaded from a secret store) replaces all of this.
     */
    public static class Signing {

        /** The id of the key that signs; must be one of the keys. Optional when there is exactly one key. */
        private String current;

        /** Key id to base64 key (at least 32 bytes). Never logged; errors name the id and the length only. */
        private Map<String, String> keys = new LinkedHashMap<>();

        /**
         * Allows a random key per process when no key is configured: contexts and tickets then cannot be verified after
         * a restart or by another instance. For trials only.
         */
        private boolean ephemeral = false;

        public String getCurrent() {
            return current;
        }

        public void setCurrent(String current) {
            this.current = current;
        }

        public Map<String, String> getKeys() {
            return keys;
        }

        public void setKeys(Map<String, String> keys) {
            this.keys = keys;
        }

        public boolean isEphemeral() {
            return ephemeral;
        }

        public void setEphemeral(boolean ephemeral) {
            this.ephemeral = ephemeral;
        }

        @Override
        public String toString() {
            return "Signing[current=" + current + ", ids=" + keys.keySet() + ", ephemeral=" + ephemeral + "]";
        }
    }

    /** The trigger policy: a shipped preset or a YAML/JSON file; not both. */
    public static class Policy {

        /** A shipped preset: default, open-door, high-gate, dental-practice, legal-intake or b2b-sales. */
        private TriggerPolicy.Preset preset;

        /** A policy file (YAML or JSON), validated at startup. */
        private Path file;

        public TriggerPolicy.Preset getPreset() {
            return preset;
        }

        public void setPreset(TriggerPolicy.Preset preset) {
            this.preset = preset;
        }

        public Path getFile() {
            return file;
        }

        public void setFile(Path file) {
            this.file = file;
        }
    }

    public int getAuditBacklogLimit() {
        return auditBacklogLimit;
    }

    public void setAuditBacklogLimit(int auditBacklogLimit) {
        this.auditBacklogLimit = auditBacklogLimit;
    }

    public Path getAuditSpool() {
        return auditSpool;
    }

    public void setAuditSpool(Path auditSpool) {
        this.auditSpool = auditSpool;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getIdleSweepInterval() {
        return idleSweepInterval;
    }

    public void setIdleSweepInterval(Duration idleSweepInterval) {
        this.idleSweepInterval = idleSweepInterval;
    }

    public Duration getMaxWait() {
        return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getMaxQueued() {
        return maxQueued;
    }

    public void setMaxQueued(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    public Duration getSummarizeTimeout() {
        return summarizeTimeout;
    }

    public void setSummarizeTimeout(Duration summarizeTimeout) {
        this.summarizeTimeout = summarizeTimeout;
    }

    public Duration getCrmLookupTimeout() {
        return crmLookupTimeout;
    }

    public void setCrmLookupTimeout(Duration crmLookupTimeout) {
        this.crmLookupTimeout = crmLookupTimeout;
    }

    public Duration getPreflightTimeout() {
        return preflightTimeout;
    }

    public void setPreflightTimeout(Duration preflightTimeout) {
        this.preflightTimeout = preflightTimeout;
    }

    public Duration getTransferTimeout() {
        return transferTimeout;
    }

    public void setTransferTimeout(Duration transferTimeout) {
        this.transferTimeout = transferTimeout;
    }

    public Duration getWhisperLead() {
        return whisperLead;
    }

    public void setWhisperLead(Duration whisperLead) {
        this.whisperLead = whisperLead;
    }

    public Duration getUrgentWhisperLead() {
        return urgentWhisperLead;
    }

    public void setUrgentWhisperLead(Duration urgentWhisperLead) {
        this.urgentWhisperLead = urgentWhisperLead;
    }

    public Duration getBridgeInterval() {
        return bridgeInterval;
    }

    public void setBridgeInterval(Duration bridgeInterval) {
        this.bridgeInterval = bridgeInterval;
    }

    public Duration getCommitmentDeadline() {
        return commitmentDeadline;
    }

    public void setCommitmentDeadline(Duration commitmentDeadline) {
        this.commitmentDeadline = commitmentDeadline;
    }

    public TransferMode getVoiceMode() {
        return voiceMode;
    }

    public void setVoiceMode(TransferMode voiceMode) {
        this.voiceMode = voiceMode;
    }

    public Duration getTicketTtl() {
        return ticketTtl;
    }

    public void setTicketTtl(Duration ticketTtl) {
        this.ticketTtl = ticketTtl;
    }

    public Duration getContextTtl() {
        return contextTtl;
    }

    public void setContextTtl(Duration contextTtl) {
        this.contextTtl = contextTtl;
    }

    public Compliance getComplianceProfile() {
        return complianceProfile;
    }

    public void setComplianceProfile(Compliance complianceProfile) {
        this.complianceProfile = complianceProfile;
    }

    public boolean isServiceLoader() {
        return serviceLoader;
    }

    public void setServiceLoader(boolean serviceLoader) {
        this.serviceLoader = serviceLoader;
    }

    public CrmLimits getCrmLimits() {
        return crmLimits;
    }

    public Signing getSigning() {
        return signing;
    }

    public Policy getPolicy() {
        return policy;
    }

    public HandoffStoreProperties getStore() {
        return store;
    }

}
