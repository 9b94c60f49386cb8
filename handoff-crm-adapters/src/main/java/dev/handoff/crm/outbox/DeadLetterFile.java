package dev.handoff.crm.outbox;

import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.DeadLetter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The dead-letter journal of a {@link FileOutbox}: every push the CRM refused for good, with its context and the
 * reason, kept until it is erased or its retention passes. Not thread-safe: the outbox's lock guards it.
 */
final class DeadLetterFile implements AutoCloseable {

    private final FileJournal journal;
    private final List<DeadLetter> letters = new ArrayList<>();

    DeadLetterFile(Path file, AtRestKeys keys, Clock clock) {
        this.journal = FileJournal.open(file, new FileJournal.Options("handoff.dead-letters", keys, clock),
                bytes -> letters.add(OutboxRecords.deadLetter(bytes)));
    }

    /** Writes the letter (forced to disk), then keeps it. */
    void add(DeadLetter letter) {
        journal.append(OutboxRecords.deadLine(letter));
        letters.add(letter);
    }

    /** Every letter, oldest first. */
    List<DeadLetter> all() {
        return List.copyOf(letters);
    }

    /**
     * Removes the letters {@code drop} matches, rewriting the journal without them first (nothing changes when the
     * rewrite fails).
     *
     * @return how many were removed
     */
    long removeIf(Predicate<DeadLetter> drop) {
        List<DeadLetter> kept = letters.stream().filter(drop.negate()).toList();
        int removed = letters.size() - kept.size();
        if (removed > 0) {
            journal.rewrite(kept.stream().map(OutboxRecords::deadLine).toList());
            letters.retainAll(kept);
        }
        return removed;
    }

    @Override
    public void close() {
        journal.close();
    }
}
