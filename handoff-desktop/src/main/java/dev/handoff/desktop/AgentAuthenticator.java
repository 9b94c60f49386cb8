package dev.handoff.desktop;

import java.util.Optional;

/**
 * Decides who a sign-in credential belongs to. The desktop exchanges the credential for a short-lived session cookie
 * once; the credential never travels again and never appears in a URL, a log or an audit record.
 *
 * <p>Two defaults ship with the desktop: {@link StaticTokenAuthenticator} (a file of agents with the SHA-256 of
 * each one's token) and {@link HmacTokenAuthenticator} (HS256-signed, expiring bearer tokens your own sign-on service
 * mints). Implement it to check credentials against your directory.
 *
 * <p>Called on a desktop request thread for each sign-in attempt (already rate-limited per client address); may block
 * briefly (a directory lookup). Thread-safe. Return empty for any credential that is not valid, without saying why;
 * throw only when the authenticator itself cannot work (the attempt is refused and logged).
 */
@FunctionalInterface
public interface AgentAuthenticator {

    /**
     * @param credential what the person typed or their sign-on service posted: not blank, at most 4,096 characters
     * @return who it belongs to, or empty when it is not a valid credential
     */
    Optional<Agent> authenticate(String credential);
}
