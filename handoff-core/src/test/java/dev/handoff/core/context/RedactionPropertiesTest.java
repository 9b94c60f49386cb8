package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based: card numbers, SSNs, phone numbers, e-mail addresses and dates of birth, generated in every format
 * the redactor claims, planted in random text, never survive any profile that writes {@code phi=false}; and random
 * text without them comes back unchanged.
 */
class RedactionPropertiesTest {

    private static final List<ComplianceProfile> PROFILES = List.of(ComplianceProfile.DEFAULT, ComplianceProfile.PCI, ComplianceProfile.HIPAA);
    private static final String[] WORDS = {"the", "account", "please", "thanks", "may", "at", "dot", "social", "order", "invoice",
            "café", "naïve", "日本", "Ｈｅｌｌｏ", "🙂", "réunion", "call", "me", "back", "room", "and", "version", "seat", "total", "$",
            "(", ")", "-", ",", ".", "!", "?", "/", ":"};
    private static final String[] SPELLED = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    // ---- properties

    @Property(tries = 400)
    void text_without_identifiers_is_unchanged(@ForAll("filler") String text) {
        for (ComplianceProfile p : PROFILES) {
            assertThat(p.redactor().redact(text).text()).as(p.name()).isEqualTo(text);
        }
    }

    @Property(tries = 400)
    void no_card_number_survives(@ForAll("filler") String before, @ForAll("cards") Planted card, @ForAll("filler") String after) {
        for (ComplianceProfile p : PROFILES) {
            String out = p.redactor().redact(before + " please " + card.text() + " thanks " + after).text();
            assertThat(digits(out)).as(p.name() + ": " + out).doesNotContain(card.digits());
            assertThat(out).as(p.name()).contains("[REDACTED:card-number]");
        }
    }

    @Property(tries = 400)
    void no_ssn_survives(@ForAll("filler") String before, @ForAll("ssns") Planted ssn, @ForAll("filler") String after) {
        for (ComplianceProfile p : PROFILES) {
            String out = p.redactor().redact(before + " please " + ssn.text() + " thanks " + after).text();
            assertThat(digits(out)).as(p.name() + ": " + out).doesNotContain(ssn.digits());
        }
    }

    @Property(tries = 400)
    void no_phone_number_survives(@ForAll("filler") String before, @ForAll("phones") Planted phone, @ForAll("filler") String after) {
        for (ComplianceProfile p : PROFILES) {
            String out = p.redactor().redact(before + " please " + phone.text() + " thanks " + after).text();
            assertThat(digits(out)).as(p.name() + ": " + out).doesNotContain(phone.digits());
        }
    }

    @Property(tries = 400)
    void no_email_address_survives(@ForAll("filler") String before, @ForAll("emails") Planted email, @ForAll("filler") String after) {
        for (ComplianceProfile p : PROFILES) {
            String out = p.redactor().redact(before + " please " + email.text() + " thanks " + after).text();
            assertThat(Normalizer.normalize(out, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)).as(p.name() + ": " + out)
                    .doesNotContain(email.digits()).doesNotContain("@");
        }
    }

    @Property(tries = 400)
    void no_date_of_birth_survives(@ForAll("filler") String before, @ForAll("birthDates") Planted dob, @ForAll("filler") String after) {
        for (ComplianceProfile p : PROFILES) {
            String out = p.redactor().redact(before + " please " + dob.text() + " thanks " + after).text();
            assertThat(out).as(p.name() + ": " + out).doesNotContain(dob.digits());
        }
    }

    // ---- generators

    /** What was planted and the part of it that must not be found afterwards. */
    record Planted(String text, String digits) {
    }

