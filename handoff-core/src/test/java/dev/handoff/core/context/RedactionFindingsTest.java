package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every redaction miss found by probing (issue 12), one row each: the text, the profile, and what must be left.
 * {@code 4111 1111 1111 1111} is a Luhn-valid test card number.
 */
class RedactionFindingsTest {

    private static ComplianceProfile profile(String name) {
        return switch (name) {
            case "default" -> ComplianceProfile.DEFAULT;
            case "pci" -> ComplianceProfile.PCI;
            case "hipaa" -> ComplianceProfile.HIPAA;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}: \"{1}\" becomes \"{2}\"")
    @CsvSource(delimiter = '|', value = {
            // a card number followed by a CVV: the longest digit run fails Luhn, its 16-digit window does not
            "default | card 4111 1111 1111 1111 123 ok | card [REDACTED:card-number] 123 ok",
            // under PCI the whole run goes, CVV included
            "pci     | card 4111 1111 1111 1111 123 ok | card [REDACTED:card-number] ok",
            "pci     | card 4111 1111 1111 1111 12/27 ok | card [REDACTED:card-number] ok",
            "default | card 4111  1111  1111  1111 ok | card [REDACTED:card-number] ok",
            "default | card 4111.1111.1111.1111 ok | card [REDACTED:card-number] ok",
            "default | card 4111/1111/1111/1111 ok | card [REDACTED:card-number] ok",
            "default | card -4111-1111-1111-1111- ok | card -[REDACTED:card-number]- ok",
            "default | card ４１１１ １１１１ １１１１ １１１１ ok | card [REDACTED:card-number] ok",
            "default | four one one one one one one one one one one one one one one one is it | [REDACTED:card-number] is it",
            "default | my ssn is 123456789 | my ssn is [REDACTED:ssn]",
            "default | social 123456789. | social [REDACTED:ssn].",
            "default | it is 123.45.6789 | it is [REDACTED:ssn]",
            "default | it is 123 45 6789 | it is [REDACTED:ssn]",
            "default | mail jordan.lee@example.com now | mail [REDACTED:email] now",
            "default | call (555) 555-0142 now | call [REDACTED:phone] now",
            "default | born 1988-03-04 in Ohio | born [REDACTED:date-of-birth] in Ohio",
            "hipaa   | call +44 20 7946 0958 now | call [REDACTED:phone] now",
            "hipaa   | call +44 7911 123456 now | call [REDACTED:phone] now",
            "hipaa   | born 1988-03-04 in Ohio | born [REDACTED:date] in Ohio",
            "hipaa   | seen on 4 March 1988 | seen on [REDACTED:date]",
    })
    void every_probed_form_is_redacted(String profile, String input, String expected) {
        assertThat(profile(profile).redactor().redact(input).text()).isEqualTo(expected);
    }

    /**
     * An accent written as a separate combining mark ({@code e} + U+0301) or an invisible format character
     * (U+200B zero-width space, U+00AD soft hyphen, U+2060 word joiner) inside a value must not hide it: the mark
     * belongs to the character before it, and what is redacted covers it too.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // Java reads the \\u escapes below as the characters themselves
            "jose\u0301@example.com|[REDACTED:email]",
            "write to jose\u0301.p\u0308e@example.com today|write to [REDACTED:email] today",
            "jo\u200Bse@example.com|[REDACTED:email]",
            "jose@exam\u00ADple.com|[REDACTED:email]",
            "card 4111\u200B 1111 1111 1111 ok|card [REDACTED:card-number] ok",
            "my ssn is 123\u2060456789|my ssn is [REDACTED:ssn]",
            "call (555) 555-01\u200B42 now|call [REDACTED:phone] now",
    })
    void combining_marks_and_invisible_characters_do_not_hide_a_value(String input, String expected) {
        assertThat(ComplianceProfile.DEFAULT.redactor().redact(input).text()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: \"{1}\" stays")
    @CsvSource(delimiter = '|', value = {
            "default | order 4111 1111 1111 1112 is late",
            "default | the invoice total is 1200 for 3 seats",
            "default | version 1.2.3 shipped on Friday",
            "default | meet at 10:30 in room 4",
            "default | it costs $75,000 a year",
            "default | the delivery is on 2026-03-04",
            "pci     | order 4111 1111 1111 1112 is late",
            "hipaa   | the invoice total is 1200",
    })
    void text_without_identifiers_is_left_alone(String profile, String input) {
        assertThat(profile(profile).redactor().redact(input).text()).isSameAs(input);
    }

    @Test
    void a_long_token_without_identifiers_such_as_a_base64_blob_is_left_alone() {
        String blob = "data:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo.abc-def_ghi+".repeat(4000) + " at example dot x";

        for (ComplianceProfile p : new ComplianceProfile[] {ComplianceProfile.DEFAULT, ComplianceProfile.PCI, ComplianceProfile.HIPAA}) {
            assertThat(p.redactor().redact(blob).text()).as(p.name()).isSameAs(blob);
        }
    }
}
