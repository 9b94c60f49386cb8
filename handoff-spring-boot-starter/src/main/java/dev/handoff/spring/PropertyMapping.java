package dev.handoff.spring;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.TransferMode;
import dev.handoff.api.ValidationException;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSettings;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.trigger.TriggerPolicy;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Turns {@link HandoffProperties} into core's types, one property at a time, so a value core refuses is reported with
 * the property's name, the value as written and what was expected ({@link HandoffPropertyException}).
 */
final class PropertyMapping {

    private static final Logger LOG = LoggerFactory.getLogger(PropertyMapping.class);

    static final String POSITIVE = "a positive duration, such as 30s, 2m or PT2M";
    static final String NOT_NEGATIVE = "a duration of 0 or more, such as 0s or 10s";

    private final HandoffProperties p;
    private final Environment env;

    PropertyMapping(HandoffProperties p, Environment env) {
        this.p = p;
        this.env = env;
    }

    /** Every timeout, limit and mode of {@link HandoffSettings}. */
    HandoffSettings settings() {
        HandoffSettings.Builder b = HandoffSettings.builder();
        set("handoff.idle-timeout", p.getIdleTimeout(), b::idleTimeout, POSITIVE);
        set("handoff.idle-sweep-interval", p.getIdleSweepInterval(), b::idleSweepInterval, POSITIVE);
        set("handoff.max-wait", p.getMaxWait(), b::maxWait, POSITIVE);
        set("handoff.max-in-flight", p.getMaxInFlight(), b::maxInFlight, "an integer of at least 1");
        set("handoff.max-queued", p.getMaxQueued(), b::maxQueued, "an integer of 0 or more");
        set("handoff.summarize-timeout", p.getSummarizeTimeout(), b::summarizeTimeout, POSITIVE);
        set("handoff.crm-lookup-timeout", p.getCrmLookupTimeout(), b::crmLookupTimeout, POSITIVE);
        set("handoff.preflight-timeout", p.getPreflightTimeout(), b::preflightTimeout, POSITIVE);
        set("handoff.transfer-timeout", p.getTransferTimeout(), b::transferTimeout, POSITIVE);
        set("handoff.whisper-lead", p.getWhisperLead(), b::whisperLead, NOT_NEGATIVE);
        set("handoff.urgent-whisper-lead", p.getUrgentWhisperLead(), b::urgentWhisperLead, NOT_NEGATIVE);
        set("handoff.bridge-interval", p.getBridgeInterval(), b::bridgeInterval, POSITIVE);
        set("handoff.commitment-deadline", p.getCommitmentDeadline(), b::commitmentDeadline, POSITIVE);
        set("handoff.voice-mode", p.getVoiceMode(), b::voiceMode, "cold or warm (queue is for chats, not voice)");
        b.crmLimits(crmLimits());
        return b.build();
    }

    /** The builder-level values beside the settings: ticket and context lifetimes, the compliance profile. */
    void applyBuilderValues(Handoff.Builder b) {
        set("handoff.ticket-ttl", p.getTicketTtl(), b::ticketTtl, POSITIVE);
        set("handoff.context-ttl", p.getContextTtl(), b::contextTtl, POSITIVE);
        b.complianceProfile(switch (p.getComplianceProfile()) {
            case DEFAULT -> ComplianceProfile.DEFAULT;
            case PCI -> ComplianceProfile.PCI;
            case HIPAA -> ComplianceProfile.HIPAA;
        });
        b.serviceLoader(p.isServiceLoader());
        set("handoff.audit-backlog-limit", p.getAuditBacklogLimit(), b::auditBacklogLimit, "an integer from "
                + dev.handoff.core.audit.AuditBacklog.MIN_LIMIT + " to " + dev.handoff.core.audit.AuditBacklog.MAX_LIMIT + " records");
    }

    DestinationLimits crmLimits() {
        HandoffProperties.CrmLimits c = p.getCrmLimits();
        if (c.getDestination() == null || c.getDestination().isBlank()) {
            throw new HandoffPropertyException("handoff.crm-limits.destination", raw("handoff.crm-limits.destination", c.getDestination()),
                    "a name for the CRM destination, such as crm or hubspot-note");
        }
        int maxBytes = c.getMaxBytes() == null ? DestinationLimits.UNLIMITED : c.getMaxBytes();
        if (maxBytes < DestinationLimits.MIN_BYTES) {
            throw new HandoffPropertyException("handoff.crm-limits.max-bytes", raw("handoff.crm-limits.max-bytes", maxBytes),
                    "at least " + DestinationLimits.MIN_BYTES + " bytes (a signed ticket and the whisper must fit), or unset for no limit");
        }
        if (c.getPageSize() < 1) {
            throw new HandoffPropertyException("handoff.crm-limits.page-size", raw("handoff.crm-limits.page-size", c.getPageSize()),
                    "at least 1 turn per transcript page");
        }
        return new DestinationLimits(c.getDestination(), c.isPhiAllowed(), maxBytes, c.getPageSize());
    }

    /** The signing keys from {@code handoff.signing.*}. */
    SigningKeys signingKeys() {
        HandoffProperties.Signing s = p.getSigning();
        if (s.getKeys().isEmpty()) {
            if (s.isEphemeral()) {
                LOG.warn("handoff.signing.ephemeral=true: contexts and tickets are signed with a random key of this process only;"
                        + " they cannot be verified after a restart or by another instance. Configure handoff.signing.keys for production.");
                return SigningKeys.ephemeral();
            }
            throw new HandoffPropertyException("handoff.signing.keys", "",
                    "at least one signing key: handoff.signing.keys.<id>=<base64 of " + SigningKeys.MIN_KEY_BYTES
                            + " or more random bytes> (or a SigningKeys bean loaded from your secret store; handoff.signing.ephemeral=true"
                            + " for a single-process trial)");
        }
        return ring("handoff.signing", s.getCurrent(), s.getKeys(), SigningKeys.MIN_KEY_BYTES, "or more", SigningKeys::of,
                SigningKeys::rotateTo);
    }

