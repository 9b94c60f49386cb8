package dev.handoff.core.context;

import dev.handoff.core.text.Cues;
import java.util.Arrays;
import java.util.List;

/**
 * The guards of the observer readers' costlier regular expressions ({@link BudgetReader}, {@link AuthorityReader},
 * {@link NeedReader}, {@link PainReader}, {@link TimelineReader}): for each expression, literals at least one of which every match of it contains, found in a
 * sentence in one automaton pass ({@link Cues}). A reader runs an expression only when its cue is there, so a sentence
 * that cannot match costs one table read per character instead of trying every branch at every position; what the
 * readers find does not change. {@code ObserverCuesTest} checks each group against its expression.
 */
final class ObserverCues {

    /** One group per guarded expression; the comment names the expression. */
    enum Cue {
        /** {@code NeedReader.NEED}: the need clause finder. */
        NEED("need", "like", "love", "want", "looking", "shopping", "trying", "hoping", "calling", "interested", "thinking",
                "suggested", "recommended", "advised",
                "evaluating", "comparing", "considering", "exploring", "starting", "buying", "can you help", "can you tell me",
                "can you check", "can you get", "can you look into", "can i", "can we", "could i", "could we", "is there",
                "is it possible", "asked me to", "i got", "we got", "stop", "opt out", "unsubscribe", "take me off", "remove me",
                "delete", "do you"),
        /** {@code AuthorityReader.NEED_APPROVER}. */
        NEED_APPROVER("need"),
        /** {@code AuthorityReader.OTHER_APPROVES}: its verbs. */
        OTHER_APPROVES("has to", "has the", "need", "must", "will", "sign", "approve", "decide", "vote", "makes the", "handles",
                "holds the purse", "controls the budget", "owns the budget", "wants ", "have to"),
        /** {@code AuthorityReader.ASK_APPROVER}. */
        ASK_APPROVER("check with", "run it by", "run this by", "approval from", "sign", "clear it with", "talk to", "talk with",
                "speak to", "ask", "talk it over", "talk this over", "discuss it", "discuss this", "run it past", "run this past",
                "share it", "share this", "show it", "show this"),
        /** {@code AuthorityReader.GOES_TO}. */
        GOES_TO("goes to"),
        /** {@code AuthorityReader.SELF_ROLE}: its roles. */
        SELF_ROLE("founder", "owner", "ceo", "cto", "cfo", "coo", "cio", "ciso", "cmo", "president", "vp", "director", "head of",
                "manager", "lead", "chief", "partner", "principal", "administrator", "decision", "counsel", "executor", "landlord",
                "trustee", "accountant", "dentist"),
        /** {@code AuthorityReader.SELF_RUNS}. */
        SELF_RUNS("i run", "i manage", "i head", "i lead", "i own"),
        /** {@code AuthorityReader.SELF_DECIDES}. */
        SELF_DECIDES("sign", "i make", "i decide", "my call", "our call", "decision", "final say", "approve", "authority", "i own",
                "choose the vendor", "place the order", "deciding", "the one who"),
        /** {@code AuthorityReader.TOGETHER}. */
        TOGETHER("husband", "wife", "spouse", "partner", "founder", "brother", "sister", "sons", "plant manager"),
        /** {@code AuthorityReader.FAMILY_ROLE}. */
        FAMILY_ROLE("mum", "mom", "mother", "dad", "father", "parent", "guardian", "appointments"),
        /** {@code AuthorityReader.CHILD_PATIENT}. */
        CHILD_PATIENT("year old", "son", "daughter", "child", "kid"),
        /** {@code AuthorityReader.ELDER_PATIENT}. */
        ELDER_PATIENT("father", "mother", "dad", "mum", "mom", "grand"),
        /** {@code BudgetReader.BUDGET_CUE}: words that make an amount a budget. */
        BUDGET_CUE("budget", "earmark", "set aside", "put aside", "allocat", "afford", "spend", "planned", "planning", "thinking",
                "hoping for", "looking to", "willing to", "can pay", "up to", "capped", "ceiling", "at most", "maximum", "no more than",
                "keep", "stay", "range", "is typical", "contract would be", "deal", "over the term", "would be ideal", "something",
                "money is tight", "in mind", "for this", "for that", "for it", "for software", "for legal", "for the project",
                "for year one", "for the first year", "for the year", "have about", "have around", "have roughly", "have maybe",
                "have only", "ve got", "been given", "stretch to", "go as high as", "top out at", "go over", "going over",
                "anything under", "anything below", "whatever under", "whatever below", "to be paying", "to pay under",
                "to pay below", "to pay less"),
        /** {@code BudgetReader.ABSENT}: a stated absence of budget. */
        ABSENT("budget", "afford", "isn", "it takes"),
        /** {@code BudgetReader.ACCEPT_FIGURE}. */
        ACCEPT_FIGURE("that"),
        /** {@code PainReader.CONCERN}. */
        CONCERN("worr", "concern", "problem", "issue", "blocker", "hesitation", "objection", "sticking point", "stuck on",
                "hung up on", "blocked on", "holding"),
        /**
         * {@code PainReader.PAIN}: each branch's leading words (a literal a branch's match must contain). Literals that
         * contain a shorter one of the list are left out: the shorter one admits them.
         */
        PAIN(
                " fee", "abscess", "absurd", "ache", "aching", "afraid", "again", "already ", "an invoice for",
                "anxious", "banging", "barely used", "bill ", "billed", "black spot", "bled", "bleed", "blinking",
                "breach", "breaks", "broke", "burned", "can", "card details", "ceiling", "charge", "charging",
                "chipped", "concern", "constantly", "cracked", "crash", "crazy", "crooked", "cut", "damag", "debt",
                "declined", "delayed", "dementia", "deposit", "desperate", "didn", "dies", "disappeared",
                "disconnect", "dismissed", "doesn", "don", "double", "down", "draining", "drains", "dropped",
                "dropping", "duplicate", "dying", "error", "every ", "expensive", "expire", "fail", "fell on",
                "fell out", "fever", "fired", "fraud", "freezing", "frustrat", "go up", "got a bill", "grinding",
                "hacked", "happened before", "has happened", "haven", "heard nothing", "hiked", "humiliat", "hurt",
                "i paid ", "i told you", "injur", "insane", "insulting", "invalid", "is a lot", "isn", "issue",
                "jumped", "keep", "kept ", "knocked out", "lapse", "late", "laughed", "leak", 
                "locked", "loose", "lose", "losing", "lost", "missed ", "missing", "mistake",
                "more than ", "nervous", "never ", "nightmare", "no ", "no-show", "nobody", "noise", "noisy", "not ",
                "offer is", "on hold", "only soft food", "outage", "over ", "overcharg", "overdue", "pain", "panic",
                "passed away", "price difference", "pricey", "problem", "promised", "rate limit", "rattl", "refus",
                "repeat myself", "ridiculous", "rubbing", "rude", "ruined", "same thing", "scam", "scared",
                "sensitive", "should have ", "slow", "snapped", "soaked", "sores", "spam", "spent ", "squeal",
                "steep", "still ", "stolen", "stoppage", "stopped working", "stress", "strict on", "sued", "suing",
                "suspended", "swelling", "swollen", "tanked", "terrified", "that", "the first time", "third time",
                "threaten", "three times", "throbb", "throttl", "tight", "time off", "too high", "too much", "twice",
                "unauthori", "unfair", "unpaid", "waited", "waiting", "way over", "whiplash", "without ",
                "wobbl", "won", "worried", "worries", "worry", "worse", "wrong",
                "me out", "soaking", "soggy", "crushed", "squashed", "smashed", "torn", "ripped", "dented", "scratched",
                "left ", "goes ", "went ", "turns ", "switches ", "shuts ", "came ", "come ", "fell off", "came out", "less than the",
                "higher than", "quoted", " off", " out", " cold", "killing me", "jams", "jammed", "stuck", "evict", "discontinued",
                "no longer", "hasn", "feels ", "throbs", "spin", "forever", "hidden", "silent", "ignor", "ghost", "stopped ",
                "cracks", "slip", "recover", "otherwise", "or else", "get worse", "move back", "shift back", "relapse", "fall out",
                "come loose", "get infected", "make sense", "stops ", "stiff", "by hand", "manually", " mess", "run", "so ", "to make sure", "to ensure",
                "paid", "bill", "charge", "invoice", "payment", "price", "rate", "dent", "access", "patchwork", "cobbled", "held together", "living on",
                "owes", "stretch", "taste", "smell", "speeding", "parking", "penalty", "jammed", "no idea", "know where",
                "answering", "errors", "cost us", "cost me", "struggling", "took ", "day's", "days wages", "quoted"),
        /** {@code PainReader.NOT_PAIN_INSIDE}. */
        NOT_PAIN("not painful", "no pain", "doesn", "isn", "not sore", "no swelling", "never", "first time", "not ", "aren",
                "wasn"),
        /** {@code PainReader.STRONG_PROBLEM}. */
        STRONG_PROBLEM("broke", "cracked", "damaged", "stolen", "charged", "leak", "snapped", "breach", "chipped", "missing",
                "gas smell", "smell of gas"),
        /** {@code PainReader.PERSON}. */
        PAIN_PERSON("talk", "speak", "manager", "supervisor", "human", "person", "someone", "call me"),
        /** {@code PainReader.SYMPTOM_QUESTION}. */
        SYMPTOM_QUESTION("swelling", "pain", "fever", "bleeding", "numbness", "discharge", "hurt", "ache", "bleed", "throb"),
        /**
         * {@code TimelineReader.URGENT} but its two branches with "now" ("NOW", "I need someone now"): those are guarded by
         * {@link #NOW} with {@link #NOW_LEAD} or an upper-case "NOW" ({@code TimelineReader.mayBeUrgent}), so a complaint
         * that says "for nine days now" does not run the expression.
         */
        URGENT("soon", "asap", "right now", "right away", "immediately", "urgently", "hurry", "early", "quickly", "fast", "earliest",
                "next available", "straight away"),
        /** {@code TimelineReader.EVENT}: the events. */
        EVENT("christmas", "xmas", "holiday", "year", "easter", "thanksgiving", "weekend", "black friday", "tax season", "tax day",
                "peak season", "busy season", "audit", "term", "launch", "move", "wedding", "board meeting", "renewal", "billing"),
        /** {@code TimelineReader.FLEXIBLE}. */
        FLEXIBLE("no rush", "no hurry", "not urgent", "whenever", "any day", "sometime", "flexible", "anything the", "any time the",
                "anytime the", "no timeframe", "no time frame", "no timeline", "no deadline", "no set ", "no fixed ",
                "no firm ", "no real ", "no particular "),
        /** {@code TimelineReader.URGENT}'s "now" branches: the word. */
        NOW("now"),
        /** {@code TimelineReader.URGENT}'s "need ... now" branch: the words before "now". */
        NOW_LEAD("need", "want", "call me", "see me", "speak to", "talk to", "help me", "help us");

        final List<String> literals;

        Cue(String... literals) {
            this.literals = List.of(literals);
        }

        /** True when this group's cue is among {@code found}. */
        boolean in(long found) {
            return Cues.has(found, ordinal());
        }
    }

    private static final Cues CUES = Cues.of(Arrays.stream(Cue.values()).map(c -> c.literals).toList());

    private ObserverCues() {
    }

    /** The cues that occur in {@code text}. */
    static long find(CharSequence text) {
        return CUES.find(text);
    }
}
