package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.SessionId;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Builder validation, session resolution and the stack's start/stop behaviour. */
class ConfigurationTest {

    @Test
    void port_out_of_range_is_rejected_with_the_value() {
        assertThatThrownBy(() -> SipUserAgent.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be 0 (a free port picked at start) or between 1 and 65535, was 70000");
        assertThatThrownBy(() -> SipUserAgent.builder().port(-1))
                .hasMessage("port must be 0 (a free port picked at start) or between 1 and 65535, was -1");
    }

    @Test
    void port_zero_listens_on_one_free_port_for_every_transport_and_puts_it_in_contact_and_via() throws Exception {
        try (SipUserAgent a = SipUserAgent.builder().port(0).transports(SipTransport.UDP, SipTransport.TCP).start();
             SipUserAgent b = SipUserAgent.builder().port(0).userName("agent").start()) {
            assertThat(a.port()).isPositive().isNotEqualTo(b.port());
            assertThat(a.localUri()).isEqualTo("sip:handoff@127.0.0.1:" + a.port());
            assertThat(Ports.udpFree(a.port())).as("UDP bound").isFalse();
            try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), a.port())) {
                assertThat(tcp.isConnected()).as("TCP on the same port").isTrue();
            }
            // the answer finds its way back only if the Via carries the bound port, not 0
            assertThat(a.options(b.localUri()).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    @Test
    void non_positive_timeouts_are_rejected_with_the_value() {
        assertThatThrownBy(() -> SipUserAgent.builder().optionsTimeout(Duration.ZERO))
                .hasMessage("optionsTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> SipUserAgent.builder().inviteTimeout(Duration.ofSeconds(-1)))
                .hasMessage("inviteTimeout must be positive, was PT-1S");
    }

    @Test
    void user_name_must_fit_a_sip_uri() {
        assertThatThrownBy(() -> SipUserAgent.builder().userName("bot agent"))
                .hasMessage("userName must be letters, digits or ._~+-, was \"bot agent\"");
    }

    @Test
    void stack_name_and_loggers_cannot_be_overridden_through_stack_properties() {
        assertThatThrownBy(() -> SipUserAgent.builder().stackProperty("gov.nist.javax.sip.STACK_LOGGER", "x"))
                .hasMessage("stack property gov.nist.javax.sip.STACK_LOGGER is set by SipUserAgent; use stackName() for the name");
    }

    @Test
    void receive_buffer_below_the_stack_default_is_rejected_and_cannot_be_set_as_a_stack_property() {
        assertThat(SipUserAgent.Builder.DEFAULT_RECEIVE_BUFFER_SIZE).isEqualTo(1_048_576);
        assertThatThrownBy(() -> SipUserAgent.builder().receiveBufferSize(4096))
                .hasMessage("receiveBufferSize must be at least 65536 bytes, was 4096");
        assertThatThrownBy(() -> SipUserAgent.builder().stackProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "65536"))
                .hasMessage("stack property gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE is set by SipUserAgent; use receiveBufferSize()");
    }

    @Test
    void transfer_options_are_validated_where_set() throws Exception {
        try (SipUserAgent ua = SipUserAgent.builder().port(0).start()) {
            SipTransferExecutor.Builder builder = SipTransferExecutor.builder(ua);
            assertThatThrownBy(() -> builder.header("X Bad", "v"))
                    .hasMessage("header name must be a SIP token (letters, digits, -.!%*_+`'~), was \"X Bad\"");
            assertThatThrownBy(() -> builder.header("X-Note", "a\r\nBYE"))
                    .hasMessage("header X-Note must be one line, was \"a\\r\\nBYE\"");
            assertThatThrownBy(() -> builder.acceptTimeout(Duration.ZERO))
                    .hasMessage("acceptTimeout must be positive, was PT0S");
            assertThatThrownBy(() -> builder.maxTicketBytes(0))
                    .hasMessage("maxTicketBytes must be between 1 and 1024, was 0");
            assertThatThrownBy(() -> builder.header("User-to-User", "x").build())
                    .hasMessage("headers must not set User-to-User, Replaces, Referred-By or X-Handoff-Ticket; the executor sets them");
        }
    }

    @Test
    void backup_queue_must_be_a_sip_uri() {
        assertThatThrownBy(() -> LastResort.backupQueue("tel:+15550100"))
                .hasMessage("backup queue: expected a SIP URI like sip:queue@host, was \"tel:+15550100\"");
    }

    @Test
    void session_comes_from_the_header_or_else_the_call_id() {
        SessionResolver resolver = SessionResolver.headerOrCallId();

        assertThat(resolver.resolve(invite("abc@10.0.0.1", Map.of("x-handoff-session", "s-42")))).isEqualTo(SessionId.of("s-42"));
        assertThat(resolver.resolve(invite("abc@10.0.0.1", Map.of()))).isEqualTo(SessionId.of("abc-10.0.0.1"));
    }

    @Test
    void invalid_session_header_names_the_header_and_value() {
        assertThatThrownBy(() -> SessionResolver.headerOrCallId().resolve(invite("c", Map.of("X-Handoff-Session", "bad id"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("X-Handoff-Session: session id must be 1-128 characters of [A-Za-z0-9._:-], was \"bad id\"");
    }

    @Test
    void busy_port_is_a_configuration_error_naming_the_address() throws Exception {
        int port = Ports.free();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThatThrownBy(() -> SipUserAgent.builder().port(port).transports(SipTransport.UDP).start())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("cannot listen for SIP on udp 127.0.0.1:" + port + " (stack handoff-sip-");
        }
    }

    @Test
    void stacks_stop_cleanly_and_release_their_port() throws Exception {
        int port = Ports.free();
        SipUserAgent first = SipUserAgent.builder().port(port).start();
        String firstName = first.stackName();
        first.close();
        first.close();

        try (SipUserAgent second = SipUserAgent.builder().port(port).start()) {
            assertThat(second.stackName()).isNotEqualTo(firstName);
            assertThat(second.localUri()).isEqualTo("sip:handoff@127.0.0.1:" + port);
        }
        assertThat(Ports.udpFree(port)).isTrue();
    }

    @Test
    void the_stack_runs_without_log4j() {
        assertThatThrownBy(() -> Class.forName("org.apache.log4j.Logger")).isInstanceOf(ClassNotFoundException.class);
        try (SipUserAgent ua = SipUserAgent.builder().port(0).start()) {
            assertThat(ua.leg(SessionId.of("none"))).isEmpty();
        }
    }

    @Test
    void options_to_a_silent_port_answers_408_after_the_timeout() throws Exception {
        try (SipUserAgent ua = SipUserAgent.builder().port(0).optionsTimeout(Duration.ofMillis(200)).start()) {
            int code = ua.options("sip:nobody@127.0.0.1:" + Ports.free()).toCompletableFuture().get();

            assertThat(code).isEqualTo(408);
        }
    }

    private static IncomingInvite invite(String callId, Map<String, String> headers) {
        return new IncomingInvite(callId, "sip:bot@h", "sip:c@h", "sip:bot@h", headers);
    }
}