    /** The at-rest keys of the file stores, or null when none is configured. */
    AtRestKeys atRestKeys() {
        HandoffStoreProperties.FileStore f = p.getStore().getFile();
        if (f.getEncryptionKeys().isEmpty()) {
            if (f.getEncryptionCurrent() != null) {
                throw new HandoffPropertyException("handoff.store.file.encryption-current", f.getEncryptionCurrent(),
                        "the id of one of handoff.store.file.encryption-keys, which is empty");
            }
            return null;
        }
        return ring("handoff.store.file.encryption", f.getEncryptionCurrent(), f.getEncryptionKeys(), AtRestKeys.KEY_BYTES, "exactly",
                AtRestKeys::of, AtRestKeys::rotateTo);
    }

    /**
     * A key ring: the current key last, so it signs (or seals) and the others only verify (or open).
     *
     * @param prefix {@code handoff.signing} (keys under {@code .keys}, current as {@code .current}) or
     *               {@code handoff.store.file.encryption} ({@code -keys}, {@code -current})
     */
    private <R> R ring(String prefix, String current, Map<String, String> keys, int bytes, String qualifier,
            BiFunction<String, byte[], R> of, TriFunction<R> rotate) {
        boolean signing = prefix.equals("handoff.signing");
        String keysProperty = prefix + (signing ? ".keys" : "-keys");
        String currentProperty = prefix + (signing ? ".current" : "-current");
        if (current == null || current.isBlank()) {
            if (keys.size() > 1) {
                throw new HandoffPropertyException(currentProperty, "", "the id of the key to use now, one of " + keys.keySet());
            }
            current = keys.keySet().iterator().next();
        }
        if (!keys.containsKey(current)) {
            throw new HandoffPropertyException(currentProperty, current, "one of the ids under " + keysProperty + ": " + keys.keySet());
        }
        String size = qualifier.equals("exactly") ? "exactly " + bytes : bytes + " or more";
        List<String> order = new ArrayList<>(keys.keySet());
        order.remove(current);
        order.add(current);
        R ring = null;
        for (String id : order) {
            String property = keysProperty + "." + id;
            byte[] key = decode(property, keys.get(id));
            if (key.length < bytes || (qualifier.equals("exactly") && key.length != bytes)) {
                throw new HandoffPropertyException(property, "(a secret of " + key.length + " bytes, not shown)",
                        "base64 of " + size + " random bytes");
            }
            try {
                ring = ring == null ? of.apply(id, key) : rotate.apply(ring, id, key);
            } catch (ConfigurationException | IllegalArgumentException e) {
                throw new HandoffPropertyException(property, "(a secret, not shown; key id \"" + id + "\")",
                        "a key id of 1-32 characters of [A-Za-z0-9._-] and base64 of " + size + " random bytes", e);
            }
        }
        return ring;
    }

    @FunctionalInterface
    interface TriFunction<R> {
        R apply(R ring, String id, byte[] key);
    }

    private static byte[] decode(String property, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new HandoffPropertyException(property, "", "base64 of a random key");
        }
        String v = base64.strip();
        try {
            return (v.indexOf('-') >= 0 || v.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(v);
        } catch (IllegalArgumentException e) {
            // the value is a secret: only its length is named
            throw new HandoffPropertyException(property, "(a secret of " + v.length() + " characters, not shown)",
                    "base64 (standard or URL-safe) of a random key");
        }
    }

    /** The trigger policy from {@code handoff.policy.*}, or null for core's default. */
    TriggerPolicy policy() {
        HandoffProperties.Policy policy = p.getPolicy();
        Path file = policy.getFile();
        if (file != null && policy.getPreset() != null) {
            throw new HandoffPropertyException("handoff.policy.file", file.toString(),
                    "either handoff.policy.file or handoff.policy.preset (" + policy.getPreset() + "), not both");
        }
        if (file != null) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new HandoffPropertyException("handoff.policy.file", file.toString(),
                        "a readable YAML or JSON policy file (resolved to " + file.toAbsolutePath() + ")");
            }
            try {
                return TriggerPolicy.load(file);
            } catch (ValidationException e) {
                throw new HandoffPropertyException("handoff.policy.file", file.toString(), "a valid trigger policy; " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new HandoffPropertyException("handoff.policy.file", file.toString(), "a readable YAML or JSON policy file ("
                        + e.getCause().getMessage() + ")", e);
            }
        }
        return policy.getPreset() == null ? null : TriggerPolicy.preset(policy.getPreset());
    }

    private <T> void set(String property, T value, Consumer<T> setter, String expected) {
        if (value == null) {
            throw new HandoffPropertyException(property, "", expected);
        }
        try {
            setter.accept(value);
        } catch (ConfigurationException | IllegalArgumentException e) {
            throw new HandoffPropertyException(property, raw(property, value), expected, e);
        }
    }

    /** The value as the user wrote it (any property source, relaxed names), else the bound value. */
    String raw(String property, Object bound) {
        String written = env.getProperty(property);
        if (written != null) {
            return written;
        }
        if (bound instanceof Duration d) {
            return d.toString();
        }
        if (bound instanceof TransferMode m) {
            return m.name().toLowerCase(java.util.Locale.ROOT);
        }
        return String.valueOf(bound);
    }
}