    @Provide
    Arbitrary<String> filler() {
        // numbers of at most three digits, always at least two words apart, so the filler never forms an identifier
        Arbitrary<String> word = Arbitraries.of(WORDS);
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 999).map(String::valueOf), Arbitraries.of(SPELLED));
        Arbitrary<String> chunk = Combinators.combine(number, word, word).as((n, a, b) -> n + " " + a + " " + b);
        return Combinators.combine(word, chunk.list().ofMaxSize(6), word)
                .as((first, chunks, last) -> first + " " + String.join(" ", chunks) + " " + last);
    }

    @Provide
    Arbitrary<Planted> cards() {
        Arbitrary<String> number = Combinators.combine(Arbitraries.of("4", "51", "55", "34", "37", "6011", "35"),
                Arbitraries.integers().between(13, 19), Arbitraries.strings().numeric().ofLength(19))
                .as((prefix, length, random) -> luhnComplete((prefix + random).substring(0, length - 1)));
        Arbitrary<String> separator = Arbitraries.of(" ", "  ", "-", ".", "/", "", " - ", "\u00a0", "\u2013");
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 5);
        Arbitrary<String> suffix = Arbitraries.of("", " 123", " 12/27", "-", " exp 0427");
        return Combinators.combine(number, separator, style, suffix).as((digits, sep, s, tail) -> {
            String grouped = group(digits, sep);
            String text = switch (s) {
                case 0 -> grouped;
                case 1 -> "-" + grouped + "-";
                case 2 -> fullWidth(grouped);
                case 3 -> spelled(digits);
                case 4 -> digits;
                default -> "card:" + grouped;
            };
            return new Planted(text + tail, digits);
        });
    }

    @Provide
    Arbitrary<Planted> ssns() {
        Arbitrary<Integer> area = Arbitraries.integers().between(1, 899).filter(a -> a != 666);
        Arbitrary<Integer> group = Arbitraries.integers().between(1, 99);
        Arbitrary<Integer> serial = Arbitraries.integers().between(1, 9999);
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 7);
        return Combinators.combine(area, group, serial, style).as((a, g, s, st) -> {
            String aa = String.format("%03d", a);
            String gg = String.format("%02d", g);
            String ss = String.format("%04d", s);
            String text = switch (st) {
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
        });
    }

    @Provide
    Arbitrary<Planted> phones() {
        Arbitrary<String> d = Arbitraries.strings().numeric().ofLength(12);
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 14);
        return Combinators.combine(d, style).as((x, st) -> {
            String area = "" + (char) ('2' + (x.charAt(0) - '0') % 8) + x.substring(1, 3);
            String ex = x.substring(3, 6);
            String line = x.substring(6, 10);
            return switch (st) {
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
        });
    }

    @Provide
    Arbitrary<Planted> emails() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> domain = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz").ofLength(6).map(s -> "mx" + s);
        Arbitrary<String> tld = Arbitraries.of("com", "org", "net", "io", "de", "co.uk");
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 6);
        return Combinators.combine(local, domain, tld, style).as((l, dm, t, st) -> {
            String text = switch (st) {
                case 0 -> l + "@" + dm + "." + t;
                case 1 -> l + ".x+tag@" + dm + "." + t;
                case 2 -> (l + "@" + dm + "." + t).toUpperCase(Locale.ROOT);
                case 3 -> l + "＠" + dm + "．" + t;
                case 4 -> l + " dot smith at " + dm + " dot " + t.replace(".", " dot ");
                case 5 -> l + " (at) " + dm + " (dot) " + t.replace(".", " (dot) ");
                default -> "<" + l + "@" + dm + "." + t + ">";
            };
            return new Planted(text, dm);
        });
    }

    @Provide
    Arbitrary<Planted> birthDates() {
        Arbitrary<Integer> year = Arbitraries.integers().between(1920, 2012);
        Arbitrary<Integer> month = Arbitraries.integers().between(1, 12);
        Arbitrary<Integer> day = Arbitraries.integers().between(1, 28);
        Arbitrary<Integer> style = Arbitraries.integers().between(0, 10);
        Arbitrary<String> keyword = Arbitraries.of("born ", "DOB: ", "date of birth is ", "my birthday is ", "born on ", "d.o.b. ");
        String[] months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
                "December"};
        return Combinators.combine(year, month, day, style, keyword).as((y, m, d, st, k) -> {
            String mm = String.format("%02d", m);
            String dd = String.format("%02d", d);
            String name = months[m - 1];
            String date = switch (st) {
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
        });
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
