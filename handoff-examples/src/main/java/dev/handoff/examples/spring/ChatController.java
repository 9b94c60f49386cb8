package dev.handoff.examples.spring;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The customer's chat with the bot, over HTTP (a web chat widget would call these): open a chat, send a message and
 * read the bot's answer, wait for the handoff's outcome, read what the agent writes. Every customer turn is recorded
 * on the chat's {@link HandoffSession}; when its decision says a person should take over, the handoff starts (it
 * never blocks the request) and the outcome is explicit: connected to a named person, or back with the bot and its line.
 *
 * <p>No authentication here, as in a public chat widget; a chat id is a random UUID. Bad input answers 400 naming the
 * field, the value's size and what is expected.
 */
@RestController
@RequestMapping("/api/chats")
class ChatController {

    /** Longest customer message accepted. */
    static final int MAX_TEXT = 2_000;
    /** How long a read of new lines waits before answering with none. */
    static final Duration LONG_POLL = Duration.ofSeconds(25);

    record OpenChat(String customerId, String name) {
    }

    record ChatOpened(String chatId) {
    }

    record CustomerMessage(String text) {
    }

    /**
     * The bot's answer; {@code handingOff} true while a person is being brought in or has the chat (the reply is then
     * empty: the text went to the person's desk). After a handoff returned the chat to the bot, the bot answers again.
     */
    record BotAnswer(String reply, boolean handingOff) {
    }

    /** What the customer is told when the handoff ends: {@code CONNECTED} with the person, or {@code RETURNED_TO_BOT}. */
    record OutcomeView(String status, String agent, String message) {
    }

    private final Handoff handoff;
    private final Chats chats;
    private final SupportChatProperties properties;

    ChatController(Handoff handoff, Chats chats, SupportChatProperties properties) {
        this.handoff = handoff;
        this.chats = chats;
        this.properties = properties;
    }

    @PostMapping
    ChatOpened open(@RequestBody OpenChat body) {
        String customerId = required("customerId", body.customerId(), 64);
        String name = required("name", body.name(), 100);
        SessionId id = SessionId.of("chat-" + UUID.randomUUID());
        HandoffSession session = handoff.open(id, Channel.CHAT,
                new CustomerData(customerId, Map.of(), Map.of("name", name), List.of()));
        chats.add(session);
        return new ChatOpened(id.value());
    }

    @PostMapping("/{chatId}/messages")
    BotAnswer message(@PathVariable String chatId, @RequestBody CustomerMessage body) {
        Chats.Chat chat = chat(chatId);
        String text = required("text", body.text(), MAX_TEXT);
        HandoffSession session = chat.session();
        chat.add(new Chats.Line("customer", text));
        if (chat.withPerson()) {
            session.customer(text);   // a person has the chat (or is being brought in): it reaches their desk
            return new BotAnswer("", true);
        }
        HandoffDecision decision = session.customer(text);
        if (decision.isHandoff()) {
            chat.handingOff(session.handOff(decision).toCompletableFuture(), o -> view(o).message());
            String reply = "I'm bringing in a person from our support team. They will see everything you told me,"
                    + " so you won't have to repeat it.";
            chat.add(new Chats.Line("bot", reply));
            return new BotAnswer(reply, true);
        }
        String reply = ScriptedBot.answer(text);
        session.ai(reply, NluSignals.confidence(0.9));
        chat.add(new Chats.Line("bot", reply));
        return new BotAnswer(reply, false);
    }

    /** Answers when the handoff has ended (within the starter's handoff.max-wait); 409 when none was started. */
    @GetMapping("/{chatId}/outcome")
    CompletableFuture<OutcomeView> outcome(@PathVariable String chatId) {
        Chats.Chat chat = chat(chatId);
        CompletableFuture<HandoffOutcome> outcome = chat.outcome()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "no handoff was started in this chat"));
        return outcome.thenApply(this::view);
    }

    /** The lines after the first {@code after} (agent messages included), waiting up to 25 s for a new one. */
    @GetMapping("/{chatId}/messages")
    CompletableFuture<List<Chats.Line>> lines(@PathVariable String chatId, @RequestParam(defaultValue = "0") int after) {
        if (after < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after must be 0 or more, was " + after);
        }
        return chat(chatId).after(after, LONG_POLL);
    }

    private OutcomeView view(HandoffOutcome o) {
        if (o.status() == HandoffOutcome.Status.CONNECTED) {
            String agent = o.connected().map(t -> t.agentId()).orElse("");
            String name = agent.equals(properties.agentId()) ? properties.agentName() : agent;
            return new OutcomeView(o.status().name(), agent, "You're now chatting with " + name
                    + " from support. They can see our whole conversation, so there's no need to repeat anything.");
        }
        return new OutcomeView(o.status().name(), null, o.summaryForBot());
    }

    private Chats.Chat chat(String chatId) {
        return chats.find(chatId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such chat"));
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + ": expected a non-blank string");
        }
        if (value.length() > max) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    field + ": expected at most " + max + " characters, was " + value.length());
        }
        return value.strip();
    }

    /** The example's bot: a few canned answers (a real one is an LLM or an NLU platform). */
    static final class ScriptedBot {
        private ScriptedBot() {
        }

        static String answer(String text) {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.contains("plan")) {
                return "Pro is 29 euros a month. Plan changes are made by our support team.";
            }
            if (t.contains("hours") || t.contains("open")) {
                return "We're open Monday to Friday, 8am to 6pm.";
            }
            return "I can help with plans and opening hours.";
        }
    }
}
