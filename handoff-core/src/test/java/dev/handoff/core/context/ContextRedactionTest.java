package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redaction covers every string of the document, not only the free-text fields. */
class ContextRedactionTest {

    private static final String CARD = "4111111111111111";

    /** A context with the same card number planted in each of the nine places probing found it surviving. */
    static HandoffContext plantedEverywhere() {
        HandoffContext base = LongConversation.context(6);
        CustomerData customer = new CustomerData(CARD, Map.of("billing", CARD), Map.of("note", "card " + CARD), List.of());
        CrmProfile crm = new CrmProfile("webhook", "r-1", "Jo " + CARD, Map.of(), List.of());
        ContextMetadata md = base.metadata();
        md = new ContextMetadata(md.action(), md.priority(), md.triggerReasons(), List.of("pay_" + CARD), "queue-" + CARD,
                md.durationSeconds(), md.language(), Map.of("payer", Map.of("card", CARD, "list", List.of("x " + CARD))));
        SemanticLedger l = base.semanticLedger();
        List<Commitment> commitments = List.of(new Commitment("c-1", Commitment.Kind.REFUND, Commitment.Strength.HARD, "refund to card",
                CARD, 1, Commitment.Status.CORRECTED, "card " + CARD, "agent-1", base.createdAt()));
        return new HandoffContext(base.schema(), base.contextId(), base.sessionId(), base.channel(), base.createdAt(), base.transcript(),
                null, customer, crm, md, new SemanticLedger(l.bant(), l.painPoints(), l.entities(), Map.of("raw", CARD)),
                base.sentiment(), commitments, base.whisper(), base.tone(), base.compliance(), null,
                Map.of("vendorBlob", Map.of("nested", List.of(Map.of("deep", CARD), Long.parseLong(CARD)))));
    }

    @Test
    void a_card_number_planted_in_every_string_field_and_extension_survives_nowhere() {
        HandoffContext copy = ComplianceProfile.HIPAA.redactor().redact(plantedEverywhere(), "hipaa");

        String json = new String(ContextJson.get().write(copy), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(CARD).doesNotContain("4111");
        assertThat(copy.compliance().redactions()).extracting(ComplianceInfo.Redaction::path).contains(
                "$.customer.customerId", "$.customer.accountIds.billing", "$.crmProfile.displayName", "$.metadata.routeHint",
                "$.metadata.intents[0]", "$.commitments[0].value", "$.commitments[0].correctedValue", "$.metadata.payer.card",
                "$.vendorBlob.nested[0].deep", "$.vendorBlob.nested[1]");
        assertThat(ContextJson.get().validate(copy)).isEmpty();
    }

    @Test
    void a_profile_that_covers_phone_email_and_birth_date_marks_the_copy_phi_false_and_one_that_does_not_marks_it_phi_true() {
        HandoffContext full = LongConversation.context(6);

        HandoffContext byDefault = ComplianceProfile.DEFAULT.redactor().redact(full, "default");
        HandoffContext cardsOnly = Redactor.builder().phones(false).emails(false).datesOfBirth(false).build().redact(full, "cards-only");

        assertThat(ComplianceProfile.DEFAULT.redactor().coversPhi()).isTrue();
        assertThat(byDefault.compliance().phi()).isFalse();
        assertThat(cardsOnly.compliance().phi()).isTrue();
    }

    @Test
    void the_default_profile_removes_email_and_phone_from_a_crm_copy() {
        assertThat(ComplianceProfile.DEFAULT.redactor().redact("write to jo@example.com or call 555-555-0142").text())
                .isEqualTo("write to [REDACTED:email] or call [REDACTED:phone]");
    }
}
