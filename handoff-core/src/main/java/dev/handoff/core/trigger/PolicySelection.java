package dev.handoff.core.trigger;

import dev.handoff.api.CustomerData;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which trigger policy applies to a session, chosen from what is known about the customer: open door for large
 * accounts, high gate for small ones (seed 002: "the Agentic Handshake must be calibrated to the Revenue Density of
 * the interaction"). Rules are tried in order and the first that matches names the policy; when none matches, the
 * default applies. The choice is made again whenever the customer record changes ({@code HandoffSession.updateCustomer})
 * or the customer states a larger deal value, so a conversation can move from high gate to open door mid-way.
 *
 * <pre>{@code
 * PolicySelection selection = PolicySelection.builder(TriggerPolicy.defaults())
 *         .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR))
 *         .when("deal < 10k", TriggerPolicy.preset(Preset.HIGH_GATE))
 *         .when("tier == enterprise", TriggerPolicy.preset(Preset.OPEN_DOOR))
 *         .build();
 * TriggerEvaluator engine = new RuleTriggerEvaluator(selection);
 * }</pre>
 *
 * <p>A condition is {@code <field> <operator> <value>}, several joined by {@code and}. Operators: {@code >=},
 * {@code >}, {@code <=}, {@code <}, {@code ==}, {@code !=}. A field is a customer field ({@code CustomerData.fields}:
 * {@code tier}, {@code segment}, {@code acv}, ...) or {@code deal}: the larger of the customer's {@code acv} field
 * and the largest deal value the customer has stated in the conversation, in US dollars. Numbers may be written
 * {@code 50000}, {@code 50,000}, {@code 50k}, {@code 1.2m}, {@code $50k}; text compares without regard to case. A
 * comparison with a field the customer record does not have (or a number that is not one) is false.
 *
 * <p>Immutable and thread-safe. Built once; every policy in it is compiled when the engine is built.
 */
public final class PolicySelection {

    /** The customer field read for {@code deal} besides the stated deal value. */
    public static final String DEAL_FIELD = "acv";

    private final TriggerPolicy defaultPolicy;
    private final List<Rule> rules;

    private PolicySelection(TriggerPolicy defaultPolicy, List<Rule> rules) {
        this.defaultPolicy = defaultPolicy;
        this.rules = List.copyOf(rules);
    }

    /**
     * A selection that always applies {@code policy}.
     *
     * @param policy the policy
     * @return a selection without rules
     */
    public static PolicySelection of(TriggerPolicy policy) {
        return builder(policy).build();
    }

    /**
     * @param defaultPolicy the policy when no rule matches
     * @return a new builder
     */
    public static Builder builder(TriggerPolicy defaultPolicy) {
        return new Builder(Objects.requireNonNull(defaultPolicy, "defaultPolicy"));
    }

    /**
     * The policy when no rule matches.
     *
     * @return the default policy
     */
    public TriggerPolicy defaultPolicy() {
        return defaultPolicy;
    }

    /**
     * Every distinct policy, the default first (by name: two policies may not share a name).
     *
     * @return the policies, the default first
     */
    public List<TriggerPolicy> policies() {
        Map<String, TriggerPolicy> all = new LinkedHashMap<>();
        all.put(defaultPolicy.name(), defaultPolicy);
        for (Rule r : rules) {
            all.putIfAbsent(r.policy.name(), r.policy);
        }
        return List.copyOf(all.values());
    }

    /**
     * The conditions in order, as written.
     *
     * @return the conditions
     */
    public List<String> conditions() {
        return rules.stream().map(r -> r.text).toList();
    }

    /**
     * The policy for a customer and the deal value they have stated so far (US dollars, 0 when none).
     *
     * @param customer      what the bot knows about the customer
     * @param statedDealUsd the deal value stated so far, in US dollars; 0 when none
     * @return the policy of the first rule that matches, else the default policy
     */
    public TriggerPolicy select(CustomerData customer, double statedDealUsd) {
        for (Rule r : rules) {
            if (r.matches(customer, statedDealUsd)) {
                return r.policy;
            }
        }
        return defaultPolicy;
    }

    /** Builds a {@link PolicySelection}. */
    public static final class Builder {
        private final TriggerPolicy defaultPolicy;
        private final List<Rule> rules = new ArrayList<>();
        private final List<Violation> violations = new ArrayList<>();

        private Builder(TriggerPolicy defaultPolicy) {
            this.defaultPolicy = defaultPolicy;
        }

