package dev.handoff.sip;

import dev.handoff.sip.internal.Slf4jServerLogger;
import dev.handoff.sip.internal.Slf4jStackLogger;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * Routes a JAIN-SIP RI stack's logging to SLF4J, so log4j 1.x is never needed: the stack log goes to
 * {@code dev.handoff.sip.stack} (its INFO at DEBUG) and every SIP message, credentials masked, to
 * {@code dev.handoff.sip.wire} at TRACE. {@link SipUserAgent} does this for its own stack; call it for any other
 * JAIN-SIP stack you create in the same application (test phones, softphones).
 */
public final class SipStackLogging {

    private SipStackLogging() {
    }

    /** Sets the logger properties on the properties a {@code javax.sip.SipStack} will be created from. */
    public static Properties route(Properties stackProperties) {
        stackProperties.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        stackProperties.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        stackProperties.setProperty("gov.nist.javax.sip.TRACE_LEVEL",
                LoggerFactory.getLogger("dev.handoff.sip.wire").isTraceEnabled() ? "32" : "0");
        return stackProperties;
    }
}
