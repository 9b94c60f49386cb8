package dev.handoff.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.store.Recovery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one recovery rule, the file permissions and encryption at rest, on the journal every store uses. */
class JournalRecoveryTest {

    @TempDir
    Path dir;

    private static final FileJournal.Options PLAIN = FileJournalCrashTest.PLAIN;

    static HandoffContext context(String id) {
        return dev.handoff.core.store.GoldenContext.withId(id);
    }

    private static List<String> open(Path file, FileJournal.Options options, List<Recovery> recovery) {
        List<String> out = new ArrayList<>();
        try (FileJournal j = FileJournal.open(file, options, b -> out.add(new String(b, StandardCharsets.UTF_8)))) {
            recovery.add(j.recovery());
        }
        return out;
    }

    private static long[] tenRecords(Path file) {
        long[] starts = new long[11];
        try (FileJournal j = FileJournal.open(file, PLAIN, b -> { })) {
            for (int i = 0; i < 10; i++) {
                starts[i] = j.size();
                j.append(("record-" + i + "-" + "x".repeat(40)).getBytes(StandardCharsets.UTF_8));
            }
            starts[10] = j.size();
        }
        return starts;
    }

    static Stream<int[]> everyRecordAndEveryPartOfIt() {
        // record index, offset inside the frame: marker, length, flags, checksum, first and last payload byte
        return IntStream.range(0, 10).boxed().flatMap(r -> IntStream.of(0, 3, 5, 8, 10, 14, 20).mapToObj(o -> new int[] {r, o}));
    }

    @ParameterizedTest(name = "bit flipped in record {0}")
    @MethodSource("everyRecordAndEveryPartOfIt")
    void one_flipped_bit_loses_only_its_own_record_which_is_set_aside_for_an_operator(int[] at) throws IOException {
        Path file = dir.resolve("ten.journal");
        long[] starts = tenRecords(file);
        byte[] bytes = Files.readAllBytes(file);
        long flipAt = at[1] == 20 ? starts[at[0] + 1] - 1 : starts[at[0]] + at[1];
        bytes[(int) flipAt] ^= 0x10;
        Files.write(file, bytes);

        List<Recovery> recovery = new ArrayList<>();
        List<String> kept = open(file, PLAIN, recovery);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            if (i != at[0]) {
                expected.add("record-" + i + "-" + "x".repeat(40));
            }
        }
        assertThat(kept).containsExactlyElementsOf(expected);
        Recovery r = recovery.get(0);
        assertThat(r.records()).isEqualTo(9);
        long frame = starts[at[0] + 1] - starts[at[0]];
        if (r.tornBytes() > 0) {
            // the last record with its length hit reads as a write that did not finish: cut, as a torn write is
            assertThat(at[0]).isEqualTo(9);
            assertThat(r.tornBytes()).isEqualTo(frame);
        } else {
            assertThat(r.damaged()).isEqualTo(1);
            assertThat(Files.readAllBytes(r.setAside())).hasSize((int) frame);
        }
        // the journal was rewritten without the damage: the next open is clean and appends continue
        List<Recovery> again = new ArrayList<>();
        assertThat(open(file, PLAIN, again)).containsExactlyElementsOf(expected);
        assertThat(again.get(0).clean()).isTrue();
    }

    @Test
    void a_record_that_is_not_a_valid_context_is_set_aside_and_never_blocks_the_store_from_opening() throws IOException {
        Path file = dir.resolve("contexts.journal");
        try (FileJournal j = FileJournal.open(file, new FileJournal.Options("handoff.contexts", null, Clock.systemUTC()), b -> { })) {
            j.append(ContextJson.get().write(context("ctx-a")));
            j.append("{\"schema\":\"handoff.context/v1\",\"contextId\":\"ctx-bad\"}".getBytes(StandardCharsets.UTF_8));
            j.append(ContextJson.get().write(context("ctx-b")));
        }

        try (FileContextStore store = FileContextStore.open(file)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.get("ctx-b")).isPresent();
            assertThat(store.recovery().rejected()).isEqualTo(1);
            assertThat(Files.readString(store.recovery().setAside(), StandardCharsets.ISO_8859_1)).contains("ctx-bad");
        }
    }

    @Test
    void put_validates_before_writing() {
        HandoffContext invalid = new HandoffContext("handoff.context/v0", "ctx-v0", context("x").sessionId(), context("x").channel(),
                context("x").createdAt(), context("x").transcript(), null, context("x").customer(), null, context("x").metadata(),
                context("x").semanticLedger(), context("x").sentiment(), List.of(), context("x").whisper(), context("x").tone(),
                context("x").compliance(), null, null);
        try (FileContextStore store = FileContextStore.open(dir.resolve("c.journal"))) {
            assertThatThrownBy(() -> store.put(invalid)).isInstanceOf(dev.handoff.api.ValidationException.class);
            assertThat(store.size()).isZero();
        }
        try (FileContextStore reopened = FileContextStore.open(dir.resolve("c.journal"))) {
            assertThat(reopened.recovery().clean()).isTrue();
            assertThat(reopened.size()).isZero();
        }
    }

    @Test
    void files_are_owner_only_in_an_owner_only_directory_and_a_shared_directory_is_refused() throws IOException {
        Path store = dir.resolve("state").resolve("contexts.journal");
        try (FileContextStore s = FileContextStore.open(store)) {
            s.put(context("ctx-1"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.getParent()))).isEqualTo("rwx------");

        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> FileContextStore.open(shared.resolve("contexts.journal")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("directory " + shared + " is rwxr-xr-x; Handoff's data files (they hold customer data"
                        + " and ids) must be in a directory only the owner can open (rwx------): run chmod 700 on it or choose another directory");
        assertThat(shared.resolve("contexts.journal")).doesNotExist();
    }

    @Test
    void encrypted_at_rest_with_key_ids_and_rotation() throws IOException {
        Path file = dir.resolve("sealed.journal");
        AtRestKeys k1 = AtRestKeys.of("k1", new byte[32]);
        byte[] second = new byte[32];
        second[0] = 7;
        try (FileContextStore s = FileContextStore.open(file, k1, Clock.systemUTC())) {
            s.put(context("ctx-secret"));
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("ctx-secret", "Acme Logistics");

        assertThatThrownBy(() -> FileContextStore.open(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at-rest key id \"k1\"");
        AtRestKeys rotated = k1.rotateTo("k2", second);
        try (FileContextStore s = FileContextStore.open(file, rotated, Clock.systemUTC())) {
            assertThat(s.get("ctx-secret")).isPresent();
            s.put(context("ctx-two"));
        }
        // the open under k2 re-sealed the old record: k1 can go
        try (FileContextStore s = FileContextStore.open(file, rotated.retire("k1"), Clock.systemUTC())) {
            assertThat(s.get("ctx-secret")).isPresent();
            assertThat(s.get("ctx-two")).isPresent();
            assertThat(s.recovery().clean()).isTrue();
        }
        assertThat(k1.toString()).isEqualTo("AtRestKeys[current=k1, ids=[k1]]");
    }
}
