package dev.handoff.examples.spring;

import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code support-chat.*}: this example's own settings (Handoff's are the starter's {@code handoff.*}).
 *
 * @param deskPort   the agent desktop's port on 127.0.0.1 ({@code 0}: a free one; the desktop never shares the web
 *                   server's port, it is its own server)
 * @param agentId    the one agent of the example, in the {@code support} queue
 * @param agentName  her display name
 * @param agentToken her desktop sign-in token (at least 16 characters): from the environment
 *                   ({@code HANDOFF_DESK_TOKEN}) or, for this example only, a fixed demo token. A real deployment signs
 *                   agents in through its own {@code AgentAuthenticator} (SSO, or {@code HmacTokenAuthenticator})
 */
@ConfigurationProperties("support-chat")
public record SupportChatProperties(@DefaultValue("0") int deskPort, @DefaultValue("ana") String agentId,
                                    @DefaultValue("Ana Lopez") String agentName, String agentToken) {

    public SupportChatProperties {
        Objects.requireNonNull(agentId, "support-chat.agent-id");
        Objects.requireNonNull(agentName, "support-chat.agent-name");
        Objects.requireNonNull(agentToken, "support-chat.agent-token");
    }
}
