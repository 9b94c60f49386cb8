package dev.handoff.core.hipaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.context.Redeemer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketException;
import dev.handoff.core.context.TicketScope;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * HIPAA 45 CFR 164.312(d), person or entity authentication: the SDK hands a context only to a holder of a ticket it
 * signed itself (forged, altered or foreign-key tickets are refused), and a ticket bound to an agent or a tenant only
 * to that agent or tenant.
 *
 * <p>Remains the deployer's duty: authenticating the person (desktop login with single sign-on and MFA, SIP digest
 * or mutual TLS for agent phones) before their identity reaches {@code redeem}: the SDK trusts the actor and
 * tenant it is given. Binding tickets ({@code Handoff.builder().ticketScope(...)}) and keeping the signing keys secret.
 */
class PersonOrEntityAuthenticationSafeguardTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void only_our_own_signed_tickets_open_a_context_and_a_tenant_bound_ticket_only_for_that_tenant() throws Exception {
        try (Handoff handoff = Handoff.builder().signingKeys(SigningKeys.of("k1", KEY)).ticketScope(TicketScope.tenant("clinic-7")).build();
             Handoff impostor = Handoff.builder().signingKeys(SigningKeys.of("k1", OTHER)).build()) {
            HandoffOutcome outcome = HipaaFixtures.handOffToAlice(handoff, "hipaa-auth-1");
            String foreign = impostor.tickets().issue(outcome.contextId());

            assertThatThrownBy(() -> handoff.ticketRedeemer().redeem(foreign, Redeemer.of("alice", "clinic-7")))
                    .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.FORGED));
            assertThatThrownBy(() -> handoff.ticketRedeemer().redeem(outcome.ticket(), Redeemer.of("alice", "clinic-9")))
                    .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.WRONG_TENANT));
            assertThatThrownBy(() -> handoff.redeem(outcome.ticket(), "alice"))
                    .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.WRONG_TENANT));
            assertThat(handoff.ticketRedeemer().redeem(outcome.ticket(), Redeemer.of("alice", "clinic-7")).contextId())
                    .isEqualTo(outcome.contextId());
        }
    }
}
