package dev.handoff.examples.phone;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI message log of the scripted phones: every SIP message sent or received, at TRACE on SLF4J logger
 * {@code dev.handoff.examples.phone.wire} (turn it on with
 * {@code -Dorg.slf4j.simpleLogger.log.dev.handoff.examples.phone.wire=trace} to watch the REFER flow). Instantiated
 * reflectively by the stack (property {@code gov.nist.javax.sip.SERVER_LOGGER}), called on the stack's threads.
 */
public final class PhoneMessageLogger implements ServerLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.handoff.examples.phone.wire");

    /** Called reflectively by the stack. */
    public PhoneMessageLogger() {
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
            LOG.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
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
