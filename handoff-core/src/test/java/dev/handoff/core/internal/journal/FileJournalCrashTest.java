package dev.handoff.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.store.Recovery;
import java.time.Clock;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalCrashTest {

    @TempDir
    Path dir;

    static final FileJournal.Options PLAIN = new FileJournal.Options("test", null, Clock.systemUTC());

    private static List<String> payloads(Path file) {
        List<String> out = new ArrayList<>();
        FileJournal.open(file, PLAIN, b -> out.add(new String(b, StandardCharsets.UTF_8))).close();
        return out;
    }

    @Test
    void every_acknowledged_context_survives_a_child_jvm_killed_mid_write() throws Exception {
        Path file = dir.resolve("contexts.journal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JournalChild.class.getName(),
                file.toString(), "20000")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < 40 && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked.add(line.substring(4));
                }
            }
            // kill -9 while the child is still appending
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (FileContextStore reopened = FileContextStore.open(file)) {
            assertThat(acked).hasSize(40);
            for (String id : acked) {
                assertThat(reopened.get(id)).as(id).isPresent();
            }
            int stored = reopened.size();
            for (int i = 0; i < stored; i++) {
                assertThat(reopened.get("ctx-child-" + i)).as("record %d of %d", i, stored).isPresent();
            }
            assertThat(stored).isGreaterThanOrEqualTo(40);
            assertThat(reopened.recovery().records()).isEqualTo(stored);
        }
    }

    @Test
    void a_torn_last_record_is_cut_and_every_complete_record_kept() throws Exception {
        Path file = dir.resolve("torn.journal");
        try (FileJournal j = FileJournal.open(file, PLAIN, b -> { })) {
            j.append("one".getBytes(StandardCharsets.UTF_8));
            j.append("two".getBytes(StandardCharsets.UTF_8));
        }
        long clean = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            // the frame header of a 100-byte record, then only 10 bytes of it: the writer died mid-record
            ch.write(ByteBuffer.allocate(13).put(new byte[] {(byte) 0xFF, 0x48, 0x4A, 0x52}).putInt(100).put((byte) 0).putInt(12345).flip());
            ch.write(ByteBuffer.wrap("partial-re".getBytes(StandardCharsets.UTF_8)));
        }

        List<String> recovered = new ArrayList<>();
        try (FileJournal j = FileJournal.open(file, PLAIN, b -> recovered.add(new String(b, StandardCharsets.UTF_8)))) {
            assertThat(recovered).containsExactly("one", "two");
            assertThat(j.recovery()).isEqualTo(new Recovery(2, 0, 0, 23, null));
            assertThat(Files.size(file)).isEqualTo(clean);
            j.append("three".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(payloads(file)).containsExactly("one", "two", "three");
    }

    @Test
    void a_last_record_with_a_bad_checksum_is_set_aside_not_trusted() throws Exception {
        Path file = dir.resolve("crc.journal");
        try (FileJournal j = FileJournal.open(file, PLAIN, b -> { })) {
            j.append("alpha".getBytes(StandardCharsets.UTF_8));
            j.append("bravo".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01; // flip one bit of "bravo"
        Files.write(file, bytes);

        assertThat(payloads(file)).containsExactly("alpha");
    }

    @Test
    void a_header_torn_while_creating_the_file_starts_a_fresh_journal() throws Exception {
        Path file = dir.resolve("new.journal");
        Files.write(file, "HOJ".getBytes(StandardCharsets.US_ASCII));

        assertThat(payloads(file)).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo("HOJRNL02".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void a_file_that_is_not_a_journal_is_refused_and_left_alone() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "shopping list: milk");

        assertThatThrownBy(() -> FileJournal.open(file, PLAIN, b -> { }))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("file " + file + " is not a Handoff journal (header shopping, expected HOJRNL02)");
        assertThat(Files.readString(file)).isEqualTo("shopping list: milk");
    }

    @Test
    void a_file_shorter_than_a_header_that_is_not_a_torn_one_is_refused_and_left_alone() throws Exception {
        Path file = dir.resolve("short.txt");
        Files.writeString(file, "hello");

        assertThatThrownBy(() -> FileJournal.open(file, PLAIN, b -> { }))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("file " + file + " is not a Handoff journal (header hello, expected HOJRNL02)");
        assertThat(Files.readString(file)).isEqualTo("hello");
    }

    @Test
    void a_journal_cannot_be_opened_twice() {
        Path file = dir.resolve("locked.journal");
        try (FileJournal first = FileJournal.open(file, PLAIN, b -> { })) {
            assertThatThrownBy(() -> FileJournal.open(file, PLAIN, b -> { }))
                    .isInstanceOf(NonRetriableHandoffException.class)
                    .hasMessage("journal " + file + " is already open in another process or store");
        }
        assertThat(new File(file.toString())).exists();
    }
}
