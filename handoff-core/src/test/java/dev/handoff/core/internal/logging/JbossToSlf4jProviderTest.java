package dev.handoff.core.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.json.ContextJson;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Hibernate Validator's lines (HV000001 and the rest) reach SLF4J; java.util.logging prints nothing of ours. */
@Isolated("adds a handler to the java.util.logging root logger")
class JbossToSlf4jProviderTest {

    @Test
    void hibernate_validator_logs_through_slf4j_not_java_util_logging() {
        List<LogRecord> julRecords = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                julRecords.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            ContextJson.get();   // builds the Hibernate Validator factory
            org.jboss.logging.Logger hv = org.jboss.logging.Logger.getLogger("org.hibernate.validator.internal.util.Version");
            hv.infof("HV000001: Hibernate Validator %s", "test");

            assertThat(hv).isInstanceOf(JbossToSlf4jProvider.Slf4jJbossLogger.class);
            assertThat(hv.isInfoEnabled()).isEqualTo(org.slf4j.LoggerFactory.getLogger(hv.getName()).isInfoEnabled());
            assertThat(julRecords).extracting(LogRecord::getLoggerName).noneMatch(n -> n.startsWith("org.hibernate"));
        } finally {
            root.removeHandler(capture);
        }
    }
}
