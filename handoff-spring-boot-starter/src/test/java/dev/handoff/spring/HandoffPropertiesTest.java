package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.HandoffSettings;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.Tickets;
import dev.handoff.postgres.PostgresCommitmentDeadlines;
import dev.handoff.postgres.PostgresHandoffStores;
import dev.handoff.postgres.PostgresSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The property defaults are written as literals (so the configuration processor can show them in the IDE); they must
 * stay equal to core's {@code DEFAULT_*} constants.
 */
class HandoffPropertiesTest {

    @Test
    void every_default_is_cores_default() {
        HandoffProperties p = new HandoffProperties();
        HandoffSettings d = HandoffSettings.ofDefaults();
        assertThat(p.getIdleTimeout()).isEqualTo(d.idleTimeout());
        assertThat(p.getIdleSweepInterval()).isEqualTo(d.idleSweepInterval());
        assertThat(p.getMaxWait()).isEqualTo(d.maxWait());
        assertThat(p.getMaxInFlight()).isEqualTo(d.maxInFlight());
        assertThat(p.getMaxQueued()).isEqualTo(d.maxQueued());
        assertThat(p.getSummarizeTimeout()).isEqualTo(d.summarizeTimeout());
        assertThat(p.getCrmLookupTimeout()).isEqualTo(d.crmLookupTimeout());
        assertThat(p.getPreflightTimeout()).isEqualTo(d.preflightTimeout());
        assertThat(p.getTransferTimeout()).isEqualTo(d.transferTimeout());
        assertThat(p.getWhisperLead()).isEqualTo(d.whisperLead());
        assertThat(p.getUrgentWhisperLead()).isEqualTo(d.urgentWhisperLead());
        assertThat(p.getBridgeInterval()).isEqualTo(d.bridgeInterval());
        assertThat(p.getCommitmentDeadline()).isEqualTo(d.commitmentDeadline());
        assertThat(p.getVoiceMode()).isEqualTo(d.voiceMode());
        assertThat(p.getCrmLimits().getDestination()).isEqualTo(d.crmLimits().destination());
        assertThat(p.getCrmLimits().isPhiAllowed()).isEqualTo(d.crmLimits().phiAllowed());
        assertThat(p.getCrmLimits().getMaxBytes()).isNull();
        assertThat(d.crmLimits().maxBytes()).isEqualTo(DestinationLimits.UNLIMITED);
        assertThat(p.getCrmLimits().getPageSize()).isEqualTo(DestinationLimits.DEFAULT_PAGE_SIZE);
        assertThat(p.getTicketTtl()).isEqualTo(Tickets.DEFAULT_TTL);
        assertThat(p.getContextTtl()).isEqualTo(ContextSigner.DEFAULT_CONTEXT_TTL);
        assertThat(p.getAuditBacklogLimit()).isEqualTo(dev.handoff.core.audit.AuditBacklog.DEFAULT_LIMIT);
        assertThat(p.getAuditSpool()).isNull();
        assertThat(p.getStore().getType()).isEqualTo(HandoffStoreProperties.StoreType.AUTO);
        assertThat(p.getStore().getFile().getDirectory()).isEqualTo(java.nio.file.Path.of("handoff-data"));
        assertThat(p.getStore().getPostgres().getTenant()).isEqualTo(PostgresHandoffStores.DEFAULT_TENANT);
        assertThat(p.getStore().getPostgres().getSchema()).isEqualTo(PostgresSchema.DEFAULT_SCHEMA);
        assertThat(p.getStore().getPostgres().getRetention()).isEqualTo(PostgresHandoffStores.DEFAULT_RETENTION);
        assertThat(p.getStore().getPostgres().getRetentionPurgeInterval()).isEqualTo(PostgresHandoffStores.DEFAULT_RETENTION_PURGE_INTERVAL);
        assertThat(p.getStore().getPostgres().getDeadlinePollInterval()).isEqualTo(PostgresCommitmentDeadlines.DEFAULT_POLL_INTERVAL);
    }

    @Test
    void ides_get_every_property_with_a_description_and_its_default() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json in the jar").isNotNull();
            new ObjectMapper().readTree(in).get("properties").forEach(p -> byName.put(p.get("name").asText(), p));
        }
        assertThat(byName).containsKeys("handoff.enabled", "handoff.max-wait", "handoff.voice-mode", "handoff.signing.keys",
                "handoff.signing.current", "handoff.policy.preset", "handoff.policy.file", "handoff.store.type",
                "handoff.store.file.directory", "handoff.store.postgres.tenant", "handoff.store.postgres.deadline-poll-interval",
                "handoff.crm-limits.max-bytes");
        assertThat(byName.values()).allSatisfy(p -> assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank());
        assertThat(byName.get("handoff.max-wait").get("defaultValue").asText()).isEqualTo("2m");
        assertThat(byName.get("handoff.store.type").get("defaultValue").asText()).isEqualTo("auto");
        assertThat(byName.get("handoff.store.postgres.deadline-poll-interval").get("defaultValue").asText()).isEqualTo("1s");
        assertThat(byName.get("handoff.store.postgres.answer-timeout").get("defaultValue").asText()).isEqualTo("10s");
    }
}
