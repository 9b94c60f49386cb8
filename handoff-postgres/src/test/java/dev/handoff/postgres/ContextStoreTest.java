package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContextStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:05:20Z");
    private static HikariDataSource db;
    private static final ManualTime CLOCK = new ManualTime(T0);
    private static PostgresHandoffStores acme;
    private static PostgresHandoffStores globex;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("context_store", 4);
        acme = PostgresHandoffStores.builder(db).tenant("acme").clock(CLOCK).retention(Duration.ofDays(30)).build();
        globex = PostgresHandoffStores.builder(db).tenant("globex").clock(CLOCK).build();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void a_signed_context_comes_back_byte_for_byte_and_still_verifies() {
        ContextSigner signer = new ContextSigner(SigningKeys.of("k-1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)),
                CLOCK);
        HandoffContext signed = signer.sign(Contexts.context("ctx-signed", "s-signed", "cus-1", T0));

        acme.contextStore().put(signed);
        HandoffContext back = acme.contextStore().get("ctx-signed").orElseThrow();

        assertThat(ContextJson.get().write(back)).isEqualTo(ContextJson.get().write(signed));
        assertThat(signer.verify(back)).isEqualTo(signed);
    }

    @Test
    void latest_is_the_newest_by_packaging_time_not_by_write_order() {
        acme.contextStore().put(Contexts.context("ctx-late", "s-latest", "cus-2", T0.plusSeconds(60)));
        acme.contextStore().put(Contexts.context("ctx-early", "s-latest", "cus-2", T0));

        assertThat(acme.contextStore().latest(SessionId.of("s-latest"))).get().extracting(HandoffContext::contextId).isEqualTo("ctx-late");
        assertThat(acme.contextStore().latest(SessionId.of("s-none"))).isEmpty();
        assertThat(acme.contextStore().get("ctx-none")).isEmpty();
    }

    @Test
    void putting_the_same_context_id_again_replaces_it() {
        acme.contextStore().put(Contexts.context("ctx-again", "s-again-1", "cus-3", T0));
        acme.contextStore().put(Contexts.context("ctx-again", "s-again-2", "cus-3", T0));

        assertThat(acme.contextStore().get("ctx-again")).get().extracting(HandoffContext::sessionId).isEqualTo(SessionId.of("s-again-2"));
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.contexts WHERE context_id = 'ctx-again'")).isEqualTo(1);
    }

    @Test
    void another_tenant_cannot_read_a_context_by_id_or_by_session() {
        acme.contextStore().put(Contexts.context("ctx-shared-id", "s-shared", "cus-acme", T0));
        globex.contextStore().put(Contexts.context("ctx-other", "s-other", "cus-globex", T0));

        assertThat(globex.contextStore().get("ctx-shared-id")).isEmpty();
        assertThat(globex.contextStore().latest(SessionId.of("s-shared"))).isEmpty();
        assertThat(acme.contextStore().get("ctx-other")).isEmpty();

        // the same ids in both tenants are two separate documents
        globex.contextStore().put(Contexts.context("ctx-shared-id", "s-shared", "cus-globex", T0));
        assertThat(acme.contextStore().get("ctx-shared-id")).get().extracting(c -> c.customer().customerId()).isEqualTo("cus-acme");
        assertThat(globex.contextStore().get("ctx-shared-id")).get().extracting(c -> c.customer().customerId()).isEqualTo("cus-globex");
    }

    @Test
    void a_context_past_its_retention_is_not_returned_even_before_it_is_purged() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores shortLived = PostgresHandoffStores.builder(db).tenant("short").clock(clock).retention(Duration.ofHours(1)).build();
        shortLived.contextStore().put(Contexts.context("ctx-short", "s-short", "cus-short", T0));

        clock.advance(Duration.ofMinutes(59));
        assertThat(shortLived.contextStore().get("ctx-short")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(shortLived.contextStore().get("ctx-short")).isEmpty();
        assertThat(shortLived.contextStore().latest(SessionId.of("s-short"))).isEmpty();
    }

    @Test
    void storing_a_context_links_its_session_to_the_customer() {
        acme.contextStore().put(Contexts.context("ctx-link", "s-link", "cus-link", T0));

        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.customer_sessions WHERE tenant_id = 'acme'"
                + " AND customer_id = 'cus-link' AND session_id = 's-link'")).isEqualTo(1);
    }
}
