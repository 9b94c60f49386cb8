package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code handoff.*} value the starter cannot use stops the application at startup with the property, the value as
 * written and what was expected; a secret's value never appears.
 */
class HandoffPropertyErrorsTest {

    static final String KEY = HandoffAutoConfigurationTest.KEY;

    @TempDir
    Path dir;

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class))
                .withPropertyValues("handoff.store.file.directory=" + dir);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            handoff.max-wait            | 0s       | Invalid property handoff.max-wait = "0s": expected a positive duration, such as 30s, 2m or PT2M
            handoff.whisper-lead        | -1s      | Invalid property handoff.whisper-lead = "-1s": expected a duration of 0 or more
            handoff.max-in-flight       | 0        | Invalid property handoff.max-in-flight = "0": expected an integer of at least 1
            handoff.max-queued          | -3       | Invalid property handoff.max-queued = "-3": expected an integer of 0 or more
            handoff.voice-mode          | queue    | Invalid property handoff.voice-mode = "queue": expected cold or warm (queue is for chats, not voice)
            handoff.crm-limits.max-bytes | 10      | Invalid property handoff.crm-limits.max-bytes = "10": expected at least
            handoff.crm-limits.page-size | 0       | Invalid property handoff.crm-limits.page-size = "0": expected at least 1 turn per transcript page
            handoff.ticket-ttl          | 0s       | Invalid property handoff.ticket-ttl = "0s": expected a positive duration
            handoff.audit-backlog-limit | 50       | Invalid property handoff.audit-backlog-limit = "50": expected an integer from 100 to 1000000 records
            handoff.signing.current     | k9       | Invalid property handoff.signing.current = "k9": expected one of the ids under handoff.signing.keys: [k1]
            handoff.policy.file         | /nonexistent/policy.yaml | Invalid property handoff.policy.file = "/nonexistent/policy.yaml": expected a readable YAML or JSON policy file
            handoff.store.type          | postgres | Invalid property handoff.store.type = "postgres": expected handoff-postgres on the class path and a DataSource bean (handoff-postgres is there; no DataSource bean was found)
            """)
    void a_bad_value_stops_startup_naming_property_value_and_expectation(String property, String value, String message) {
        runner().withPropertyValues("handoff.signing.keys.k1=" + KEY, property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable root = propertyError(context.getStartupFailure());
            assertThat(root).hasMessageStartingWith(message);
            assertThat(((HandoffPropertyException) root).property()).isEqualTo(property);
        });
    }

    @Test
    void without_signing_keys_startup_fails_and_says_how_to_configure_them() {
        runner().run(context -> {
            Throwable root = propertyError(context.getStartupFailure());
            assertThat(root).hasMessageContaining("handoff.signing.keys")
                    .hasMessageContaining("at least one signing key: handoff.signing.keys.<id>=<base64 of 32 or more random bytes>")
                    .hasMessageContaining("SigningKeys bean");
        });
        runner().withPropertyValues("handoff.signing.ephemeral=true").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void a_bad_key_is_named_but_never_shown() {
        String shortKey = Base64.getEncoder().encodeToString("too-short-secret".getBytes());
        runner().withPropertyValues("handoff.signing.keys.k1=" + shortKey).run(context -> {
            Throwable root = propertyError(context.getStartupFailure());
            assertThat(root).hasMessage("Invalid property handoff.signing.keys.k1 = \"(a secret of 16 bytes, not shown)\":"
                    + " expected base64 of 32 or more random bytes")
                    .message().doesNotContain(shortKey);
        });
        runner().withPropertyValues("handoff.signing.keys.k1=not*base64!secret").run(context -> {
            Throwable root = propertyError(context.getStartupFailure());
            assertThat(root).hasMessageStartingWith("Invalid property handoff.signing.keys.k1 = \"(a secret of 17 characters, not shown)\"")
                    .message().doesNotContain("secret!").doesNotContain("not*base64");
        });
    }

    @Test
    void a_value_spring_cannot_convert_is_reported_by_spring_with_the_property() {
        runner().withPropertyValues("handoff.signing.keys.k1=" + KEY, "handoff.max-wait=soon").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("handoff.max-wait")
                        .hasStackTraceContaining("soon").hasStackTraceContaining("java.time.Duration"));
    }

    @Test
    void a_misspelt_property_stops_startup() {
        runner().withPropertyValues("handoff.signing.keys.k1=" + KEY, "handoff.max-wiat=1m").run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("handoff.max-wiat"));
    }

    @Test
    void control_characters_of_a_value_do_not_reach_the_message() {
        runner().withPropertyValues("handoff.signing.keys.k1=" + KEY, "handoff.signing.current=k9\nFAKE LOG LINE").run(context -> {
            Throwable root = propertyError(context.getStartupFailure());
            assertThat(root.getMessage()).doesNotContain("\n").contains("k9?FAKE LOG LINE");
        });
    }

    @Test
    void the_failure_analysis_names_property_value_and_expectation() {
        runner().withPropertyValues("handoff.signing.keys.k1=" + KEY, "handoff.max-wait=0s").run(context -> {
            FailureAnalysis analysis = new HandoffFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: handoff.max-wait", "Value:    \"0s\"",
                    "Expected: a positive duration, such as 30s, 2m or PT2M");
            assertThat(analysis.getAction()).contains("handoff.max-wait");
        });
    }

    /** The starter's exception in the failure's cause chain (Spring wraps it; it wraps core's). */
    static HandoffPropertyException propertyError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HandoffPropertyException e) {
                return e;
            }
        }
        throw new AssertionError("no HandoffPropertyException in the cause chain", failure);
    }
}
