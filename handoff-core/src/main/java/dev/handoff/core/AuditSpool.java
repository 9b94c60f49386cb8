package dev.handoff.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.AtRestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that keeps the audit records a sink failed to take across a restart ({@link Handoff.Builder#auditSpool}).
 * A {@link FileJournal} (owner-only, forced on every write, the one recovery rule, optionally sealed at rest) of two
 * kinds of entries: records kept, and how many of the oldest kept records were since written. Opening replays both
 * and rewrites the file as one entry of what is still to be written; when nothing is, the file is emptied.
 *
 * <p>Used by {@link Audit} under its lock, so entries are in the order the records were kept. A write that fails
 * (a full disk) puts the spool out of step: it is not written again until every kept record is written, when it is
 * emptied and in step again; meanwhile the records are kept in memory only, as without a spool.
 */
final class AuditSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSpool.class);
    private static final ObjectMapper MAPPER = ContextJson.newMapper();
    static final String PURPOSE = "handoff.audit-spool";
    /** Records per entry when the file is rewritten on open (one entry of a million records would pass a frame's limit). */
    static final int RECORDS_PER_ENTRY = 1_000;

    /** One spool entry: records kept, or how many of the oldest kept records were written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(@Nullable List<AuditRecord> kept, @Nullable Integer written) {
        Entry {
            if ((kept == null) == (written == null)) {
                throw new IllegalArgumentException("an audit spool entry holds either kept records or a written count");
            }
            if (written != null && written < 1) {
                throw new IllegalArgumentException("written must be at least 1, was " + written);
            }
        }
    }

    private final FileJournal journal;
    /** Until {@link #takePending}. */
    private List<AuditRecord> pending;
    /** False after a write failed, until every kept record is written and the file emptied. */
    private boolean inStep = true;

    private AuditSpool(FileJournal journal, List<AuditRecord> pending) {
        this.journal = journal;
        this.pending = pending;
    }

    /**
     * Opens (creating if missing) the spool; what it holds is given by {@link #takePending()}.
     *
     * @throws dev.handoff.api.ConfigurationException       when its directory is not private to this user
     * @throws dev.handoff.api.NonRetriableHandoffException when the file is not a journal, or another Handoff has it open
     * @throws UncheckedIOException                          when it cannot be read or written
     */
    static AuditSpool open(Path file, @Nullable AtRestKeys keys, Clock clock) {
        ArrayDeque<AuditRecord> replayed = new ArrayDeque<>();
        FileJournal journal = FileJournal.open(file, new FileJournal.Options(PURPOSE, keys, clock), bytes -> {
            Entry e = read(bytes);   // an entry that does not parse is set aside by the journal, never stops the open
            if (e.kept() != null) {
                replayed.addAll(e.kept());
            } else {
                for (int i = Math.min(e.written(), replayed.size()); i > 0; i--) {
                    replayed.removeFirst();
                }
            }
        });
        List<AuditRecord> pending = new ArrayList<>(replayed);
        try {
            List<byte[]> entries = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += RECORDS_PER_ENTRY) {
                entries.add(bytes(new Entry(pending.subList(i, Math.min(pending.size(), i + RECORDS_PER_ENTRY)), null)));
            }
            journal.rewrite(entries);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        if (!pending.isEmpty()) {
            LOG.info("Audit spool {} holds {} record(s) the audit sink has not taken yet; writing them", file, pending.size());
        }
        return new AuditSpool(journal, pending);
    }

    /** The records the spool held when opened, oldest first; the spool forgets them (they are the caller's now). */
    List<AuditRecord> takePending() {
        List<AuditRecord> p = pending;
        pending = List.of();
        return p;
    }

    Path file() {
        return journal.file();
    }

    /** Notes records kept for the sink, behind those already kept. Never throws. */
    void kept(List<AuditRecord> records) {
        if (inStep) {
            write(new Entry(List.copyOf(records), null));
        }
    }

    /** Notes that the {@code n} oldest kept records are done with; {@code left} are still kept. Never throws. */
    void written(int n, int left) {
        if (left == 0) {
            try {
                journal.rewrite(List.of());
                if (!inStep) {
                    LOG.info("Audit spool {} is in step again", journal.file());
                }
                inStep = true;
            } catch (RuntimeException e) {
                outOfStep(e);
            }
        } else if (inStep) {
            write(new Entry(null, n));
        }
    }

    /** Whether every record kept since the last time nothing was kept is in the file. */
    boolean inStep() {
        return inStep;
    }

    private void write(Entry entry) {
        try {
            journal.append(bytes(entry));
        } catch (RuntimeException e) {
            outOfStep(e);
        }
    }

    private void outOfStep(RuntimeException e) {
        if (inStep) {
            LOG.error("Audit spool {} cannot be written ({}); audit records the sink has not taken are kept in memory only "
                    + "until it takes them all", journal.file(), e.getMessage());
        }
        inStep = false;
    }

    @Override
    public void close() {
        journal.close();
    }

    private static byte[] bytes(Entry e) {
        try {
            return MAPPER.writeValueAsBytes(e);
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write an audit spool entry", x);
        }
    }

    private static Entry read(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, Entry.class);
        } catch (IOException x) {
            throw new UncheckedIOException("not an audit spool entry", x);
        }
    }
}
