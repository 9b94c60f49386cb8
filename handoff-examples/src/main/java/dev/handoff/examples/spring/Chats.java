package dev.handoff.examples.spring;

import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The open chats and what each customer sees. A {@link HandoffListener} bean, so the starter adds it to the Handoff:
 * an agent's message ({@link HandoffEvent.AgentMessage}, sent from the desktop) is delivered into the customer's chat.
 * Thread-safe: request threads and Handoff's event threads call it.
 */
@Component
public class Chats implements HandoffListener {

    /** One line the customer sees: {@code from} is {@code bot}, {@code agent} or {@code customer}. */
    public record Line(String from, String text) {
        public Line {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(text, "text");
        }
    }

    /** One chat: its Handoff session, the customer's view and, once asked for, the handoff's outcome. */
    public static final class Chat {
        private final HandoffSession session;
        private final List<Line> lines = new ArrayList<>();
        private CompletableFuture<Void> changed = new CompletableFuture<>();
        private volatile CompletableFuture<HandoffOutcome> outcome;

        Chat(HandoffSession session) {
            this.session = session;
        }

        public HandoffSession session() {
            return session;
        }

        /** The latest handoff's outcome; empty while no handoff was started in this chat. */
        public Optional<CompletableFuture<HandoffOutcome>> outcome() {
            return Optional.ofNullable(outcome);
        }

        /**
         * A handoff started: when it ends, the customer's chat gets the line that tells them who has it now, before
         * {@link #outcome()} completes (so a reader of the outcome finds that line in the chat).
         */
        void handingOff(CompletableFuture<HandoffOutcome> result, java.util.function.Function<HandoffOutcome, String> told) {
            this.outcome = result.thenApply(o -> {
                add(new Line("bot", told.apply(o)));
                return o;
            });
        }

        /** True while a person has the chat or is being brought in; false when the bot has it. */
        boolean withPerson() {
            CompletableFuture<HandoffOutcome> o = outcome;
            return o != null && (!o.isDone() || session.owner() == HandoffSession.Owner.HUMAN);
        }

        synchronized void add(Line line) {
            lines.add(line);
            CompletableFuture<Void> waiting = changed;
            changed = new CompletableFuture<>();
            waiting.complete(null);
        }

        /** The lines after the first {@code after}, as soon as there is one, or none after {@code wait}. */
        CompletableFuture<List<Line>> after(int after, Duration wait) {
            CompletableFuture<Void> next;
            synchronized (this) {
                if (lines.size() > after) {
                    return CompletableFuture.completedFuture(List.copyOf(lines.subList(after, lines.size())));
                }
                next = changed;
            }
            // a copy times out alone: the shared future stays pending for the next line and the other readers
            return next.copy().completeOnTimeout(null, wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .thenCompose(ignored -> {
                        synchronized (this) {
                            return CompletableFuture.completedFuture(lines.size() > after
                                    ? List.copyOf(lines.subList(after, lines.size())) : List.<Line>of());
                        }
                    });
        }
    }

    private final Map<String, Chat> chats = new ConcurrentHashMap<>();

    Chat add(HandoffSession session) {
        Chat chat = new Chat(session);
        chats.put(session.id().value(), chat);
        return chat;
    }

    Optional<Chat> find(String chatId) {
        return Optional.ofNullable(chats.get(chatId));
    }

    /** Called by Handoff on its event thread: an agent's message reaches the customer's chat. */
    @Override
    public void onEvent(HandoffEvent event) {
        if (event instanceof HandoffEvent.AgentMessage m) {
            find(m.sessionId().value()).ifPresent(chat -> chat.add(new Line("agent", m.turn().text())));
        }
        if (event instanceof HandoffEvent.SessionEnded e) {
            chats.remove(e.sessionId().value());
        }
    }
}