        /**
         * Adds a rule: when {@code condition} holds, {@code policy} applies.
         *
         * @param condition a condition over the customer and the stated deal ({@code "deal >= 50k"}, {@code "tier ==
         *                  enterprise"})
         * @param policy    the policy it selects
         * @return this builder
         * @throws ValidationException from {@link #build()} when the condition cannot be read
         */
        public Builder when(String condition, TriggerPolicy policy) {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(policy, "policy");
            String path = "rules[" + rules.size() + "].when";
            List<Test> tests = new ArrayList<>();
            for (String part : condition.split("(?i)\\s+and\\s+")) {
                Test t = Test.parse(part.strip());
                if (t == null) {
                    violations.add(new Violation(path, condition,
                            "<field> <op> <value> joined by 'and', op one of >=, >, <=, <, ==, != (for example deal >= 50k)"));
                    break;
                }
                tests.add(t);
            }
            rules.add(new Rule(condition, List.copyOf(tests), policy));
            return this;
        }

        /**
         * @return the selection
         * @throws ValidationException listing every condition that cannot be read, and two different policies
         *                             that share a name
         */
        public PolicySelection build() {
            List<Violation> all = new ArrayList<>(violations);
            Map<String, TriggerPolicy> byName = new LinkedHashMap<>();
            byName.put(defaultPolicy.name(), defaultPolicy);
            for (int i = 0; i < rules.size(); i++) {
                TriggerPolicy p = rules.get(i).policy;
                TriggerPolicy other = byName.putIfAbsent(p.name(), p);
                if (other != null && !other.equals(p)) {
                    all.add(new Violation("rules[" + i + "].policy", p.name(), "a policy name not used by a different policy"));
                }
            }
            if (!all.isEmpty()) {
                throw new ValidationException("policy selection", all);
            }
            return new PolicySelection(defaultPolicy, rules);
        }
    }

    private record Rule(String text, List<Test> tests, TriggerPolicy policy) {
        boolean matches(CustomerData customer, double statedDealUsd) {
            for (Test t : tests) {
                if (!t.holds(customer, statedDealUsd)) {
                    return false;
                }
            }
            return !tests.isEmpty();
        }
    }

    private record Test(String field, String op, String value, double number) {
        private static final Set<String> OPS = Set.of(">=", ">", "<=", "<", "==", "!=");

        static Test parse(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)\\s*(>=|<=|==|!=|>|<)\\s*(.+)").matcher(s);
            if (!m.matches() || !OPS.contains(m.group(2))) {
                return null;
            }
            String value = m.group(3).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            return new Test(m.group(1), m.group(2), value, number(value));
        }

        boolean holds(CustomerData customer, double statedDealUsd) {
            if (field.equals("deal")) {
                double crm = customer == null ? Double.NaN : number(customer.fields().get(DEAL_FIELD));
                double deal = Double.isNaN(crm) ? statedDealUsd : Math.max(crm, statedDealUsd);
                return deal > 0 && compare(deal);
            }
            String v = customer == null ? null : customer.fields().get(field);
            if (v == null) {
                return false;
            }
            double n = number(v);
            if (!Double.isNaN(number) && !Double.isNaN(n)) {
                return compare(n);
            }
            int c = v.strip().toLowerCase(Locale.ROOT).compareTo(value.toLowerCase(Locale.ROOT));
            return switch (op) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                default -> false;
            };
        }

        private boolean compare(double n) {
            if (Double.isNaN(number)) {
                return false;
            }
            return switch (op) {
                case ">=" -> n >= number;
                case ">" -> n > number;
                case "<=" -> n <= number;
                case "<" -> n < number;
                case "==" -> n == number;
                default -> n != number;
            };
        }

        /** {@code 50000}, {@code 50,000}, {@code $50k}, {@code 1.2m}; NaN when not a number. */
        static double number(String raw) {
            if (raw == null) {
                return Double.NaN;
            }
            String t = raw.strip().toLowerCase(Locale.ROOT).replace(",", "").replace("_", "");
            while (!t.isEmpty() && "$€£¥".indexOf(t.charAt(0)) >= 0) {
                t = t.substring(1).strip();
            }
            double scale = 1;
            if (t.endsWith("k")) {
                scale = 1e3;
            } else if (t.endsWith("m")) {
                scale = 1e6;
            } else if (t.endsWith("b")) {
                scale = 1e9;
            }
            if (scale != 1) {
                t = t.substring(0, t.length() - 1).strip();
            }
            try {
                return Double.parseDouble(t) * scale;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }
}
