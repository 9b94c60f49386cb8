package dev.handoff.core.internal.logging;

import java.text.MessageFormat;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.jboss.logging.LoggerProvider;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes jboss-logging (Hibernate Validator's logging facade) to SLF4J, so that Hibernate Validator's lines (such as
 * {@code HV000001}) go where every other Handoff line goes instead of to {@code java.util.logging}. jboss-logging
 * falls back to JUL unless Logback is on the class path; it finds this provider through {@link java.util.ServiceLoader}
 * (registered in {@code META-INF/services} and in {@code module-info}). A system property
 * {@code org.jboss.logging.provider} still wins. Not API; created by jboss-logging, any thread.
 */
public final class JbossToSlf4jProvider implements LoggerProvider {

    @Override
    public Logger getLogger(String name) {
        return new Slf4jJbossLogger(name);
    }

    @Override
    public void clearMdc() {
        MDC.clear();
    }

    @Override
    public Object putMdc(String key, Object value) {
        Object previous = MDC.get(key);
        MDC.put(key, String.valueOf(value));
        return previous;
    }

    @Override
    public Object getMdc(String key) {
        return MDC.get(key);
    }

    @Override
    public void removeMdc(String key) {
        MDC.remove(key);
    }

    @Override
    public Map<String, Object> getMdcMap() {
        Map<String, String> copy = MDC.getCopyOfContextMap();
        return copy == null ? Map.of() : Map.copyOf(copy);
    }

    // SLF4J has no nested diagnostic context: NDC calls are accepted and ignored

    @Override
    public void clearNdc() {
    }

    @Override
    public String getNdc() {
        return null;
    }

    @Override
    public int getNdcDepth() {
        return 0;
    }

    @Override
    public String popNdc() {
        return "";
    }

    @Override
    public String peekNdc() {
        return "";
    }

    @Override
    public void pushNdc(String message) {
    }

    @Override
    public void setNdcMaxDepth(int maxDepth) {
    }

    /** One jboss-logging logger writing to the SLF4J logger of the same name. */
    static final class Slf4jJbossLogger extends Logger {

        private static final long serialVersionUID = 1L;

        private final transient org.slf4j.Logger target;

        Slf4jJbossLogger(String name) {
            super(name);
            this.target = LoggerFactory.getLogger(Objects.requireNonNull(name, "name"));
        }

        @Override
        public boolean isEnabled(Level level) {
            return switch (level) {
                case FATAL, ERROR -> target.isErrorEnabled();
                case WARN -> target.isWarnEnabled();
                case INFO -> target.isInfoEnabled();
                case DEBUG -> target.isDebugEnabled();
                case TRACE -> target.isTraceEnabled();
            };
        }

        @Override
        protected void doLog(Level level, String loggerClassName, Object message, Object[] parameters,
                             Throwable thrown) {
            if (isEnabled(level)) {
                String text = parameters == null || parameters.length == 0
                        ? String.valueOf(message) : MessageFormat.format(String.valueOf(message), parameters);
                write(level, text, thrown);
            }
        }

        @Override
        protected void doLogf(Level level, String loggerClassName, String format, Object[] parameters,
                              Throwable thrown) {
            if (isEnabled(level)) {
                String text = parameters == null ? String.valueOf(format) : String.format(format, parameters);
                write(level, text, thrown);
            }
        }

        private void write(Level level, String text, Throwable thrown) {
            switch (level) {
                case FATAL, ERROR -> target.error(text, thrown);
                case WARN -> target.warn(text, thrown);
                case INFO -> target.info(text, thrown);
                case DEBUG -> target.debug(text, thrown);
                case TRACE -> target.trace(text, thrown);
            }
        }
    }
}
