package dev.handoff.desktop.internal;

import dev.handoff.api.CustomerData;
import dev.handoff.desktop.AgentAuthenticator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The desktop's configuration as {@code AgentDesktop.Builder} validated it. Not API: built only by the builder.
 *
 * @param keyStore         null for plain HTTP
 * @param keyStorePassword null for plain HTTP; never printed
 * @param origins          origins allowed besides the desktop's own
 */
public record DeskConfig(AgentAuthenticator authenticator, String host, boolean loopback, int port, Path keyStore,
                         char[] keyStorePassword, Set<String> origins, Duration idleTimeout, Duration idleWarning,
                         Duration sessionLifetime, int signInFailures, Duration signInWindow, Duration verificationWindow,
                         Duration declineCooldown, int retainedHandoffs, Duration sweepInterval, Clock clock,
                         Function<CustomerData, String> tenantOf) {

    boolean tls() {
        return keyStore != null;
    }

    @Override
    public String toString() {
        return "DeskConfig[host=" + host + ", port=" + port + ", tls=" + tls() + ", idleTimeout=" + idleTimeout + "]";
    }
}
