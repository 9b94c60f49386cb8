package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Input was rejected. Lists every {@link Violation} found, not just the first, so one round trip fixes a
 * document or a configuration.
 */
public class ValidationException extends NonRetriableHandoffException {

    /** Every violation; never empty. */
    private final List<Violation> violations;

    /**
     * Rejects {@code subject}; the message lists every violation, one per line.
     *
     * @param subject    what was rejected ({@code "handoff.context/v1 document"}, {@code "trigger policy"})
     * @param violations every violation found; at least one
     * @throws IllegalArgumentException when {@code violations} is empty
     */
    public ValidationException(String subject, List<Violation> violations) {
        super(message(subject, violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Rejects {@code subject} after a parser or reader failed.
     *
     * @param subject    what was rejected
     * @param violations every violation found; at least one
     * @param cause      nullable; the parser's exception
     * @throws IllegalArgumentException when {@code violations} is empty
     */
    public ValidationException(String subject, List<Violation> violations, @Nullable Throwable cause) {
        super(message(subject, violations), cause);
        this.violations = List.copyOf(violations);
    }

    /**
     * Every violation, in the order given to the constructor.
     *
     * @return an unmodifiable list; never empty
     */
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
