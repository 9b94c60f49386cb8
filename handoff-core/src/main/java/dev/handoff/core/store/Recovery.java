package dev.handoff.core.store;

import org.jspecify.annotations.Nullable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What opening a durable file found. The one recovery rule of every Handoff journal (contexts, commitment ledger,
 * CRM outbox, dead letters): a torn tail (the last write, cut by a crash, never acknowledged) is cut off; damaged
 * bytes followed by valid records, and records that decode but fail validation, are set aside in a file kept for
 * an operator, and reading goes on at the next valid record; opening never stops at damage.
 *
 * @param records    records read and kept
 * @param damaged    stretches of damaged bytes set aside (a flipped bit, an overwritten block)
 * @param rejected   records that were intact but invalid (not a context, not an outbox entry), set aside
 * @param tornBytes  bytes of a torn last write that were cut off (0 after a clean shutdown)
 * @param setAside   nullable; the file the damaged and rejected bytes were copied to
 */
public record Recovery(int records, int damaged, int rejected, long tornBytes, @Nullable Path setAside) {

    /**
     * Nothing found: a new or cleanly closed file.
     *
     * @return true when nothing was damaged, rejected or torn
     */
    public boolean clean() {
        return damaged == 0 && rejected == 0 && tornBytes == 0;
    }

    /**
     * The file kept for an operator, when anything was set aside.
     *
     * @return the set-aside file, or empty when nothing was set aside
     */
    public Optional<Path> setAsideFile() {
        return Optional.ofNullable(setAside);
    }
}
