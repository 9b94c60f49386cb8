package dev.handoff.crm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.auth.OAuth2TokenSource;
import dev.handoff.crm.hubspot.HubSpotAdapter;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.crm.outbox.FileOutbox;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.outbox.OutboxListener;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.webhook.WebhookAdapter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module README's Java blocks (regions checked by handoff-examples' ReadmeSnippetsTest; the receiver block is in
 * {@code WebhookReceiverTest}). The wiring and field-mapping blocks are compiled, not run: they name HubSpot and files
 * under /var/lib and the working directory (HandoffThroughOutboxTest and FieldMappingTest run the same calls against
 * MockWebServer and test files). The auth and webhook blocks build, which needs no network, and run here.
 */
class ReadmeTest {

    static OutboxDispatcher wiring(HandoffContext handoffContext) {
        // tag::wiring[]
        CrmHttpClient hubspotHttp = CrmHttpClient.builder("hubspot")
                .auth(CrmAuth.bearer(System.getenv("HUBSPOT_PRIVATE_APP_TOKEN")))
                .build();                                              // defaults below
        CrmAdapter hubspot = HubSpotAdapter.builder(hubspotHttp).portalId("8675309").build();

        FileOutbox outbox = FileOutbox.open(Path.of("/var/lib/myapp/handoff-outbox"));
        OutboxDispatcher crm = OutboxDispatcher.builder(outbox)
                .adapter(hubspot)
                .listener(new OutboxListener() {
                    @Override public void deadLettered(OutboxEntry e, String reason) { alert(e, reason); }
                })
                .build();
        crm.start();                       // also resumes whatever a previous run left pending

        // on the call's thread: returns once the push is fsync'ed, never waits for HubSpot
        crm.submit(handoffContext);
        // end::wiring[]
        return crm;
    }

    static void mapped(CrmHttpClient http) {
        // tag::field-mapping[]
        FieldMapping mapping = FieldMapping.load(Path.of("hubspot-mapping.yaml"));   // or fromJson / fromYaml
        HubSpotAdapter.builder(http).mapping(mapping).build();
        // end::field-mapping[]
    }

    @Test
    void the_readme_credentials_build_without_a_network_call_and_print_no_secret() {
        String token = "pat-na1-readme-token";
        String key = "readme-api-key";
        String agentEmail = "agent@example.com";
        String zendeskApiToken = "readme-zendesk-token";
        String clientId = "readme-client";
        String secret = "readme-client-secret";
        String refreshToken = "readme-refresh-token";
        Clock clock = Clock.systemUTC();

        // tag::auth[]
        CrmAuth staticBearer = CrmAuth.bearer(token);                         // HubSpot private app, any static bearer
        CrmAuth apiKeyHeader = CrmAuth.apiKey("X-Api-Key", key);              // API key header
        CrmAuth zendesk = CrmAuth.basic(agentEmail + "/token", zendeskApiToken);   // Zendesk API token
        CrmAuth salesforce = OAuth2TokenSource.clientCredentials("https://acme.my.salesforce.com/services/oauth2/token",
                clientId, secret).clock(clock).build();                      // client-credentials grant
        CrmAuth hubspotOAuth = OAuth2TokenSource.refreshToken("https://api.hubapi.com/oauth/v1/token", clientId, secret,
                refreshToken).build();                                        // refresh-token grant; a rotated refresh token is kept
        // end::auth[]

        List<String> printed = Stream.of(staticBearer, apiKeyHeader, zendesk, salesforce, hubspotOAuth).map(String::valueOf).toList();
        for (String s : List.of(token, key, zendeskApiToken, secret, refreshToken)) {
            assertThat(printed).noneMatch(p -> p.contains(s));
        }
        assertThat(printed.get(3)).isEqualTo("OAuth2TokenSource[https://acme.my.salesforce.com/services/oauth2/token, client_credentials]");
    }

    @Test
    void the_readme_webhook_adapter_builds_with_two_secrets_for_its_endpoint() {
        String newSecret = "whsec-readme-new-0123456789";
        String oldSecret = "whsec-readme-old-0123456789";

        // tag::webhook[]
        CrmAdapter webhook = WebhookAdapter.builder(CrmHttpClient.builder("webhook").build())
                .endpoint("https://crm.example.com/hooks/handoff")      // one or more; all must answer 2xx
                .secret(newSecret).secret(oldSecret)                    // two while rotating
                .build();
        // end::webhook[]

        assertThat(webhook.name()).isEqualTo("webhook");
        assertThat(((WebhookAdapter) webhook).endpoints()).extracting(Object::toString)
                .containsExactly("https://crm.example.com/hooks/handoff");
    }

    private static void alert(OutboxEntry entry, String reason) {
        throw new AssertionError("compiled, not run");
    }
}
