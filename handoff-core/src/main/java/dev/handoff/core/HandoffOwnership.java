package dev.handoff.core;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Channel;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import dev.handoff.api.event.HandoffEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Who drives each running handoff when several instances share one contact centre: the runtime reports every
 * handoff it starts, each phase it reaches and its outcome; an implementation that shares this record (the
 * PostgreSQL one in handoff-postgres: a lease per handoff, renewed by heartbeat, every write fenced) tells the runtime
 * when this instance {@linkplain Host#lost lost} a handoff to another, and hands it handoffs whose owner died
 * ({@linkplain Host#adopt adopt}), so a customer is never left in silence and never has two owners.
 *
 * <p>The default, {@link #local()}, does nothing: every handoff lives and dies with its process.
 *
 * <p>Threading: {@link #started}, {@link #moved} and {@link #finished} are called on the runtime's worker threads
 * (and on the bot's thread for {@code started}) while a handoff runs; they must return at once (an implementation
 * that writes to a database queues the write for its own thread). {@link #attach} is called once when the
 * {@link Handoff} is built, {@link #close} once when it is closed. Implementations are thread-safe.
 */
public interface HandoffOwnership {

    /**
     * A handoff that starts on this instance.
     *
     * @param handoffId   unique across instances ({@code h-<uuid>})
     * @param sessionId   the conversation
     * @param channel     chat or voice
     * @param requestedAt when the bot asked for it
     * @param waitUntil   when the customer's wait limit ends ({@link HandoffSettings#maxWait()} after the request)
     */
    record Started(String handoffId, SessionId sessionId, Channel channel, Instant requestedAt, Instant waitUntil) {
        /**
         * Checks the record.
         *
         * @param handoffId   unique across instances ({@code h-<uuid>})
         * @param sessionId   the conversation
         * @param channel     chat or voice
         * @param requestedAt when the bot asked for it
         * @param waitUntil   when the customer's wait limit ends ({@link HandoffSettings#maxWait()} after the request)
         * @throws NullPointerException when any component is null
         */
        public Started {
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(waitUntil, "waitUntil");
        }
    }

    /**
     * A handoff whose owner instance died, taken over by this one.
     *
     * @param handoffId   the handoff's id (kept: its events and records on this instance carry it)
     * @param sessionId   the conversation
     * @param channel     chat or voice
     * @param phase       the last phase its owner recorded (not final)
     * @param decision    what the bot decided (from the stored context, or a stand-in when it was never packaged)
     * @param contextId   nullable: the stored context, when the handoff got that far
     * @param ticket      nullable: the ticket that redeems it
     * @param requestedAt when the bot asked for it
     * @param waitUntil   when the customer's wait limit ends
     * @param attempt     nullable: an attempt that is still under way without its owner (an open chat offer) and may
     *                    still connect; without one the customer returns to the bot at once
     * @param reason      why it was taken over (ids and codes only), for the outcome and the log
     */
    record Adoption(String handoffId, SessionId sessionId, Channel channel, HandoffPhase phase, HandoffDecision decision,
                    @Nullable String contextId, @Nullable String ticket, Instant requestedAt, Instant waitUntil,
                    @Nullable CompletionStage<TransferResult> attempt, String reason) {
        /**
         * Checks the record.
         *
         * @param handoffId   the handoff's id (kept: its events and records on this instance carry it)
         * @param sessionId   the conversation
         * @param channel     chat or voice
         * @param phase       the last phase its owner recorded (not final)
         * @param decision    what the bot decided (from the stored context, or a stand-in when it was never packaged)
         * @param contextId   nullable: the stored context, when the handoff got that far
         * @param ticket      nullable: the ticket that redeems it
         * @param requestedAt when the bot asked for it
         * @param waitUntil   when the customer's wait limit ends
         * @param attempt     nullable: an attempt that is still under way without its owner (an open chat offer) and may
         *                    still connect; without one the customer returns to the bot at once
         * @param reason      why it was taken over (ids and codes only), for the outcome and the log
         * @throws NullPointerException     when a component other than {@code contextId}, {@code ticket} or
         *                                  {@code attempt} is null
         * @throws IllegalArgumentException when {@code phase} is final: an ended handoff has nothing to adopt
         */
        public Adoption {
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(waitUntil, "waitUntil");
            Objects.requireNonNull(reason, "reason");
            if (phase.isFinal()) {
                throw new IllegalArgumentException("handoff " + handoffId + " already ended (" + phase + "); nothing to adopt");
            }
        }
    }

    /** What the runtime offers an ownership implementation: its one scheduler, its workers, and two entry points. */
    interface Host {

        /**
         * The {@link Handoff}'s one scheduler: heartbeats and polls run here and hand real work to a thread of their
         * own.
         *
         * @return the scheduler
         */
        Scheduler scheduler();

        /**
         * The worker executor (short tasks only).
         *
         * @return the workers
         */
        Executor workers();

        /**
         * The Handoff's clock; leases and deadlines read it.
         *
         * @return the clock
         */
        Clock clock();

        /**
         * Another instance now owns this handoff (this one's lease ran out, or a fenced write was refused): the
         * runtime stops driving it and ends it here with {@link HandoffOutcome.Cause#OWNER_LOST}, without telling
         * {@link #finished} (the new owner decides the recorded outcome). Unknown ids are ignored.
         *
         * @param handoffId the handoff lost
         */
        void lost(String handoffId);

        /**
         * Continues a handoff whose owner died: opens its session here when none is open (with the transcript of
         * its stored context, so the conversation is known here and new turns continue its numbering), then waits for
         * {@link Adoption#attempt()} (within what is left of the wait limit) and ends {@code CONNECTED}, or returns
         * the customer to the bot with {@link HandoffOutcome.Cause#OWNER_LOST}; {@link #finished} is told either way.
         *
         * @param adoption the handoff as its owner last recorded it
         * @return the outcome, decided once
         */
        CompletableFuture<HandoffOutcome> adopt(Adoption adoption);

        /**
         * Publishes an event to this instance's listeners (for example a commitment deadline that another instance
         * shares).
         *
         * @param event the event
         */
        void publish(HandoffEvent event);
    }

    /**
     * Records a handoff that starts on this instance, owned by it. Called by the runtime on a worker thread. Must
     * return at once.
     *
     * @param handoff the handoff
     */
    void started(Started handoff);

    /**
     * The handoff reached {@code phase}. Called by the runtime on a worker thread. Must return at once.
     *
     * @param handoffId the handoff
     * @param phase     the phase it entered
     * @param contextId nullable; the stored context, once it is packaged
     */
    void moved(String handoffId, HandoffPhase phase, @Nullable String contextId);

    /**
     * The outcome this instance decided (including for an adopted handoff). Must return at once.
     *
     * @param handoffId the handoff
     * @param outcome   how it ended
     */
    void finished(String handoffId, HandoffOutcome outcome);

    /**
     * Called once when the Handoff is built: start heartbeats and polls on the host's scheduler. The default does
     * nothing.
     *
     * @param host what the runtime offers
     */
    default void attach(Host host) {
    }

    /** Called once when the Handoff closes (after its running handoffs ended): stop heartbeats and polls. */
    default void close() {
    }

    /**
     * Every handoff lives and dies with this process: the default.
     *
     * @return the no-op ownership
     */
    static HandoffOwnership local() {
        return Local.INSTANCE;
    }

    /** The no-op default. */
    enum Local implements HandoffOwnership {
        /** The one instance. */
        INSTANCE;

        @Override
        public void started(Started handoff) {
        }

        @Override
        public void moved(String handoffId, HandoffPhase phase, @Nullable String contextId) {
        }

        @Override
        public void finished(String handoffId, HandoffOutcome outcome) {
        }
    }
}
