package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.crm.transport.CircuitBreaker;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.sip.SipUserAgent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code handoff} health contributor: each part present when there is something to check, and what it reports. */
class HandoffHealthTest {

    @TempDir
    Path dir;

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class, HandoffHealthAutoConfiguration.class))
                .withPropertyValues("handoff.store.file.directory=" + dir, "handoff.signing.keys.k1=" + HandoffAutoConfigurationTest.KEY);
    }

    static Health part(AssertableApplicationContext context, String name) {
        CompositeHealthContributor composite = context.getBean("handoffHealthContributor", CompositeHealthContributor.class);
        return composite.getContributor(name) instanceof HealthIndicator h ? h.health() : null;
    }

    @Test
    void file_stores_are_up_with_their_directory_and_a_clean_recovery() {
        runner().run(context -> {
            Health stores = part(context, "stores");
            assertThat(stores.getStatus()).isEqualTo(Status.UP);
            assertThat(stores.getDetails()).containsEntry("type", "file").containsEntry("directory", dir.toAbsolutePath().toString())
                    .containsEntry("contexts", 0).containsEntry("contextsRecovery", "clean").containsEntry("commitmentsRecovery", "clean");
            assertThat(part(context, "crm")).isNull();
            assertThat(part(context, "sip")).isNull();
        });
    }

    @Test
    void the_audit_part_shows_records_waiting_for_an_unavailable_sink_without_taking_the_instance_out() {
        dev.handoff.api.spi.AuditSink down = r -> {
            throw new dev.handoff.api.RetriableHandoffException("audit store unavailable (test)");
        };
        Path spool = dir.resolve("audit").resolve("spool.journal");
        runner().withPropertyValues("handoff.audit-spool=" + spool).withBean(dev.handoff.api.spi.AuditSink.class, () -> down).run(context -> {
            assertThat(part(context, "audit").getStatus()).isEqualTo(Status.UP);
            assertThat(part(context, "audit").getDetails()).containsEntry("waiting", 0).containsEntry("limit", 10_000)
                    .containsEntry("lost", 0L);

            context.getBean(dev.handoff.core.Handoff.class).auditSink().record(new dev.handoff.api.spi.AuditRecord(java.time.Instant.now(),
                    "alice", dev.handoff.api.spi.AuditRecord.Action.DESK_SIGNED_IN, null, null, "ok", "127.0.0.1"));

            assertThat(part(context, "audit").getStatus()).isEqualTo(Status.UP);
            assertThat(part(context, "audit").getDetails()).containsEntry("waiting", 1).containsEntry("spool", spool.toString())
                    .containsEntry("spoolInStep", true);
        });
    }

    @Test
    void memory_stores_say_so() {
        runner().withPropertyValues("handoff.store.type=memory").run(context ->
                assertThat(part(context, "stores").getDetails()).isEqualTo(Map.of("type", "memory")));
    }

    @Test
    void the_indicator_can_be_switched_off() {
        runner().withPropertyValues("management.health.handoff.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("handoffHealthContributor"));
    }

    @Test
    void an_open_crm_circuit_breaker_is_down() {
        CrmHttpClient hubspot = CrmHttpClient.builder("hubspot").build();
        runner().withBean(CrmHttpClient.class, () -> hubspot).run(context -> {
            assertThat(part(context, "crm").getStatus()).isEqualTo(Status.UP);
            assertThat(part(context, "crm").getDetails()).containsEntry("hubspot", "CLOSED");
            CircuitBreaker breaker = hubspot.circuitBreaker();
            for (int i = 0; i < CircuitBreaker.Config.DEFAULT_MINIMUM_CALLS; i++) {   // calls that failed, as the client records them
                assertThat(breaker.tryAcquire()).isEmpty();
                breaker.onFailure();
            }
            assertThat(part(context, "crm").getStatus()).isEqualTo(Status.DOWN);
            assertThat(part(context, "crm").getDetails()).containsEntry("hubspot", "OPEN");
        });
    }

    @Test
    void a_sip_user_agent_that_answers_itself_is_up() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SipUserAgent ua = SipUserAgent.builder().port(port).userName("bot").start()) {
            runner().withBean(SipUserAgent.class, () -> ua).run(context -> {
                Health sip = part(context, "sip");
                assertThat(sip.getStatus()).isEqualTo(Status.UP);
                assertThat(sip.getDetails()).containsKey(ua.stackName());
                assertThat(sip.getDetails().get(ua.stackName())).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class)).containsEntry("optionsToSelf", 200);
            });
        }
    }
}
