package dev.handoff.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk on a real 2 MB tmpfs, then space freed: every acknowledged context survives a reopen, nothing partial
 * is left behind, nothing is set aside. Skips with the reason where mounting is not allowed (not root, no
 * CAP_SYS_ADMIN), under {@code CI=true} too: CI fails only when the mount worked and the test still cannot run.
 */
class DiskFullTest {

    @TempDir
    Path dir;

    @Test
    void a_full_disk_fails_the_write_rolls_back_and_after_space_is_freed_nothing_acknowledged_is_lost() throws Exception {
        String[] why = new String[1];
        try (Tmpfs fs = Tmpfs.mount(dir.resolve("small"), "2m", why)) {
            Assumptions.assumeTrue(fs != null, () -> "no tmpfs for the disk-full test: " + why[0]);
            Path file = fs.dir.resolve("contexts.journal");
            List<String> acked = new ArrayList<>();
            int refused = 0;
            try (FileContextStore store = FileContextStore.open(file)) {
                for (int i = 0; i < 5; i++) {
                    store.put(JournalRecoveryTest.context("ctx-before-" + i));
                    acked.add("ctx-before-" + i);
                }
                Path filler = fs.fill();
                for (int i = 0; i < 40 && refused < 3; i++) {
                    try {
                        store.put(JournalRecoveryTest.context("ctx-full-" + i));
                        acked.add("ctx-full-" + i); // it fitted in the file's last page
                    } catch (RetriableHandoffException e) {
                        refused++;
                    }
                }
                if (refused == 0) {
                    fail("the disk never filled up: 40 contexts were written on a full 2 MB tmpfs");
                }
                Files.delete(filler);
                for (int i = 0; i < 5; i++) {
                    store.put(JournalRecoveryTest.context("ctx-after-" + i));
                    acked.add("ctx-after-" + i);
                }
            }
            try (FileContextStore reopened = FileContextStore.open(file); Stream<Path> files = Files.list(fs.dir)) {
                assertThat(reopened.recovery().clean()).as("%s", reopened.recovery()).isTrue();
                assertThat(reopened.size()).isEqualTo(acked.size());
                for (String id : acked) {
                    assertThat(reopened.get(id)).as(id).isPresent();
                }
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("contexts.journal");
            }
        }
    }
}
