package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.testing.Tmpfs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox under a killed process and a full disk: nothing acknowledged is lost, nothing partial is replayed. */
class OutboxCrashTest {

    @TempDir
    Path dir;

    @Test
    void kill_9_during_concurrent_appends_and_acknowledgements_loses_nothing_acknowledged() throws Exception {
        Path outboxDir = dir.resolve("outbox");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OutboxChild.class.getName(),
                outboxDir.toString(), "4").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> appended = new LinkedHashSet<>();
        Set<String> acknowledged = new LinkedHashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (appended.size() < 80 && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    appended.add(line.substring(4));
                } else if (line.startsWith("done ")) {
                    acknowledged.add(line.substring(5));
                }
            }
            child.destroyForcibly(); // SIGKILL while four threads are still writing
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(appended).hasSize(80);
        try (FileOutbox reopened = FileOutbox.open(outboxDir)) {
            Set<String> pending = new LinkedHashSet<>();
            reopened.pending().forEach(e -> pending.add(e.contextId()));
            for (String id : appended) {
                if (acknowledged.contains(id)) {
                    assertThat(pending).as("acknowledged %s must not come back", id).doesNotContain(id);
                } else if (!beingAcknowledged(id)) {
                    assertThat(pending).as("appended %s must be pending", id).contains(id);
                }
            }
            assertThat(reopened.recovery().damaged()).isZero();
            assertThat(reopened.recovery().rejected()).isZero();
        }
    }

    /** The child acknowledges every odd push; one killed between its append and its acknowledgement may be either. */
    private static boolean beingAcknowledged(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 2 == 1;
    }

    @Test
    void a_full_disk_then_freed_space_loses_no_push_and_leaves_nothing_partial() throws Exception {
        String[] why = new String[1];
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("small"), "2m", why)) {
            Assumptions.assumeTrue(fs != null, () -> "no tmpfs for the disk-full test: " + why[0]);
            Path outboxDir = fs.dir.resolve("outbox");
            List<String> acked = new ArrayList<>();
            int refused = 0;
            try (FileOutbox outbox = FileOutbox.open(outboxDir)) {
                for (int i = 0; i < 5; i++) {
                    outbox.append("webhook", "webhook:ctx-before-" + i, FileOutboxTest.context("ctx-before-" + i));
                    acked.add("ctx-before-" + i);
                }
                Path filler = fs.fill();
                for (int i = 0; i < 40 && refused < 3; i++) {
                    try {
                        outbox.append("webhook", "webhook:ctx-full-" + i, FileOutboxTest.context("ctx-full-" + i));
                        acked.add("ctx-full-" + i); // it fitted in the file's last page
                    } catch (RetriableHandoffException e) {
                        refused++;
                    }
                }
                if (refused == 0) {
                    fail("the disk never filled up: 40 pushes were written on a full 2 MB tmpfs");
                }
                Files.delete(filler);
                for (int i = 0; i < 5; i++) {
                    outbox.append("webhook", "webhook:ctx-after-" + i, FileOutboxTest.context("ctx-after-" + i));
                    acked.add("ctx-after-" + i);
                }
            }
            try (FileOutbox reopened = FileOutbox.open(outboxDir); Stream<Path> files = Files.list(outboxDir)) {
                assertThat(reopened.recovery().clean()).as("%s", reopened.recovery()).isTrue();
                assertThat(reopened.pending()).extracting(OutboxEntry::contextId).containsExactlyElementsOf(acked);
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(FileOutbox.JOURNAL, FileOutbox.DEAD_LETTERS,
                        "outbox.lock");
            }
        }
    }
}
