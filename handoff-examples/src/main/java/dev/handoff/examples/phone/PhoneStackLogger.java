package dev.handoff.examples.phone;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI stack log of the scripted phones, routed to SLF4J logger {@code dev.handoff.examples.phone.stack}
 * so that log4j 1.x is never needed. Instantiated reflectively by the stack (property
 * {@code gov.nist.javax.sip.STACK_LOGGER}), called on the stack's threads. The stack's INFO lines go to DEBUG.
 */
public final class PhoneStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.handoff.examples.phone.stack");

    /** Called reflectively by the stack. */
    public PhoneStackLogger() {
    }

    @Override
    public void logStackTrace() {
        if (LOG.isTraceEnabled()) {
            LOG.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        LOG.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        LOG.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        LOG.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message) {
        LOG.error(message);
    }

    @Override
    public void logError(String message, Exception ex) {
        LOG.error(message, ex);
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel <= TRACE_NONE) {
            return false;
        }
        if (logLevel <= TRACE_ERROR) {
            return LOG.isErrorEnabled();
        }
        if (logLevel <= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        if (logLevel <= TRACE_DEBUG) {
            return LOG.isDebugEnabled();
        }
        return LOG.isTraceEnabled();
    }

    @Override
    public void logWarning(String message) {
        // the RI warns at every start that TLS stores are JVM defaults although the phones never use TLS
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(tls|keystore|truststore).*")) {
            LOG.debug(message);
        } else {
            LOG.warn(message);
        }
    }

    @Override
    public void logInfo(String message) {
        LOG.debug(message);
    }

    @Override
    public void disableLogging() {
        // levels belong to the SLF4J binding
    }

    @Override
    public void enableLogging() {
        // levels belong to the SLF4J binding
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP RI build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // configuration comes from the SLF4J binding
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
