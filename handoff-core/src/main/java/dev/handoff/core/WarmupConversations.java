package dev.handoff.core;

import java.util.List;

/**
 * The made-up conversations {@link Warmup} hands off, one per round in turn. The observer's readers take different
 * branches for different wording (money in words or figures, dates, durations and times of day, people who approve,
 * complaints, an assistant's promises and refusals), and a branch the warm-up never took is still interpreted when the
 * first customer's words reach it. So these cover the families the observer reads, across sales, support, billing,
 * a clinic and a law office, in wording of their own. Turns alternate: customer, assistant, customer, ...; the last
 * customer turn asks for a person.
 */
final class WarmupConversations {

    private WarmupConversations() {
    }

    static final List<List<String>> ALL = List.of(
            List.of("My order 1234 arrived broken and I need a replacement by Friday.",
                    "I'm sorry. I can offer a 10% discount or a replacement by Thursday.",
                    "I want to talk to a person please."),
            List.of("Hi, I look after IT for a clinic with forty staff and we are comparing scheduling tools.",
                    "Happy to help. Roughly what budget and timeline are you working with?",
                    "We have earmarked about sixty grand for the year, our COO signs off on spend, and we want it live"
                            + " before the end of Q1.",
                    "That fits our team plan. I will email you a quote today and someone can call you back tomorrow at 10am.",
                    "Honestly, can I just speak with someone from sales?"),
            List.of("You charged my card three times for the same invoice and the bill went up again this month.",
                    "I'm sorry about that. I can't refund it myself, but I've credited $25 to your account and waived the"
                            + " late fee.",
                    "That still leaves two charges of $49.99 I never agreed to. This is the third time I'm explaining it.",
                    "I understand. A refund usually takes 5-7 business days once approved.",
                    "Get me a manager, I'm going to dispute this with my bank."),
            List.of("I've had a throbbing toothache since Sunday night and painkillers stopped helping.",
                    "That sounds painful. Is there any swelling or fever?",
                    "Some swelling on the left side. Can you fit me in this afternoon? I can't wait until next week.",
                    "We may have an opening at 3:30 today, but I can't confirm it from here.",
                    "Please put me through to the front desk."),
            List.of("My landlord says he will evict us on March 3rd and I don't know my rights.",
                    "I'm not a lawyer and can't give legal advice, but I can tell you how a consultation works.",
                    "We've lived here six years, the lease runs until 2027, and my wife and our two kids are worried sick.",
                    "An attorney can review the lease within two working days; the first call is free.",
                    "I'd like to talk to a real person now, not a bot."),
            List.of("The app keeps logging me out every few minutes since the update last Tuesday.",
                    "Sorry about that! Have you tried reinstalling it?",
                    "Yes, twice. Nothing works and I've lost a week of work notes. Is there a human I can talk to?"));
}
