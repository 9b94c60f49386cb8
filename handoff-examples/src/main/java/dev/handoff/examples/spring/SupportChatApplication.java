package dev.handoff.examples.spring;

import dev.handoff.core.Handoff;
import dev.handoff.desktop.Agent;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.desktop.StaticTokenAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The example application: a bot's chat API ({@link ChatController}) on Spring MVC, the starter's {@link Handoff}
 * bean (configured by {@code handoff.*} in {@code application.yml}), and the agent desktop for the people who take
 * the chats. The desktop is an {@code AgentNotifier} bean, so the starter wires it into the Handoff; {@link #deskLifecycle}
 * starts it once the Handoff exists and closes it when the application stops.
 *
 * <p>Run it: {@code ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests
 * -Dexec.mainClass=dev.handoff.examples.spring.SupportChatApplication} (see handoff-examples/README.md).
 */
@SpringBootApplication
@EnableConfigurationProperties(SupportChatProperties.class)
public class SupportChatApplication {

    private static final Logger LOG = LoggerFactory.getLogger(SupportChatApplication.class);

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SupportChatApplication.class, args);
        // on stdout: the README's commands run Maven with -q, which hides INFO logging
        Environment env = context.getEnvironment();
        System.out.println("Chat API: http://" + env.getProperty("server.address", "127.0.0.1") + ":"
                + env.getProperty("local.server.port") + "/api/chats");
        System.out.println("Agent desktop: sign in at " + context.getBean(AgentDesktop.class).signInUri()
                + " as " + context.getBean(SupportChatProperties.class).agentId() + "; Ctrl-C stops.");
    }

    /** The agent desktop, not started yet: the starter hands it every agent notification of the Handoff. */
    @Bean
    AgentDesktop agentDesktop(SupportChatProperties properties) {
        StaticTokenAuthenticator agents = StaticTokenAuthenticator.builder()
                .agent(Agent.agent(properties.agentId(), properties.agentName(), "support"), properties.agentToken())
                .build();
        return AgentDesktop.builder(agents).port(properties.deskPort()).build();
    }

    /**
     * Starts the desktop on the Handoff and closes it at shutdown. Its phase is just under the starter's
     * {@code HandoffLifecycle}: it starts first and stops last, so when the application stops the Handoff first
     * returns every waiting customer to the bot, then the desktop signs the agents out.
     */
    @Bean
    SmartLifecycle deskLifecycle(AgentDesktop desk, Handoff handoff) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                desk.start(handoff);
                running = true;
                LOG.info("Agent desktop: sign in at {}", desk.signInUri());
            }

            @Override
            public void stop() {
                running = false;
                desk.close();
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return DEFAULT_PHASE - 1;
            }
        };
    }
}
