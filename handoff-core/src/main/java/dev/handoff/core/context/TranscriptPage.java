package dev.handoff.core.context;

import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import java.util.List;
import java.util.Objects;

/**
 * One page of a context's transcript, for destinations that received a summary.
 *
 * @param contextId  the context
 * @param page       0-based page number
 * @param pageSize   turns per page
 * @param totalTurns turns in the transcript
 * @param totalPages pages in the transcript
 * @param turns      this page's turns, oldest first
 */
public record TranscriptPage(String contextId, int page, int pageSize, int totalTurns, int totalPages, List<Turn> turns) {

    /**
     * Checks the components and copies {@code turns}.
     *
     * @param contextId  the context
     * @param page       0-based page number
     * @param pageSize   turns per page
     * @param totalTurns turns in the transcript
     * @param totalPages pages in the transcript
     * @param turns      this page's turns, oldest first
     * @throws NullPointerException when {@code contextId} is null
     */
    public TranscriptPage {
        Objects.requireNonNull(contextId, "contextId");
        turns = List.copyOf(turns);
    }

    /**
     * A page of the transcript.
     *
     * @param context  the full context (redeemed with its ticket)
     * @param page     0-based page number, counted from the oldest turns
     * @param pageSize turns per page, at least 1
     * @return the page
     * @throws IllegalArgumentException naming the value when the page size is under 1 or the page is out of range
     */
    public static TranscriptPage of(HandoffContext context, int page, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
        }
        int total = context.transcript().size();
        int pages = Math.max(1, (total + pageSize - 1) / pageSize);
        if (page < 0 || page >= pages) {
            throw new IllegalArgumentException("page must be in 0.." + (pages - 1) + " for context " + context.contextId() + ", was " + page);
        }
        int from = page * pageSize;
        return new TranscriptPage(context.contextId(), page, pageSize, total, pages,
                context.transcript().subList(from, Math.min(total, from + pageSize)));
    }
}
