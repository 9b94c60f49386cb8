package dev.handoff.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Inputs shared by the benchmarks: realistic 36-word customer turns and synthetic phrase lists. */
final class BenchTexts {

    /** Four 36-word customer turns on different topics on which the default policy fires nothing. */
    static final String[] QUIET = {
        "Hi there, I ordered a pair of running shoes from your online store about two weeks ago and the tracking page "
                + "still shows the package sitting at the regional warehouse, could you check where it is?",
        "Good morning, I would like to update the shipping address on my account because we moved last month to a new "
                + "apartment across town, and I also want to confirm that my saved card still works.",
        "Could you explain how the loyalty points program works, specifically whether points earned on gift purchases "
                + "count toward the gold tier, and when the yearly reset happens for members who joined in the early spring season?",
        "My daughter is starting college in the fall and she needs a laptop with a decent battery, a light frame and "
                + "enough storage for her design classes, so which of your current models would you recommend?",
    };

    /** A 36-word turn that fires several rules (kill switch, explicit request, frustration, urgency). */
    /** AI turns of a support chat: most state facts, one in four promises something (a refund, a callback). */
    static final String[] AI = {
        "Thanks for waiting. I can see the order in our system: it left the regional warehouse yesterday afternoon and the "
                + "carrier shows it out for delivery in your area, so it should reach you by the end of today.",
        "I understand how annoying that is. The tracking page updates once a day, so it can lag behind where the parcel "
                + "actually is; the carrier's own site usually shows the latest scan within an hour or so.",
        "I've issued a refund of $42.50 to your card for the late delivery, and you should see it on your statement "
                + "within five business days; I'll also email you the confirmation right away.",
        "Your account is on the standard plan, which includes free returns within thirty days and priority support by "
                + "chat; you can change plans at any time from the settings page under billing.",
    };

    static final String FIRING = "This is ridiculous, I have asked three times already and I want to speak to a real "
            + "person right now because my order for the conference is urgent and honestly I might just cancel everything today.";

    private BenchTexts() {
    }

    static int words(String text) {
        return text.trim().split("\\s+").length;
    }

    /**
     * {@code n} phrases: an even sample of {@code base} when {@code n <= base.size()}, else all of {@code base}
     * plus generated two- and three-word phrases of pseudo-words (deterministic) that never occur in the texts.
     */
    static List<String> phrases(List<String> base, int n) {
        List<String> out = new ArrayList<>(n);
        if (n <= base.size()) {
            double stride = (double) base.size() / n;
            for (int i = 0; i < n; i++) {
                out.add(base.get((int) (i * stride)));
            }
            return out;
        }
        out.addAll(base);
        Random random = new Random(2026);
        while (out.size() < n) {
            int words = 2 + random.nextInt(2);
            StringBuilder p = new StringBuilder();
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    p.append(' ');
                }
                int len = 4 + random.nextInt(6);
                for (int c = 0; c < len; c++) {
                    p.append((char) ('a' + random.nextInt(26)));
                }
            }
            out.add(p.toString());
        }
        return out;
    }

    /** The customer sentences of {@link ConcurrentHandoffHarness}'s sessions. */
    static final String[] HARNESS_CUSTOMER = {
        "My parcel never arrived and the tracking page has shown the same depot for nine days now.",
        "I already tried the chat yesterday and somebody promised a call back that never came.",
        "The order number is 55821 and it was supposed to be a birthday present for my daughter.",
        "Can you at least tell me whether it is lost or just delayed somewhere in the network?",
    };
    /** The assistant sentences of {@link ConcurrentHandoffHarness}'s sessions. */
    static final String[] HARNESS_AI = {
        "I'm sorry about that. Let me look at the tracking history for order 55821 right away.",
        "I can see the parcel was scanned at the regional depot on the third and not since then.",
        "That does look like it is stuck. I can open a trace with the carrier for you today.",
        "Thanks for your patience. A trace usually takes one to two working days to come back.",
    };
}
