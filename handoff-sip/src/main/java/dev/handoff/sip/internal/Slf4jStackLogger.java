package dev.handoff.sip.internal;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI stack logger, routed to SLF4J logger {@code dev.handoff.sip.stack} so that log4j 1.x is never
 * needed. The stack instantiates it reflectively (property {@code gov.nist.javax.sip.STACK_LOGGER}) and calls it
 * from its own threads. The stack's INFO output is chatty and is logged at DEBUG.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.handoff.sip.stack");
    private static final java.util.regex.Pattern TLS_DEFAULTS =
            java.util.regex.Pattern.compile("(?i)tls security policy|keystore|truststore|TLS (server|trust) settings");

    /** Called reflectively by the stack. */
    public Slf4jStackLogger() {
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
    public void logError(String message, Exception ex) {
        LOG.error(message, ex);
    }

    @Override
    public void logWarning(String message) {
        // the stack warns at every start that TLS key and trust stores are JVM defaults, even when TLS is not used
        if (message != null && TLS_DEFAULTS.matcher(message).find()) {
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
        // levels are owned by the SLF4J binding
    }

    @Override
    public void enableLogging() {
        // levels are owned by the SLF4J binding
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP RI build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read: configuration comes from the SLF4J binding
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
