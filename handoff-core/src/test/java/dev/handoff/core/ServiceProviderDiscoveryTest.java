package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.TriggerEvaluator;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProviderDiscoveryTest {

    /** A provider listed in META-INF/services by the tests below. */
    public static final class FirstEvaluator implements TriggerEvaluator {
        @Override
        public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
            return HandoffDecision.proceed();
        }
    }

    /** A second provider of the same SPI. */
    public static final class SecondEvaluator implements TriggerEvaluator {
        @Override
        public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
            return HandoffDecision.proceed();
        }
    }

    @TempDir
    Path dir;

    private ClassLoader loaderListing(String... providers) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(TriggerEvaluator.class.getName()), String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void two_providers_of_one_spi_fail_the_build_naming_both() throws IOException {
        ClassLoader loader = loaderListing(FirstEvaluator.class.getName(), SecondEvaluator.class.getName());

        assertThatThrownBy(() -> Handoff.builder().classLoader(loader).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Ambiguous providers for dev.handoff.api.spi.TriggerEvaluator: "
                        + FirstEvaluator.class.getName() + " and " + SecondEvaluator.class.getName()
                        + "; set one explicitly on Handoff.builder() or remove all but one from META-INF/services/"
                        + "dev.handoff.api.spi.TriggerEvaluator");
    }

    @Test
    void a_single_provider_is_used_instead_of_the_default() throws IOException {
        ClassLoader loader = loaderListing(FirstEvaluator.class.getName());

        try (Handoff handoff = Handoff.builder().classLoader(loader).build()) {
            assertThat(handoff.wiring()).containsEntry("TriggerEvaluator", FirstEvaluator.class.getName());
        }
    }

    @Test
    void an_explicit_builder_setting_wins_over_ambiguous_providers() throws IOException {
        ClassLoader loader = loaderListing(FirstEvaluator.class.getName(), SecondEvaluator.class.getName());
        TriggerEvaluator mine = (c, t) -> HandoffDecision.proceed();

        try (Handoff handoff = Handoff.builder().classLoader(loader).triggerEvaluator(mine).build()) {
            assertThat(handoff.wiring()).containsEntry("TriggerEvaluator", mine.getClass().getName());
        }
    }

    @Test
    void without_providers_the_core_defaults_are_wired() {
        try (Handoff handoff = Handoff.builder().build()) {
            assertThat(handoff.wiring())
                    .containsEntry("TriggerEvaluator", "dev.handoff.core.trigger.RuleTriggerEvaluator")
                    .containsEntry("TransferExecutor[QUEUE]", "dev.handoff.core.chat.InMemoryChatQueues")
                    .containsEntry("ContextStore", "dev.handoff.core.store.InMemoryContextStore")
                    .containsEntry("CrmAdapter", "none");
        }
    }

    @Test
    void an_unloadable_provider_is_reported_with_its_name() throws IOException {
        ClassLoader loader = loaderListing("com.example.Missing");

        assertThatThrownBy(() -> Handoff.builder().classLoader(loader).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cannot load a provider of dev.handoff.api.spi.TriggerEvaluator")
                .hasMessageContaining("com.example.Missing");
    }
}
