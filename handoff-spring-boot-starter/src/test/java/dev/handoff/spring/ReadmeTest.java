package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.spring.readme.SupportChat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The module README's code blocks: the Java block is {@code readme/SupportChat.java}'s {@code support-chat} region
 * (compiled with these tests; handoff-examples' {@code ReadmeSnippetsTest} checks the block equals it, as for every
 * README), and the properties block is the configuration this test starts the application with;
 * only the journal directory is moved to a temporary one and {@code HANDOFF_SIGNING_KEY} is given a value.
 */
class ReadmeTest {

    static final Path README = Path.of("README.md");

    @TempDir
    Path dir;

    static List<String> blocks(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void the_readme_configuration_starts_and_a_chat_reaches_an_agent() throws Exception {
        List<String> properties = new ArrayList<>();
        assertThat(blocks("properties")).hasSize(1);
        for (String line : blocks("properties").get(0).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                properties.add(line);
            }
        }
        properties.add("handoff.store.file.directory=" + dir);
        properties.add("HANDOFF_SIGNING_KEY=" + HandoffAutoConfigurationTest.KEY);
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new)).withUserConfiguration(SupportChat.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    Handoff handoff = context.getBean(Handoff.class);
                    assertThat(handoff.signer().keys().currentId()).isEqualTo("k2026");
                    assertThat(handoff.settings().maxWait()).isEqualTo(Duration.ofSeconds(90));
                    AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                    support.signIn("alice");   // an agent is there before the customer asks
                    CompletableFuture<Optional<Offer>> alice = CompletableFuture.supplyAsync(() -> {
                        try {
                            return support.take("alice", Duration.ofSeconds(30)).map(o -> {
                                o.accept();
                                return o;
                            });
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return Optional.empty();
                        }
                    });

                    SupportChat chat = context.getBean(SupportChat.class);
                    HandoffSession session = chat.open();
                    assertThat(chat.onCustomerMessage(session, "What are your opening hours?")).isEmpty();
                    HandoffOutcome outcome = chat.onCustomerMessage(session, "I want to talk to a person").orElseThrow()
                            .toCompletableFuture().get(30, TimeUnit.SECONDS);

                    assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                    assertThat(alice.get(30, TimeUnit.SECONDS)).isPresent();
                    assertThat(session.owner()).isEqualTo(HandoffSession.Owner.HUMAN);
                });
    }
}
