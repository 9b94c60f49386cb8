package dev.handoff.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link HandoffPropertyException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class HandoffFailureAnalyzer extends AbstractFailureAnalyzer<HandoffPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, HandoffPropertyException cause) {
        String description = "Handoff could not be configured.\n\n    Property: " + cause.property() + "\n    Value:    \""
                + HandoffPropertyException.printable(cause.value()) + "\"\n    Expected: " + cause.expected();
        return new FailureAnalysis(description, "Update the application's configuration: set " + cause.property()
                + " to " + cause.expected() + ", or remove it to use the default.", cause);
    }
}
