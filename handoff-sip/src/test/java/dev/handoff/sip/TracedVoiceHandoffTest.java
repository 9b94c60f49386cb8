package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.opentelemetry.HandoffTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A whole voice handoff, traced: the bot's call from a SIPp customer is handed to a SIPp agent by a {@link Handoff}
 * with handoff-opentelemetry's {@link HandoffTracing}, and the REFER the customer's phone receives carries the
 * {@code traceparent} of that handoff's trace (as a Refer-To URI header, which a compliant phone copies onto its INVITE
 * to the agent).
 */
class TracedVoiceHandoffTest {

    private static final Pattern REFER_TRACEPARENT = Pattern.compile("REFER traceparent=00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    @Test
    void cold_voice_handoff_carries_the_handoffs_traceparent_on_the_refer() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
             Bot bot = new Bot(b -> b.header("X-Handoff-Reason", "billing-dispute"));   // the SIPp phones require it
             // three dialogs: the preflight's OPTIONS, the transfer's own OPTIONS probe, the customer's INVITE
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 3);
             Sipp customer = ColdTransferTest.customer("customer.xml", bot, "traced", ColdTransferTest.ALLOW_REFER)) {
            HandoffTracing tracing = HandoffTracing.create(sdk);
            CallLeg leg = bot.nextCall(customer);
            HandoffOutcome outcome;
            try (Handoff handoff = Handoff.builder()
                    .transferExecutor(bot.executor)
                    .router(new DefaultRouter(Target.sip("front-desk", ColdTransferTest.agentUri(agent)), null, List.of()))
                    .voiceMode(TransferMode.COLD)
                    .whisperLead(Duration.ZERO)
                    .preflightTimeout(Duration.ofSeconds(10))   // generous on a loaded machine: SIPp answers the probe
                    .transferTimeout(Duration.ofSeconds(20))
                    .listener(tracing)
                    .propagator(tracing)
                    .build()) {
                HandoffSession call = handoff.open(leg.sessionId(), Channel.VOICE, CustomerData.UNKNOWN);

                outcome = call.handOff(call.customer("let me talk to a person")).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }

            int customerExit = customer.await(ColdTransferTest.WAIT);
            int agentExit = agent.await(ColdTransferTest.WAIT);
            assertThat(outcome.status()).as("%s%n%s%n%s", outcome.attempts(), customer.report(), agent.report())
                    .isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(customerExit).as(customer.report()).isZero();
            assertThat(agentExit).as(agent.report()).isZero();
            SpanData handoffSpan = exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(HandoffTracing.HANDOFF_SPAN)).findFirst().orElseThrow();
            Matcher refer = REFER_TRACEPARENT.matcher(customer.log());
            assertThat(refer.find()).as("a traceparent on the REFER\n%s", customer.log()).isTrue();
            assertThat(refer.group(1)).isEqualTo(handoffSpan.getTraceId());
            // its parent is one of the handoff's phase spans (the phase current when the attempt began)
            assertThat(exporter.getFinishedSpanItems()).filteredOn(s -> s.getParentSpanId().equals(handoffSpan.getSpanId()))
                    .extracting(SpanData::getSpanId).contains(refer.group(2));
        }
    }
}
