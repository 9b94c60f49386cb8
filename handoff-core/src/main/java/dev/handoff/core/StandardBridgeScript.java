package dev.handoff.core;

import dev.handoff.api.context.HandoffContext;
import java.time.Duration;
import java.util.Optional;

/** The lines of {@link BridgeScript#standard()}. */
final class StandardBridgeScript implements BridgeScript {

    static final StandardBridgeScript INSTANCE = new StandardBridgeScript();

    private StandardBridgeScript() {
    }

    @Override
    public Optional<String> message(Moment m) {
        boolean silent = m.silent();
        return Optional.of(switch (m.stage()) {
            case STARTED -> silent ? "Let me look into that for you; one moment please."
                    : goal(m.context()).map(g -> "I'm bringing in a specialist now. I've shared what we've covered (" + g
                            + ") so you won't need to repeat yourself.")
                    .orElse("I'm bringing in a specialist now. I've shared everything we've covered so far, so you won't "
                            + "need to repeat yourself.") + limit(" It won't take more than ", m.remainingWait(), ".", "a minute");
            case QUEUED -> silent ? "Let me look into that for you; one moment please."
                    : "All our specialists are busy right now. You're number " + m.position() + " in line and I'll stay with "
                            + "you meanwhile." + limit(" It won't take more than ", m.remainingWait(), ".", "a minute");
            case RETRYING -> silent ? "Thanks for bearing with me; still working on it."
                    : "The first specialist isn't free, so I'm connecting you with the next one who can help.";
            case STILL_WAITING -> silent ? "Still with you; one more moment please."
                    : "Thanks for waiting. Your specialist already has our conversation in front of them."
                            + limit(" If nobody can take it in the next ", m.remainingWait(), ", I'll carry on helping you myself.", "minute");
            case RESUMED -> silent ? "Thanks for your patience. Let's carry on; everything you've told me is saved."
                    : "I couldn't connect you with a specialist just now"
                            + (m.attempts() > 1 ? ", though I tried " + m.attempts() + " teams" : "")
                            + ", so I'll keep helping you myself. Everything you told me is saved, so nobody will ask you to "
                            + "repeat it.";
            case HANDED_BACK -> "Thanks for your patience. I'm back with you; what else can I help you with?";
        });
    }

    /** "2 minutes" or {@code one}: the wait rounded up to whole minutes; empty when nothing is left. */
    private static String limit(String before, Duration wait, String after, String one) {
        long seconds = wait.toSeconds();
        if (seconds <= 0) {
            return "";
        }
        long minutes = (seconds + 59) / 60;
        return before + (minutes == 1 ? one : minutes + " minutes") + after;
    }

    /**
     * The whisper goal said back to the customer, when it reads well: the observer writes it for the agent in the third
     * person ("Wants a replacement before Friday"), so only a "Wants ..." goal without quotations, short, is turned to
     * the second person ("you want a replacement before Friday"); any other goal gives the generic line.
     */
    private static Optional<String> goal(HandoffContext context) {
        if (context == null) {
            return Optional.empty();
        }
        String g = context.whisper().goal().strip();
        int paren = g.indexOf(" (");
        if (paren > 0) {
            g = g.substring(0, paren);   // the timeline the observer appends for the agent
        }
        if (!g.startsWith("Wants ") || g.length() > 80 || g.indexOf('"') >= 0 || g.indexOf('\u201c') >= 0 || g.contains(";")) {
            return Optional.empty();
        }
        if (g.endsWith(".")) {
            g = g.substring(0, g.length() - 1);
        }
        return Optional.of("you want " + SECOND_PERSON.matcher(g.substring(6)).replaceAll(m -> switch (m.group().toLowerCase(java.util.Locale.ROOT)) {
            case "their" -> "your";
            case "they" -> "you";
            case "them" -> "you";
            case "theirs" -> "yours";
            case "themselves" -> "yourself";
            case "they're" -> "you're";
            default -> "our";   // "the company's"
        }));
    }

    private static final java.util.regex.Pattern SECOND_PERSON = java.util.regex.Pattern.compile(
            "\\b(?:their|they|them|theirs|themselves|they're)\\b|\\bthe company's\\b");
}
