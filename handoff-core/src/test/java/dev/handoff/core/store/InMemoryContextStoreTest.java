package dev.handoff.core.store;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.context.HandoffContext;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryContextStoreTest {

    private final ManualTime clock = new ManualTime(Instant.parse("2026-12-03T10:00:00Z"));
    private final InMemoryContextStore store = new InMemoryContextStore(Duration.ofHours(1), clock);

    @Test
    void a_context_is_read_within_its_retention_and_forgotten_after_it() {
        HandoffContext first = GoldenContext.withId("ctx-first");
        store.put(first);
        clock.advance(Duration.ofMinutes(59));

        assertThat(store.get("ctx-first")).contains(first);
        assertThat(store.latest(first.sessionId())).contains(first);

        clock.advance(Duration.ofMinutes(1));

        assertThat(store.get("ctx-first")).as("past its retention, before any write dropped it").isEmpty();
        assertThat(store.latest(first.sessionId())).isEmpty();
    }

    @Test
    void later_writes_release_the_expired_contexts_so_memory_follows_the_retention_window() {
        for (int i = 0; i < 1_000; i++) {
            store.put(GoldenContext.withId("ctx-old-" + i));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(store.size()).isEqualTo(1_000);

        clock.advance(Duration.ofHours(1));
        store.put(GoldenContext.withId("ctx-new"));

        assertThat(store.size()).as("only the context stored within the last hour is held").isEqualTo(1);
        assertThat(store.get("ctx-new")).isPresent();
        assertThat(store.get("ctx-old-999")).isEmpty();
    }

    @Test
    void a_context_stored_again_is_kept_for_a_whole_retention_from_the_second_write() {
        HandoffContext c = GoldenContext.withId("ctx-again");
        store.put(c);
        clock.advance(Duration.ofMinutes(45));
        store.put(c);
        clock.advance(Duration.ofMinutes(30));
        store.put(GoldenContext.withId("ctx-other"));   // drops the first write's entry, not the second's

        assertThat(store.get("ctx-again")).contains(c);
    }

    @Test
    void a_retention_that_is_not_positive_is_refused_with_the_value() {
        assertThatThrownBy(() -> new InMemoryContextStore(Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be positive, was PT0S");
    }
}
