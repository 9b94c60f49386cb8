package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.sip.TicketCarriage.Redemption;
import dev.handoff.sip.TicketCarriage.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How the ticket is written into each carrier and read back on the agent's side, and the correlation fallback. */
class TicketCarriageTest {

    static final String TICKET = "tkt_7Q2-xZ.9";

    @Test
    void user_to_user_is_lower_case_hex_with_the_documented_purpose() {
        assertThat(TicketCarriage.defaults().userToUser(TICKET)).isEqualTo("746b745f3751322d785a2e39;encoding=hex;purpose=isdn-uui");
        assertThat(TicketCarriage.builder().uuiPurpose("call-center").build().userToUser(TICKET))
                .isEqualTo("746b745f3751322d785a2e39;encoding=hex;purpose=call-center");
        assertThat(TicketCarriage.builder().uuiEncoding(TicketCarriage.UuiEncoding.NONE).build().userToUser(TICKET))
                .isEqualTo(TICKET + ";purpose=isdn-uui");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what arrived at the agent                                            | found via
            "User-to-User: 746b745f3751322d785a2e39;encoding=hex;purpose=isdn-uui | USER_TO_USER",
            "User-to-User: 746B745F3751322D785A2E39;encoding=HEX;purpose=ISDN-UUI | USER_TO_USER",
            "X-Handoff-Ticket: tkt_7Q2-xZ.9                                       | X_HEADER",
            "To: <sip:agent@pbx;x-handoff=tkt_7Q2-xZ.9>                           | TO_URI_PARAMETER",
            "Request-URI: sip:agent@10.0.0.7:5060;x-handoff=tkt_7Q2-xZ.9          | REQUEST_URI_PARAMETER",
            "Referred-By: <sip:handoff@bot:5060;x-handoff=tkt_7Q2-xZ.9>           | REFERRED_BY",
    })
    void each_carrier_is_read_back(String arrived, Source source) {
        assertThat(TicketCarriage.defaults().read(invite(arrived))).contains(new Redemption(TICKET, source));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "User-to-User: 746b745f3751322d785a2e39;encoding=hex;purpose=other-app",
            "User-to-User: zz;encoding=hex;purpose=isdn-uui",
            "To: <sip:agent@pbx;x-handoff=%zz>",
            "X-Other: tkt_7Q2-xZ.9",
            "Request-URI: sip:agent@10.0.0.7:5060",
    })
    void foreign_or_malformed_values_count_as_absent(String arrived) {
        assertThat(TicketCarriage.defaults().read(invite(arrived))).isEmpty();
    }

    @Test
    void carriers_are_read_in_the_configured_order_and_disabled_ones_are_ignored() {
        IncomingInvite both = new IncomingInvite("c1", "sip:agent@pbx", "sip:customer@phone",
                "<sip:agent@pbx;x-handoff=from-to>", Map.of("X-Handoff-Ticket", "from-header"));

        assertThat(TicketCarriage.defaults().read(both)).contains(new Redemption("from-header", Source.X_HEADER));
        assertThat(TicketCarriage.builder().carriers(TicketCarrier.TO_URI_PARAMETER, TicketCarrier.X_HEADER).build().read(both))
                .contains(new Redemption("from-to", Source.TO_URI_PARAMETER));
        assertThat(TicketCarriage.builder().carriers().build().read(both)).isEmpty();
    }

    @Test
    void bad_settings_name_the_value() {
        assertThatThrownBy(() -> TicketCarriage.builder().uuiPurpose("isdn uui"))
                .hasMessage("uuiPurpose must be a SIP token (letters, digits, -.!%*_+`'~), was \"isdn uui\"");
        assertThatThrownBy(() -> TicketCarriage.builder().headerName("Handoff-Ticket"))
                .hasMessage("headerName must start with X-, was \"Handoff-Ticket\"");
        assertThatThrownBy(() -> TicketCarriage.builder().carriers(TicketCarrier.X_HEADER, null))
                .hasMessage("carriers must not contain null, was [X_HEADER, null]");
        assertThatThrownBy(() -> TicketCarriage.builder().uuiEncoding(TicketCarriage.UuiEncoding.NONE).build().userToUser("a b\r\n"))
                .hasMessage("ticket: User-to-User without encoding needs a SIP token, was \"a b??\"");
    }

    @Test
    void stripped_invite_is_redeemed_by_caller_within_the_window_and_only_when_unambiguous() {
        MutableClock clock = new MutableClock();
        TransferCorrelations correlations = new TransferCorrelations(TicketCarriage.defaults(), clock, Duration.ofSeconds(60), 100);
        correlations.record("sip:+15550100@carrier.example:5060;user=phone", null, TICKET);
        IncomingInvite stripped = new IncomingInvite("new-call", "sip:agent@10.0.0.7", "<sip:+15550100@carrier.example>;tag=x",
                "sip:agent@pbx", Map.of());

        assertThat(correlations.redeem(stripped)).contains(new Redemption(TICKET, Source.CALLER_CORRELATION));

        correlations.record("sip:+15550100@carrier.example", null, "another-ticket");
        assertThat(correlations.redeem(stripped)).as("two tickets for one caller").isEmpty();

        clock.advance(Duration.ofSeconds(61));
        correlations.record("sip:+15550100@carrier.example", null, "latest");
        assertThat(correlations.redeem(stripped)).as("older entries expired").contains(new Redemption("latest", Source.CALLER_CORRELATION));
        assertThat(correlations.byCaller("sip:someone-else@carrier.example")).isEmpty();
    }

    @Test
    void replacing_invite_is_redeemed_by_the_consult_call() {
        TransferCorrelations correlations = new TransferCorrelations(TicketCarriage.defaults(), new MutableClock(), Duration.ofSeconds(60), 100);
        correlations.record("sip:customer@phone", "consult-42", TICKET);

        IncomingInvite replacing = new IncomingInvite("new-call", "sip:agent@pbx", "sip:other@elsewhere", "sip:agent@pbx",
                Map.of("Replaces", "consult-42;to-tag=a;from-tag=b"));
        IncomingInvite consult = new IncomingInvite("consult-42", "sip:agent@pbx", "sip:handoff@bot", "sip:agent@pbx", Map.of());

        assertThat(correlations.redeem(replacing)).contains(new Redemption(TICKET, Source.CONSULT_CALL));
        assertThat(correlations.redeem(consult)).contains(new Redemption(TICKET, Source.CONSULT_CALL));
    }

    @Test
    void capacity_keeps_the_newest_entries() {
        TransferCorrelations correlations = new TransferCorrelations(TicketCarriage.defaults(), new MutableClock(), Duration.ofSeconds(60), 2);
        correlations.record("sip:a@h", null, "t-a");
        correlations.record("sip:b@h", null, "t-b");
        correlations.record("sip:c@h", null, "t-c");

        assertThat(correlations.byCaller("sip:a@h")).isEmpty();
        assertThat(correlations.byCaller("sip:c@h")).contains("t-c");
    }

    /** "Name: value" lines, where Request-URI, To and From set those parts instead of a header. */
    static IncomingInvite invite(String line) {
        String name = line.substring(0, line.indexOf(':')).trim();
        String value = line.substring(line.indexOf(':') + 1).trim();
        Map<String, String> headers = new HashMap<>();
        String requestUri = "sip:agent@10.0.0.7:5060";
        String to = "<sip:agent@pbx>";
        switch (name) {
            case "Request-URI" -> requestUri = value;
            case "To" -> to = value;
            default -> headers.put(name, value);
        }
        return new IncomingInvite("call-1", requestUri, "sip:customer@phone", to, headers);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
