package dev.handoff.sip.internal;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI message logger, routed to SLF4J logger {@code dev.handoff.sip.wire} at TRACE. Credentials in
 * {@code Authorization} and {@code Proxy-Authorization} headers are masked. Instantiated reflectively by the
 * stack (property {@code gov.nist.javax.sip.SERVER_LOGGER}) and called on the stack's threads.
 */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.handoff.sip.wire");
    private static final Pattern CREDENTIALS =
            Pattern.compile("(?im)^((?:Proxy-)?Authorization\\s*:\\s*\\S+).*$");

    /** Called reflectively by the stack. */
    public Slf4jServerLogger() {
    }

    /** Masks credential headers in a printed SIP message. */
    static String mask(String message) {
        return CREDENTIALS.matcher(message).replaceAll("$1 ***");
    }

    @Override
    public void closeLogFile() {
        // nothing to close
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    private static void log(SIPMessage message, String from, String to, boolean sender) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, mask(message.encode()));
        }
    }

    @Override
    public void logException(Exception ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
