package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property-based: card numbers, SSNs, phone numbers, e-mail addresses and dates of birth, generated in every format
 * the redactor claims, planted in random text, never survive any profile that writes {@code phi=false}; and random
 * text without them comes back unchanged.
 *
 * <p>Each property runs {@link #TRIES} generated cases from a seed that is new on every run and printed with any
 * failure; rerun one with {@code -Dredaction.seed=<seed>}. (Plain JUnit and {@link SplittableRandom}: no
 * property-testing library.)
 */
class RedactionPropertiesTest {

    private static final int TRIES = 400;
    private static final long SEED = Long.getLong("redaction.seed", System.nanoTime());
    private static final List<ComplianceProfile> PROFILES = List.of(ComplianceProfile.DEFAULT, ComplianceProfile.PCI, ComplianceProfile.HIPAA);
    private static final String[] WORDS = {"the", "account", "please", "thanks", "may", "at", "dot", "social", "order", "invoice",
            "café", "naïve", "日本", "Ｈｅｌｌｏ", "🙂", "réunion", "call", "me", "back", "room", "and", "version", "seat", "total", "$",
            "(", ")", "-", ",", ".", "!", "?", "/", ":"};
    private static final String[] SPELLED = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    // ---- properties

    @Test
    void text_without_identifiers_is_unchanged() {
        forAll(r -> {
            String text = filler(r);
            for (ComplianceProfile p : PROFILES) {
                assertThat(p.redactor().redact(text).text()).as(seed(p)).isEqualTo(text);
            }
        });
    }

    @Test
    void no_card_number_survives() {
        planted(RedactionPropertiesTest::card, (p, card, out) -> {
            assertThat(digits(out)).as(seed(p) + ": " + out).doesNotContain(card.digits());
            assertThat(out).as(seed(p)).contains("[REDACTED:card-number]");
        });
    }

    @Test
    void no_ssn_survives() {
        planted(RedactionPropertiesTest::ssn, (p, ssn, out) -> assertThat(digits(out)).as(seed(p) + ": " + out).doesNotContain(ssn.digits()));
    }

    @Test
    void no_phone_number_survives() {
        planted(RedactionPropertiesTest::phone, (p, phone, out) ->
                assertThat(digits(out)).as(seed(p) + ": " + out).doesNotContain(phone.digits()));
    }

    @Test
    void no_email_address_survives() {
        planted(RedactionPropertiesTest::email, (p, email, out) ->
                assertThat(Normalizer.normalize(out, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)).as(seed(p) + ": " + out)
                        .doesNotContain(email.digits()).doesNotContain("@"));
    }

    @Test
    void no_date_of_birth_survives() {
        planted(RedactionPropertiesTest::birthDate, (p, dob, out) -> assertThat(out).as(seed(p) + ": " + out).doesNotContain(dob.digits()));
    }

    // ---- running a property

    private interface Check {
        void check(ComplianceProfile profile, Planted planted, String redacted);
    }

    private static void forAll(java.util.function.Consumer<SplittableRandom> property) {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < TRIES; i++) {
            property.accept(random.split());
        }
    }

    /** Plants a generated identifier between random filler and checks every profile's output. */
    private static void planted(Function<SplittableRandom, Planted> generator, Check check) {
        forAll(r -> {
            String before = filler(r);
            Planted planted = generator.apply(r);
            String after = filler(r);
            for (ComplianceProfile p : PROFILES) {
                check.check(p, planted, p.redactor().redact(before + " please " + planted.text() + " thanks " + after).text());
            }
        });
    }

    private static String seed(ComplianceProfile p) {
        return p.name() + " (seed " + SEED + ")";
    }

    // ---- generators

    /** What was planted and the part of it that must not be found afterwards. */
    record Planted(String text, String digits) {
    }

    private static <T> T of(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static int between(SplittableRandom r, int min, int max) {
        return r.nextInt(min, max + 1);
    }

    private static String numeric(SplittableRandom r, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    private static String letters(SplittableRandom r, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Words and numbers of at most three digits, always at least two words apart: never an identifier. */
    static String filler(SplittableRandom r) {
        List<String> parts = new ArrayList<>();
        parts.add(of(r, WORDS));
        int chunks = r.nextInt(7);
        for (int i = 0; i < chunks; i++) {
            parts.add(r.nextBoolean() ? String.valueOf(r.nextInt(1000)) : of(r, SPELLED));
            parts.add(of(r, WORDS));
            parts.add(of(r, WORDS));
        }
        parts.add(of(r, WORDS));
        return String.join(" ", parts);
    }

    static Planted card(SplittableRandom r) {
        String prefix = of(r, new String[] {"4", "51", "55", "34", "37", "6011", "35"});
        int length = between(r, 13, 19);
        String digits = luhnComplete((prefix + numeric(r, 19)).substring(0, length - 1));
        String sep = of(r, new String[] {" ", "  ", "-", ".", "/", "", " - ", "\u00a0", "\u2013"});
        String tail = of(r, new String[] {"", " 123", " 12/27", "-", " exp 0427"});
        String grouped = group(digits, sep);
        String text = switch (r.nextInt(6)) {
            case 0 -> grouped;
            case 1 -> "-" + grouped + "-";
            case 2 -> fullWidth(grouped);
            case 3 -> spelled(digits);
            case 4 -> digits;
            default -> "card:" + grouped;
        };
        return new Planted(text + tail, digits);
    }

    static Planted ssn(SplittableRandom r) {
        int a;
        do {
            a = between(r, 1, 899);
        } while (a == 666);
        String aa = String.format("%03d", a);
        String gg = String.format("%02d", between(r, 1, 99));
        String ss = String.format("%04d", between(r, 1, 9999));
        String text = switch (r.nextInt(8)) {
            case 0 -> aa + "-" + gg + "-" + ss;
            case 1 -> aa + " " + gg + " " + ss;
            case 2 -> aa + "." + gg + "." + ss;
            case 3 -> "ssn " + aa + gg + ss;
            case 4 -> "SSN: " + aa + gg + ss;
            case 5 -> "my social security number is " + aa + gg + ss;
            case 6 -> "social " + aa + " " + gg + " " + ss;
            default -> fullWidth(aa + "-" + gg + "-" + ss);
        };
        return new Planted(text, aa + gg + ss);
    }

    static Planted phone(SplittableRandom r) {
        String x = numeric(r, 12);
        String area = "" + (char) ('2' + (x.charAt(0) - '0') % 8) + x.substring(1, 3);
        String ex = x.substring(3, 6);
        String line = x.substring(6, 10);
        return switch (r.nextInt(15)) {
            case 0 -> new Planted("(" + area + ") " + ex + "-" + line, area + ex + line);
            case 1 -> new Planted(area + "-" + ex + "-" + line, area + ex + line);
            case 2 -> new Planted(area + "." + ex + "." + line, area + ex + line);
            case 3 -> new Planted(area + ex + line, area + ex + line);
            case 4 -> new Planted("+1 " + area + " " + ex + " " + line, "1" + area + ex + line);
            case 5 -> new Planted("+1-" + area + "-" + ex + "-" + line, "1" + area + ex + line);
            case 6 -> new Planted("1-" + area + "-" + ex + "-" + line, "1" + area + ex + line);
            case 7 -> new Planted("+44 20 " + x.substring(0, 4) + " " + x.substring(4, 8), "4420" + x.substring(0, 8));
            case 8 -> new Planted("+44 7" + x.substring(0, 3) + " " + x.substring(3, 9), "447" + x.substring(0, 9));
            case 9 -> new Planted("020 " + x.substring(0, 4) + " " + x.substring(4, 8), "020" + x.substring(0, 8));
            case 10 -> new Planted("07" + x.substring(0, 3) + " " + x.substring(3, 9), "07" + x.substring(0, 9));
            case 11 -> new Planted("+33 1 " + x.substring(0, 2) + " " + x.substring(2, 4) + " " + x.substring(4, 6) + " "
                    + x.substring(6, 8), "331" + x.substring(0, 8));
            case 12 -> new Planted("+49 30 " + x.substring(0, 8), "4930" + x.substring(0, 8));
            case 13 -> new Planted("0044 20 " + x.substring(0, 4) + " " + x.substring(4, 8), "004420" + x.substring(0, 8));
            default -> new Planted(ex + "-" + line, ex + line);
        };
    }

    static Planted email(SplittableRandom r) {
        String l = letters(r, "abcdefghijklmnopqrstuvwxyz0123456789", between(r, 1, 12));
        String dm = "mx" + letters(r, "abcdefghijklmnopqrstuvwxyz", 6);
        String t = of(r, new String[] {"com", "org", "net", "io", "de", "co.uk"});
        String text = switch (r.nextInt(7)) {
            case 0 -> l + "@" + dm + "." + t;
            case 1 -> l + ".x+tag@" + dm + "." + t;
            case 2 -> (l + "@" + dm + "." + t).toUpperCase(Locale.ROOT);
            case 3 -> l + "＠" + dm + "．" + t;
            case 4 -> l + " dot smith at " + dm + " dot " + t.replace(".", " dot ");
            case 5 -> l + " (at) " + dm + " (dot) " + t.replace(".", " (dot) ");
            default -> "<" + l + "@" + dm + "." + t + ">";
        };
        return new Planted(text, dm);
    }

    static Planted birthDate(SplittableRandom r) {
        String[] months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
                "December"};
        int y = between(r, 1920, 2012);
        int m = between(r, 1, 12);
        int d = between(r, 1, 28);
        String k = of(r, new String[] {"born ", "DOB: ", "date of birth is ", "my birthday is ", "born on ", "d.o.b. "});
        String mm = String.format("%02d", m);
        String dd = String.format("%02d", d);
        String name = months[m - 1];
        String date = switch (r.nextInt(11)) {
            case 0 -> mm + "/" + dd + "/" + y;
            case 1 -> m + "/" + d + "/" + y;
            case 2 -> y + "-" + mm + "-" + dd;
            case 3 -> dd + "." + mm + "." + y;
            case 4 -> d + " " + name + " " + y;
            case 5 -> name + " " + d + ", " + y;
            case 6 -> name.substring(0, 3) + " " + d + "th " + y;
            case 7 -> d + "th of " + name + ", " + y;
            case 8 -> "" + y + mm + dd;
            case 9 -> dd + "-" + name.substring(0, 3) + "-" + y;
            default -> y + "/" + mm + "/" + dd;
        };
        return new Planted(k + date, String.valueOf(y));
    }

    // ---- helpers

    /** Every digit of the text in order (any script, spelled digits too), separators and words dropped. */
    static String digits(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        for (int i = 0; i < SPELLED.length; i++) {
            n = n.replaceAll("\\b" + SPELLED[i] + "\\b", String.valueOf(i));
        }
        return n.codePoints().filter(Character::isDigit).mapToObj(c -> String.valueOf(Character.digit(c, 10)))
                .collect(Collectors.joining());
    }

    private static String luhnComplete(String body) {
        int sum = 0;
        boolean dbl = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int v = body.charAt(i) - '0';
            if (dbl) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            dbl = !dbl;
        }
        return body + (10 - sum % 10) % 10;
    }

    private static String group(String digits, String sep) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                b.append(sep);
            }
            b.append(digits.charAt(i));
        }
        return b.toString();
    }

    private static String fullWidth(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= '0' && c <= '9' ? (char) ('０' + (c - '0')) : c);
        }
        return b.toString();
    }

    private static String spelled(String digits) {
        return digits.chars().mapToObj(c -> SPELLED[c - '0']).collect(Collectors.joining(" "));
    }
}
