package dev.handoff.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input was rejected. Lists every {@link Violation} found, not just the first, so one round trip fixes a
 * document or a configuration.
 */
public class ValidationException extends NonRetriableHandoffException {

    private final List<Violation> violations;

    public ValidationException(String subject, List<Violation> violations) {
        super(message(subject, violations));
        this.violations = List.copyOf(violations);
    }

    public ValidationException(String subject, List<Violation> violations, Throwable cause) {
        super(message(subject, violations), cause);
        this.violations = List.copyOf(violations);
    }

    /** Every violation, in path order. Never empty. */
    public List<Violation> violations() {
        return violations;
    }

    private static String message(String subject, List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        return "Invalid " + subject + " (" + violations.size() + (violations.size() == 1 ? " violation" : " violations") + "):"
                + violations.stream().map(v -> "\n  - " + v).collect(Collectors.joining());
    }
}
