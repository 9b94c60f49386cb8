package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationPackagerTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final Clock clock = Clock.fixed(Instant.parse("2026-06-01T11:00:00Z"), ZoneOffset.UTC);
    private final SigningKeys keys = SigningKeys.of("k1", KEY);
    private final ContextSigner signer = new ContextSigner(keys, clock);
    private final Tickets tickets = new Tickets(keys, clock, Tickets.DEFAULT_TTL);
    private final DestinationPackager packager = new DestinationPackager(signer, tickets, ComplianceProfile.DEFAULT);

    private static HandoffContext pack(ConversationSnapshot view) {
        var decision = LongConversation.decision(view.turns().size() - 1);
        var summary = new DeterministicSummarizer().summarize(view, decision);
        return new DefaultContextPackager(new LexiconSentimentAnalyzer()).pack(new PackagingRequest(view, decision, null, List.of(), summary,
                view.turns().get(view.turns().size() - 1).timestamp()));
    }

    private static HandoffContext withCustomerSaying(String... lines) {
        List<Turn> turns = new ArrayList<>(LongConversation.turns(4));
        for (String line : lines) {
            turns.add(new Turn(turns.size(), Speaker.CUSTOMER, line, LongConversation.START.plusSeconds(100 + turns.size()), null, false));
        }
        return pack(ConversationSnapshot.of(LongConversation.view(4).id(), LongConversation.view(4).channel(), LongConversation.START, turns,
                null, LongConversation.view(4).customer()));
    }

    @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "my card is 4111 1111 1111 1111 thanks | my card is [REDACTED:card-number] thanks",
            "card 4111-1111-1111-1111 expires soon | card [REDACTED:card-number] expires soon",
            "number 4111111111111111 | number [REDACTED:card-number]",
            "order 4111 1111 1111 1112 is late | order 4111 1111 1111 1112 is late",
            "my ssn is 123-45-6789 | my ssn is [REDACTED:ssn]",
            "ref 000-12-3456 and 666-12-3456 | ref 000-12-3456 and 666-12-3456",
            "call +15555550142 on 2026-03-04 | call [REDACTED:phone] on 2026-03-04",
    })
    void default_redactor_removes_luhn_valid_cards_ssns_and_phones_but_not_other_dates(String input, String expected) {
        assertThat(Redactor.defaults().redact(input).text()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "reach me at jordan.lee@example.com | reach me at [REDACTED:email]",
            "my number is (555) 555-0142 | my number is [REDACTED:phone]",
            "call +15555550142 | call [REDACTED:phone]",
            "born 03/04/1988, card 4111111111111111 | born [REDACTED:date], card [REDACTED:card-number]",
            "the invoice total is 1200 | the invoice total is 1200",
    })
    void hipaa_profile_also_removes_contact_details_and_birth_dates(String input, String expected) {
        assertThat(ComplianceProfile.HIPAA.redactor().redact(input).text()).isEqualTo(expected);
    }

    @Test
    void non_phi_destination_gets_redacted_text_and_a_record_of_kind_and_place_but_never_the_value() {
        HandoffContext full = withCustomerSaying("My card is 4111 1111 1111 1111 and my SSN is 123-45-6789.", "Member M-889123 here.");
        DestinationPackager pci = new DestinationPackager(signer, tickets,
                new ComplianceProfile("pci", Redactor.builder().pattern("member-id", "M-\\d{6}").build()));

        Envelope envelope = pci.forDestination(full, DestinationLimits.unlimited("hubspot-note", false));

        String json = new String(ContextJson.get().write(envelope.context()), StandardCharsets.UTF_8);
        assertThat(envelope.form()).isEqualTo(Envelope.Form.FULL);
        assertThat(json).doesNotContain("4111").doesNotContain("123-45-6789").doesNotContain("M-889123")
                .contains("My card is [REDACTED:card-number] and my SSN is [REDACTED:ssn].");
        assertThat(envelope.context().compliance()).isEqualTo(new ComplianceInfo("pci", false, List.of(
                new ComplianceInfo.Redaction("card-number", "$.transcript[4].text", 1),
                new ComplianceInfo.Redaction("ssn", "$.transcript[4].text", 1),
                new ComplianceInfo.Redaction("member-id", "$.transcript[5].text", 1))));
        assertThat(signer.verify(envelope.context())).isSameAs(envelope.context());
        assertThat(full.transcript().get(4).text()).contains("4111 1111 1111 1111");
    }

    @Test
    void phi_cleared_destination_gets_the_text_unredacted() {
        HandoffContext full = withCustomerSaying("My SSN is 123-45-6789.");

        Envelope envelope = packager.forDestination(full, DestinationLimits.unlimited("ehr-desktop", true));

        assertThat(envelope.context().transcript().get(4).text()).isEqualTo("My SSN is 123-45-6789.");
        assertThat(envelope.context().compliance().redactions()).isEmpty();
    }

    @Test
    void a_long_transcript_over_the_limit_becomes_a_summary_with_paging_never_a_silent_cut() {
        HandoffContext full = pack(LongConversation.view(300));
        int fullSize = ContextJson.get().write(signer.sign(full)).length;

        Envelope envelope = packager.forDestination(full, DestinationLimits.of("crm-note", false, 8_000));

        HandoffContext sent = envelope.context();
        assertThat(fullSize).isGreaterThan(30_000);
        assertThat(envelope.form()).isEqualTo(Envelope.Form.SUMMARY);
        assertThat(envelope.bytes()).isLessThanOrEqualTo(8_000).isEqualTo(ContextJson.get().write(sent).length);
        assertThat(envelope.totalTurns()).isEqualTo(300);
        assertThat(sent.transcript()).hasSize(envelope.sentTurns());
        assertThat(sent.lastTurn()).isEqualTo(full.lastTurn());
        assertThat(sent.transcript()).extracting(Turn::index).contains(298);
        assertThat(sent.whisper()).isEqualTo(full.whisper());
        @SuppressWarnings("unchecked")
        Map<String, Object> paging = (Map<String, Object>) sent.extensions().get(DestinationPackager.PAGING_EXTENSION);
        assertThat(paging).containsEntry("totalTurns", 300).containsEntry("omittedTurns", 300 - envelope.sentTurns())
                .containsEntry("pageSize", 50).containsEntry("pages", 6).containsEntry("ticket", envelope.ticket());
        assertThat(envelope.note()).isEqualTo(envelope.sentTurns() + " of 300 turns included; page the other "
                + (300 - envelope.sentTurns()) + " with the ticket");
        assertThat(signer.verifyBytes(ContextJson.get().write(sent))).isEqualTo(sent);
        assertThat(tickets.redeem(envelope.ticket())).isEqualTo(full.contextId());
    }

    @Test
    void redacted_and_summary_documents_still_follow_the_published_schema() throws Exception {
        HandoffContext full = pack(LongConversation.view(300));
        var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(DestinationPackagerTest.class.getResourceAsStream("/schema/handoff.context.v1.schema.json"));
        Envelope summary = packager.forDestination(full, DestinationLimits.of("crm-note", false, 8_000));
        Envelope redacted = packager.forDestination(withCustomerSaying("card 4111 1111 1111 1111"),
                DestinationLimits.unlimited("crm-note", false));

        for (Envelope e : List.of(summary, redacted)) {
            var tree = ContextJson.get().mapper().readTree(ContextJson.get().write(e.context()));
            assertThat(schema.validate(tree)).as(e.form().name()).isEmpty();
        }
    }

    @Test
    void pages_of_the_full_transcript_cover_every_turn_once() {
        HandoffContext full = pack(LongConversation.view(300));
        List<Turn> paged = new ArrayList<>();

        TranscriptPage first = TranscriptPage.of(full, 0, 50);
        for (int p = 0; p < first.totalPages(); p++) {
            paged.addAll(TranscriptPage.of(full, p, 50).turns());
        }

        assertThat(first.totalPages()).isEqualTo(6);
        assertThat(paged).isEqualTo(full.transcript());
        assertThatThrownBy(() -> TranscriptPage.of(full, 6, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("page must be in 0..5 for context " + full.contextId() + ", was 6");
    }

    @Test
    void when_not_even_the_trigger_turn_fits_only_the_ticket_is_sent() {
        HandoffContext full = pack(LongConversation.view(300));

        Envelope envelope = packager.forDestination(full, DestinationLimits.of("sip-header", false, 256));

        assertThat(envelope.form()).isEqualTo(Envelope.Form.TICKET_ONLY);
        assertThat(envelope.context()).isNull();
        assertThat(envelope.note()).isEqualTo("the summary does not fit in 256 bytes; redeem the ticket for the context");
        assertThat(envelope.ticket().length()).isLessThanOrEqualTo(Tickets.MAX_LENGTH);
    }

    @Test
    void bad_configuration_names_the_field_and_value() {
        assertThatThrownBy(() -> Redactor.builder().pattern("member-id", "M-(\\d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("redaction pattern \"member-id\" is not a valid regular expression: Unclosed group");
        assertThatThrownBy(() -> Redactor.builder().pattern("Member ID", "x"))
                .hasMessage("redaction kind must be 1-40 characters of [a-z0-9-], was \"Member ID\"");
        assertThatThrownBy(() -> DestinationLimits.of("sip-header", false, 128))
                .hasMessage("maxBytes of destination \"sip-header\" must be at least 256, was 128");
    }
}
