package dev.handoff.sip;

import java.util.Objects;

/**
 * The user name and password the bot's user agent answers digest challenges (401 and 407, RFC 3261 22) with, for
 * every request it sends: REGISTER, INVITE, OPTIONS, REFER, BYE. The password never appears in logs, exception
 * messages or {@link #toString()}.
 *
 * @param userName the digest user name
 * @param password the digest password
 */
public record SipCredentials(String userName, String password) {

    public SipCredentials {
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(password, "password");
        if (userName.isBlank() || userName.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new IllegalArgumentException("credentials user name must be visible characters without spaces, was \""
                    + userName.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("credentials password must not be empty");
        }
    }

    @Override
    public String toString() {
        return "SipCredentials[userName=" + userName + ", password=***]";
    }
}
