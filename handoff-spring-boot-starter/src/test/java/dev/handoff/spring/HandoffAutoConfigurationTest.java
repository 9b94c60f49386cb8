package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.api.spi.Router;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.HandoffSettings;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.metrics.MicrometerMetricsSink;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.store.InMemoryContextStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter in a real Spring application context: what it creates, from which properties, and what it leaves alone. */
class HandoffAutoConfigurationTest {

    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    @TempDir
    Path dir;

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class))
                .withPropertyValues("handoff.store.file.directory=" + dir, "handoff.signing.keys.k1=" + KEY);
    }

    @Test
    void defaults_are_cores_defaults_with_file_stores_and_the_configured_key() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Handoff.class);
            Handoff handoff = context.getBean(Handoff.class);
            assertThat(handoff.settings()).isEqualTo(HandoffSettings.ofDefaults());
            assertThat(handoff.wiring())
                    .containsEntry("ContextStore", FileContextStore.class.getName())
                    .containsEntry("CommitmentLedger", FileCommitmentLedger.class.getName());
            assertThat(dir.resolve("contexts.journal")).exists();
            assertThat(dir.resolve("commitments.journal")).exists();
            assertThat(handoff.signer().keys().currentId()).isEqualTo("k1");
            assertThat(context.getBean(HandoffStores.class).type()).isEqualTo(HandoffStoreProperties.StoreType.FILE);
        });
    }

    @Test
    void properties_bind_onto_the_settings_and_the_builder() {
        runner().withPropertyValues("handoff.max-wait=45s", "handoff.max-in-flight=8", "handoff.max-queued=0",
                "handoff.voice-mode=warm", "handoff.whisper-lead=0s", "handoff.transfer-timeout=PT20S",
                "handoff.crm-limits.destination=hubspot-note", "handoff.crm-limits.max-bytes=4096",
                "handoff.crm-limits.page-size=10", "handoff.context-ttl=2h",
                "handoff.signing.keys.k2=" + OTHER_KEY, "handoff.signing.current=k2").run(context -> {
                    Handoff handoff = context.getBean(Handoff.class);
                    assertThat(handoff.settings()).isEqualTo(HandoffSettings.builder().maxWait(Duration.ofSeconds(45))
                            .maxInFlight(8).maxQueued(0).voiceMode(TransferMode.WARM).whisperLead(Duration.ZERO)
                            .transferTimeout(Duration.ofSeconds(20))
                            .crmLimits(new DestinationLimits("hubspot-note", false, 4096, 10)).build());
                    assertThat(handoff.signer().keys().currentId()).isEqualTo("k2");
                    assertThat(handoff.signer().ttl()).isEqualTo(Duration.ofHours(2));
                });
    }

    @Test
    void store_type_memory_opens_no_files() {
        runner().withPropertyValues("handoff.store.type=memory").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FileContextStore.class).doesNotHaveBean(FileCommitmentLedger.class);
            assertThat(context.getBean(Handoff.class).wiring()).containsEntry("ContextStore", InMemoryContextStore.class.getName());
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        });
    }

    @Test
    void handoff_enabled_false_creates_nothing() {
        runner().withPropertyValues("handoff.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(Handoff.class).doesNotHaveBean(FileContextStore.class));
    }

    @Test
    void a_signing_keys_bean_from_a_secret_store_replaces_the_properties() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class))
                .withPropertyValues("handoff.store.file.directory=" + dir)
                .withBean(SigningKeys.class, () -> SigningKeys.of("vault-7", "0123456789abcdef0123456789abcdef".getBytes()))
                .run(context -> assertThat(context.getBean(Handoff.class).signer().keys().currentId()).isEqualTo("vault-7"));
    }

    @Test
    void the_applications_spi_beans_replace_the_defaults() {
        runner().withUserConfiguration(OwnParts.class).run(context -> {
            Handoff handoff = context.getBean(Handoff.class);
            assertThat(handoff.wiring())
                    .containsEntry("Router", OwnRouter.class.getName())
                    .containsEntry("ContextStore", InMemoryContextStore.class.getName())
                    .containsEntry("MetricsSink", OwnMetrics.class.getName())
                    .containsEntry("CommitmentLedger", FileCommitmentLedger.class.getName());   // not replaced: still the journal
            assertThat(context).doesNotHaveBean(FileContextStore.class);
            assertThat(handoff.contexts()).isSameAs(context.getBean(ContextStore.class));
        });
    }

    @Test
    void a_propagator_bean_carries_trace_context_onto_the_handoffs_calls() {
        runner().withBean(HandoffPropagator.class, OwnPropagator::new).run(context ->
                assertThat(context.getBean(Handoff.class).wiring()).containsEntry("HandoffPropagator", OwnPropagator.class.getName()));
        runner().run(context -> assertThat(context.getBean(Handoff.class).wiring()).containsEntry("HandoffPropagator", "none"));
    }

    static final class OwnPropagator implements HandoffPropagator {
        @Override
        public java.util.Map<String, String> fields(dev.handoff.api.SessionId session) {
            return java.util.Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        }

        @Override
        public Scope open(dev.handoff.api.SessionId session) {
            return Scope.NOOP;
        }
    }

    @Test
    void the_applications_own_handoff_bean_switches_the_starter_off() {
        runner().withUserConfiguration(OwnHandoff.class).run(context -> {
            assertThat(context).hasSingleBean(Handoff.class).doesNotHaveBean(FileContextStore.class);
            assertThat(context.getBean(Handoff.class).wiring()).containsEntry("ContextStore", InMemoryContextStore.class.getName());
        });
    }

    @Test
    void a_micrometer_registry_receives_handoffs_metrics() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context.getBean(Handoff.class).wiring()).containsEntry("MetricsSink", MicrometerMetricsSink.class.getName());
            context.getBean(Handoff.class).metrics().increment("handoff.test.probe", java.util.Map.of());
            assertThat(context.getBean(MeterRegistry.class).find("handoff.test.probe").counter()).isNotNull()
                    .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
        });
        runner().run(context -> assertThat(context).doesNotHaveBean(MicrometerMetricsSink.class));
    }

    @Test
    void closing_the_context_returns_a_waiting_handoff_to_the_bot_and_closes_handoff() throws Exception {
        PhaseLatch notified = new PhaseLatch(HandoffPhase.AGENT_NOTIFIED);
        CompletableFuture<HandoffOutcome> outcome = new CompletableFuture<>();
        Handoff[] handoff = new Handoff[1];
        runner().withBean(PhaseLatch.class, () -> notified).run(context -> {
            handoff[0] = context.getBean(Handoff.class);
            handoff[0].chatQueues().orElseThrow().queue("support").signIn("alice");   // signed in, never takes the chat
            HandoffSession s = handoff[0].open(Channel.CHAT);
            s.handOff(s.customer("I want to talk to a person")).whenComplete((o, e) -> {
                if (e != null) {
                    outcome.completeExceptionally(e);
                } else {
                    outcome.complete(o);
                }
            });
            assertThat(notified.latch.await(30, TimeUnit.SECONDS)).as("offered to alice").isTrue();
            assertThat(outcome).isNotDone();
            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
        });
        HandoffOutcome o = outcome.get(30, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(o.cause()).isEqualTo(HandoffOutcome.Cause.SHUT_DOWN);
        assertThat(o.summaryForBot()).isNotBlank();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> handoff[0].open(Channel.CHAT)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void customizers_run_last_on_the_builder() {
        runner().withPropertyValues("handoff.idle-timeout=10m")
                .withBean(HandoffBuilderCustomizer.class, () -> b -> b.idleTimeout(Duration.ofMinutes(3)))
                .run(context -> assertThat(context.getBean(Handoff.class).settings().idleTimeout()).isEqualTo(Duration.ofMinutes(3)));
    }

    @Test
    void spring_boot_finds_the_auto_configurations_and_the_failure_analyzer() {
        assertThat(org.springframework.boot.context.annotation.ImportCandidates.load(
                org.springframework.boot.autoconfigure.AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
                .contains(HandoffAutoConfiguration.class.getName(), HandoffHealthAutoConfiguration.class.getName());
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.loadFactoryNames(
                org.springframework.boot.diagnostics.FailureAnalyzer.class, getClass().getClassLoader()))
                .contains(HandoffFailureAnalyzer.class.getName());
    }

    @Test
    void every_transfer_executor_bean_is_added() {
        runner().withBean(VoiceExecutor.class, VoiceExecutor::new).run(context ->
                assertThat(context.getBean(Handoff.class).wiring())
                        .containsEntry("TransferExecutor[COLD]", VoiceExecutor.class.getName())
                        .containsEntry("TransferExecutor[WARM]", VoiceExecutor.class.getName()));
    }

    @Test
    void an_at_rest_key_opens_the_journals_and_a_wrong_one_names_its_property() {
        String atRest = Base64.getEncoder().encodeToString("at-rest-key-of-exactly-32-bytes!".getBytes());
        runner().withPropertyValues("handoff.store.file.encryption-keys.e1=" + atRest).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(FileContextStore.class));
        runner().withPropertyValues("handoff.store.file.encryption-keys.e1=" + KEY.substring(0, 20)).run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessage("Invalid property handoff.store.file.encryption-keys.e1 = \"(a secret of 15 bytes, not shown)\":"
                                + " expected base64 of exactly 32 random bytes"));
    }

    @Test
    void the_context_journal_keeps_contexts_for_its_retention_and_a_bad_one_names_its_property() {
        runner().withPropertyValues("handoff.store.file.retention=2h").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(FileContextStore.class));
        runner().withPropertyValues("handoff.store.file.retention=0s").run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessage("Invalid property handoff.store.file.retention = \"0s\": expected a positive duration,"
                                + " such as 30s, 2m or PT2M"));
    }

    @Test
    void the_journals_are_purged_on_the_handoff_s_timer_and_a_bad_interval_names_its_property() {
        runner().run(context -> assertThat(context.getBean(Handoff.class).settings().retentionPurgeInterval())
                .as("default").isEqualTo(java.time.Duration.ofMinutes(10)));
        runner().withPropertyValues("handoff.store.file.retention-purge-interval=2m").run(context ->
                assertThat(context.getBean(Handoff.class).settings().retentionPurgeInterval()).isEqualTo(java.time.Duration.ofMinutes(2)));
        runner().withPropertyValues("handoff.store.file.retention-purge-interval=500ms").run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessage("Invalid property handoff.store.file.retention-purge-interval = \"500ms\":"
                                + " expected 0s (off) or a duration from 1s to 24h, such as 10m"));
    }

    @Test
    void erasing_a_customer_removes_the_promises_their_session_made_from_the_journal_and_audits_it() {
        dev.handoff.core.audit.InMemoryAuditSink audit = new dev.handoff.core.audit.InMemoryAuditSink();
        runner().withBean(dev.handoff.api.spi.AuditSink.class, () -> audit).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(dev.handoff.api.spi.DataRetention.class);
            Handoff handoff = context.getBean(Handoff.class);
            dev.handoff.core.HandoffSession session = handoff.open(dev.handoff.api.SessionId.of("chat-erase-1"),
                    dev.handoff.api.Channel.CHAT, dev.handoff.api.CustomerData.of("cus-erase", java.util.Map.of()));
            session.ai("I've waived the late fee on your account.");
            assertThat(Files.readString(dir.resolve("commitments.journal"), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("late fee");

            dev.handoff.api.spi.DataRetention.Erasure erasure = context.getBean(dev.handoff.api.spi.DataRetention.class)
                    .eraseCustomer("cus-erase", "privacy-desk");

            assertThat(erasure.sessions()).extracting(dev.handoff.api.SessionId::value).containsExactly("chat-erase-1");
            assertThat(erasure.removed()).containsEntry("commitments", 1L).containsEntry("customer-links", 1L);
            assertThat(Files.readString(dir.resolve("commitments.journal"), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("late fee");
            assertThat(audit.records()).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo(dev.handoff.api.spi.AuditRecord.Action.CUSTOMER_DATA_ERASED);
                assertThat(r.sessionId().value()).isEqualTo("chat-erase-1");
            });
        });
    }

    /** A voice executor that never connects (the test only looks at the wiring). */
    static final class VoiceExecutor implements dev.handoff.api.spi.TransferExecutor {
        @Override
        public java.util.Set<TransferMode> modes() {
            return java.util.Set.of(TransferMode.COLD, TransferMode.WARM);
        }

        @Override
        public java.util.concurrent.CompletionStage<dev.handoff.api.TransferResult> transfer(dev.handoff.api.TransferRequest request,
                dev.handoff.api.spi.TransferListener listener) {
            return new CompletableFuture<>();
        }
    }

    @Test
    void without_the_optional_modules_only_core_is_needed() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class, HandoffHealthAutoConfiguration.class))
                .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader("io.micrometer.", "dev.handoff.postgres.",
                        "dev.handoff.sip.", "dev.handoff.crm.", "org.springframework.boot.actuate."))
                .withPropertyValues("handoff.store.file.directory=" + dir, "handoff.signing.keys.k1=" + KEY)
                .withBean(javax.sql.DataSource.class, org.postgresql.ds.PGSimpleDataSource::new)   // never connected: handoff-postgres is hidden
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Handoff.class).hasSingleBean(FileContextStore.class)
                            .doesNotHaveBean("handoffHealthContributor").doesNotHaveBean("handoffPostgresStores")
                            .doesNotHaveBean("handoffMetricsSink");
                });
    }

    /** Counts down when any handoff reaches a phase. */
    static final class PhaseLatch implements HandoffListener {
        final HandoffPhase phase;
        final CountDownLatch latch = new CountDownLatch(1);

        PhaseLatch(HandoffPhase phase) {
            this.phase = phase;
        }

        @Override
        public void onEvent(HandoffEvent event) {
            if (event instanceof HandoffEvent.PhaseChanged p && p.phase() == phase) {
                latch.countDown();
            }
        }
    }

    static final class OwnRouter implements Router {
        private final Router inner = new DefaultRouter();

        @Override
        public dev.handoff.api.Route route(dev.handoff.api.context.HandoffContext context, dev.handoff.api.HandoffDecision decision) {
            return inner.route(context, decision);
        }
    }

    static final class OwnMetrics implements MetricsSink {
        @Override
        public void increment(String name, java.util.Map<String, String> tags) {
        }

        @Override
        public void record(String name, Duration duration, java.util.Map<String, String> tags) {
        }

        @Override
        public void gauge(String name, double value, java.util.Map<String, String> tags) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnParts {
        @Bean
        Router router() {
            return new OwnRouter();
        }

        @Bean
        ContextStore contextStore() {
            return new InMemoryContextStore();
        }

        @Bean
        MetricsSink metricsSink() {
            return new OwnMetrics();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandoff {
        @Bean
        Handoff myHandoff() {
            return Handoff.builder().build();
        }
    }

    @Test
    void an_audit_spool_keeps_what_a_failing_audit_sink_did_not_take_for_the_next_start() {
        Path spool = dir.resolve("audit").resolve("spool.journal");
        AuditRecord viewed = new AuditRecord(java.time.Instant.parse("2026-12-06T10:00:00Z"), "alice", AuditRecord.Action.CONTEXT_VIEWED,
                SessionId.of("s-spooled"), "ctx-spooled", "ok");
        AuditSink down = r -> {
            throw new RetriableHandoffException("audit store unavailable (test)");
        };
        runner().withPropertyValues("handoff.audit-spool=" + spool).withBean(AuditSink.class, () -> down).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(Handoff.class).auditSink().record(viewed);
        });
        assertThat(spool).exists();

        InMemoryAuditSink back = new InMemoryAuditSink();
        runner().withPropertyValues("handoff.audit-spool=" + spool).withBean(AuditSink.class, () -> back)
                .run(context -> assertThat(context).hasNotFailed());   // closing writes what is pending, at the latest
        assertThat(back.records()).containsExactly(viewed);
    }
}
