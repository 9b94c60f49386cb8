package dev.handoff.core.store;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContextStoreRetentionTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final ManualTime clock = new ManualTime(T);

    @Test
    void a_context_past_the_retention_is_not_read_and_opening_the_file_removes_it_from_the_disk() throws Exception {
        Path file = dir.resolve("contexts.journal");
        try (FileContextStore store = FileContextStore.open(file, null, clock, HOUR)) {
            store.put(GoldenContext.withId("ctx-old", T.minus(Duration.ofMinutes(61))));
            store.put(GoldenContext.withId("ctx-new", T));

            assertThat(store.get("ctx-old")).isEmpty();
            assertThat(store.get("ctx-new")).isPresent();
        }
        assertThat(text(file)).contains("ctx-old");

        try (FileContextStore reopened = FileContextStore.open(file, null, clock, HOUR)) {
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.get("ctx-new")).isPresent();
        }
        assertThat(text(file)).as("the expired transcript is gone from the file").doesNotContain("ctx-old").contains("ctx-new");
    }

    @Test
    void purge_rewrites_the_file_without_the_expired_contexts_and_keeps_the_rest_readable() throws Exception {
        Path file = dir.resolve("contexts.journal");
        try (FileContextStore store = FileContextStore.open(file, null, clock, HOUR)) {
            store.put(GoldenContext.withId("ctx-a", T));
            store.put(GoldenContext.withId("ctx-b", T.plus(Duration.ofMinutes(30))));
            clock.advance(Duration.ofMinutes(61));

            assertThat(store.purgeExpired()).isEqualTo(1);
            assertThat(store.purgeExpired()).as("nothing left to remove").isZero();
            assertThat(text(file)).doesNotContain("ctx-a");
            assertThat(store.get("ctx-b")).isPresent();
        }
        try (FileContextStore all = FileContextStore.open(file)) {
            assertThat(all.size()).isEqualTo(1);
            assertThat(all.get("ctx-b").map(c -> ContextJson.get().write(c)))
                    .as("the kept context is rewritten byte for byte")
                    .hasValueSatisfying(b -> assertThat(b).isEqualTo(ContextJson.get().write(GoldenContext.withId("ctx-b", T.plus(Duration.ofMinutes(30))))));
        }
    }

    @Test
    void the_file_stays_bounded_by_the_retention_window_without_a_purge_call() throws Exception {
        Path file = dir.resolve("contexts.journal");
        try (FileContextStore store = FileContextStore.open(file, null, clock, HOUR)) {
            for (int i = 0; i < 1_000; i++) {
                store.put(GoldenContext.withId("ctx-" + i, clock.instant()));
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(store.get("ctx-999")).isPresent();
            assertThat(store.get("ctx-900")).isEmpty();
        }
        try (FileContextStore all = FileContextStore.open(file)) {   // no retention: counts every record in the file
            assertThat(all.size()).as("records in the file: under twice the 60 live ones plus 64, not 1,000").isLessThan(2 * 60 + 64);
        }
    }

    @Test
    void a_put_that_starts_a_failing_rewrite_still_succeeds_and_the_next_check_removes_the_expired_contexts() throws Exception {
        Path file = dir.resolve("contexts.journal");
        Path blocker = Files.createDirectories(dir.resolve("contexts.journal.tmp").resolve("in-the-way"));   // the rewrite's temp file
        try (FileContextStore store = FileContextStore.open(file, null, clock, HOUR)) {
            for (int i = 0; i < 64; i++) {   // the 64th put counts the stale records and starts a rewrite, which fails
                store.put(GoldenContext.withId("ctx-expired-" + i, T.minus(Duration.ofHours(2))));
            }
            store.put(GoldenContext.withId("ctx-live", T));

            assertThat(store.get("ctx-live")).isPresent();
            assertThat(text(file)).contains("ctx-expired-0");

            Files.delete(blocker);
            Files.delete(blocker.getParent());
            for (int i = 64; i < 127; i++) {
                store.put(GoldenContext.withId("ctx-expired-" + i, T.minus(Duration.ofHours(2))));
            }
            assertThat(text(file)).as("the 128th put's check rewrote the file").doesNotContain("ctx-expired-").contains("ctx-live");
        }
    }

    @Test
    void a_retention_that_is_not_positive_is_refused_with_the_value() {
        assertThatThrownBy(() -> FileContextStore.open(dir.resolve("c.journal"), null, clock, Duration.ofMinutes(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive, was PT-5M");
    }

    @Test
    void without_a_retention_every_context_is_kept() throws Exception {
        Path file = dir.resolve("contexts.journal");
        try (FileContextStore store = FileContextStore.open(file, null, clock)) {
            store.put(GoldenContext.withId("ctx-ancient", T.minus(Duration.ofDays(400))));
            assertThat(store.purgeExpired()).isZero();
            assertThat(store.get("ctx-ancient")).isPresent();
        }
    }

    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }
}
