package dev.handoff.core.context;

import dev.handoff.core.context.ObserverCues.Cue;
import dev.handoff.core.text.Alternation;
import dev.handoff.core.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer's complaints and concerns, in their own words. A clause of a customer sentence is a pain point when it
 * reports a problem (something charged, broken, late, missing, repeated, refused, too expensive, hurting, a fear with
 * its object: "charged my card three times", "the bill went up", "nobody answers my emails", "I'm stressed about
 * rent"), not when it only evaluates ("this is ridiculous"), only feels ("I'm terrified") or asks for a person. The
 * main concern is what the customer names as such ("my real worry is ...", "our main concern is ...", "the thing
 * holding us back is ..."). One instance per conversation; not thread-safe.
 */
final class PainReader {

    /** Pain points kept, the first ones said. */
    static final int MAX = 5;

    private static final int F = Pattern.CASE_INSENSITIVE;
    static final Pattern PAIN = Pattern.compile("\\b(" + Alternation.byFirstLetter("charged|charging|charge|billed|bill (?:went|go(?:es)?) up|went up|go up|doubled"
            + "|overcharg\\w*|duplicate|twice|three times|third time|again|keeps? (?:\\w+ing|getting)|kept (?:\\w+ing)|every (?:time|evening|day|week)|constantly"
            + "|still (?:not|hasn'?t|haven'?t (?:got|received|heard|had)|isn'?t|doesn'?t|says|shows|processing|waiting|no|nothing)|crash\\w*|leak\\w*|broken|broke|breaks|snapped"
            + "|cracked|chipped|fell out|knocked out|loose|wobbl\\w*|rubbing|sores|damag\\w*|not working|doesn'?t work|isn'?t working"
            + "|stopped working|won'?t (?:let|start|load|work|connect|open|print|sync|accept|take|save|send|update|turn on|charge)|can'?t (?:log|access|sleep|work|eat|drink|open|get"
            + "|take|do it|cancel)|cannot|declined|fail\\w*|missing|never (?:arrived|got|came|started|ordered|used|turned up|showed up|showed)|not here|delayed|late|overdue|lost|loses"
            + "|losing|stolen|scam\\w*|hurts?|hurting|pain\\w*|ache|aching|throbb\\w*|toothache|swollen|swelling|bleeding|bled|sensitive|fever|abscess|rude"
            + "|laughed|humiliat\\w*|waiting|waited|on hold|haven'?t heard|heard nothing|nobody|no one|didn'?t show|no[- ]show|wrong|mistake"
            + "|error|too much|too high|way over|over (?:what|our|my) |over budget|expensive|steep|pricey|that'?s a lot|is a lot"
            + "|more than (?:i|we) expected|tight|suspended|locked|cut off|cut|disconnect\\w*|dropping|dropped|down|outage"
            + "|no (?:internet|power|signal|heating)|freezing|spam|tanked|fired|su(?:ed|ing)|refus\\w*|threaten\\w*|scared|terrified|panic\\w*"
            + "|desperate|worried|worry|worries|concern|stress\\w*|anxious|nervous|afraid|expires?|shutting down|throttl\\w*|rate limits?"
            + "|double-?book\\w*|disappeared|nightmare|burned|insulting|promised|unauthori[sz]ed|don'?t recogni[sz]e|not (?:what|the)|crooked"
            + "|dementia|manipulated|unpaid|breach|downtime|stoppage|price difference|too slow|slow|problem|issue|frustrat\\w*|lose|bleed\\w*"
            + "|without (?:a|any|my|our|warning|notice|asking|permission)|blinking|black spot|passed away|whiplash|injur\\w*|dismissed|debt"
            + "|insurance refused|offer is|ceiling|strict on|barely used|doesn'?t fit|don'?t fit|won'?t fit|card details|fraud|hacked|not for me"
            + "|don'?t think it'?s|spent (?:two|three|\\d+|hours|an hour)|invalid|worse|haven'?t been|should have (?:covered|been|arrived|told)"
            + "|a bill for|got a bill|an invoice for|i paid (?:\\$|\\u00a3|\\u20ac)?\\d[\\d,.]* for|time off|missed (?:a|two|\\d+|my|the|work)"
            + "|not fair|isn'?t fair|unfair|only soft food|can only eat|fell on|fell onto|collapsed|crazy|insane|absurd|ridiculous"
            + "|(?:late|migration|change|collection|activation|cancellation|missed|\\$\\d+) fee|charged a|already (?:told|explained|gave|said)"
            + "|i told you|repeat myself|same thing|(?:doesn'?t|didn'?t|won'?t) (?:fix|help)|concerned|lapse|(?:isn'?t|not) the first time"
            + "|keeps happening|happened before|has happened|noise|noisy|banging|rattl\\w*|grinding|squeal\\w*|jumped|hiked|soaked"
            + "|ruined|left outside|dies|dying|drains|draining|aches|ached|evict\\w*|discontinued|no longer (?:supported|available|works?)"
            // "the tracking hasn't moved since", "it feels high when I bite"
            + "|hasn'?t (?:arrived|shipped)|(?:tracking|parcel|package|order|status|delivery|queue|ticket|claim|refund|it)(?: page| number"
            + "| status)? hasn'?t (?:moved|updated|budged|changed)|feels (?:high|rough|sharp|uneven|wrong|off)"
            // "the app just spins", "takes forever to load", "the signs were hidden", "my builder has gone silent"
            + "|throbs|throbbed|spins|spinning|takes forever|(?:spins|loads|runs) forever|forever to (?:load|open|respond|arrive)"
            + "|(?:were|was|is|are|been|got) hidden|hidden (?:fees?|charges?|costs?|behind|in the)"
            + "|gone silent|went silent|ignored|ignoring|ignores|ghost(?:ed|ing)|stopped (?:answering|responding|replying)"
            + "|through the cracks|slip(?:s|ping|ped)? through|without knowing|without telling|recover(?:ing)? from|recovery from"
            // a consequence the customer fears: "otherwise it'll sit on my doorstep for days"
            + "|(?:otherwise|or else) (?:it'?ll|it will|i'?ll|i will|we'?ll|we will)"
            // a harm the customer plans around: "a decision before March so there's no gap in service"
            + "|(?:so|so that|to make sure|to ensure) (?:there'?s|there is|we have|we get) no (?:(?:gap|interruption|disruption|break|lapse) in (?:our |the )?(?:service|coverage|cover)|downtime)"
            // a harm said as a risk: "her teeth will move back if she goes without it"
            + "|(?:will|could|might|would) (?:get worse|move back|shift back|relapse|fall out|come loose|get infected)"
            // "a line called premium support that I never asked for", "it stops halfway through every cycle"
            + "|never (?:asked for|signed up|agreed|authori[sz]ed)|didn'?t (?:ask for|sign up|agree to|authori[sz]e)|(?:can'?t|doesn'?t) make sense"
            + "|stops (?:halfway|mid|working|responding|charging|syncing|loading)|stopped (?:syncing|responding|charging|loading|printing|updating)"
            + "|every single time|stiff|won'?t (?:share|give|return|reply|respond|answer|pay|release|hand over)"
            // manual work that costs the customer: "we've done it by hand for two years", "we still do it all manually"
            + "|(?:still|have to|had to|has to) (?:do|does|did) (?:it|this|that|them|everything|all)(?: all)? (?:by hand|manually)"
            + "|(?:do|does|did|done|doing) (?:it|this|that|them|everything|all)(?: all)? (?:by hand|manually) (?:for|every|each)"
            // a body part that is killing me; "this wait is killing me" is a feeling, read elsewhere
            + "|(?:tooth|teeth|back|knee|head|jaw|neck|gums?|ear|stomach|shoulder|foot|feet|leg|arm|hip|wrist) (?:is|are) killing me"
            // a machine that jams, a job that is stuck: not jam on toast, not "stuck at home" or "stuck with the old plan"
            + "|(?:printer|paper|machine|it|door|lock|drawer|feeder|till|scanner) (?:jams|jammed|keeps jamming)"
            + "|jams (?:every|whenever|all the time|constantly)"
            + "|(?:is|was|been|gets|got|it'?s|keeps getting) stuck (?:at|on|in (?:the )?(?:queue|processing|pending|loading)|loading|processing)"
            // a deposit kept or not returned, not a deposit that is ready or asked about
            + "|(?:return|refund|keep|kept|keeping|withh[eo]ld\\w*|give back|get back|lose|lost)\\s+(?:my|our|the)\\s+(?:security\\s+)?deposit"
            + "|deposit (?:back|still|hasn'?t|has not|was (?:never|not|kept|withheld))"
            + "|logs? me out|kicks? me out|kicked me out|signs? me out"
            + "|(?:was|is|been|it'?s|what) a (?:total |complete |real |huge |right )?mess\\b|(?:the|a) (?:\\w+ )?run-?around"
            // observer family 5: "my employer hasn't paid me", "40 more than usual",
            // "delivered with a big dent", "I don't have access to it anymore", "a patchwork of spreadsheets"
            + "|(?:hasn'?t|haven'?t|has not|have not) paid (?:me|us)|(?:haven'?t|hasn'?t|have not|has not) been paid"
            + "|(?:bill|charge|invoice|payment|price|rate)\\b[^.?!]*\\b(?:more|higher) than (?:usual|normal|last month)"
            + "|(?:with|has|had|got|left) (?:a |an )?(?:\\w+ )?dents?\\b|(?:don'?t|no longer) have access (?:to (?:it|my|our|the (?:account|email|app|portal))\\b|any ?more)|lost access"
            // observer family 6: "a client owes me 4,200", "that's a stretch", "a bad taste", "a speeding ticket"
            + "|owes (?:me|us)|(?:that'?s|it'?s|is|be) a (?:bit of a |real |big )?stretch\\b|(?<!\\bin )(?:a |the )?(?:bad|foul|metallic) (?:taste|smell)"
            + "|(?:speeding|parking) (?:ticket|fine)|penalty (?:notice|charge)"
            // observer family 7: "a gas smell outside my building", "it's always jammed", "no idea where to start",
            // "now they're not answering the door"
            + "|gas smell|smell of (?:gas|burning)|smell gas|burning smell|(?:is|it'?s|was|gets) (?:always |constantly )?jammed"
            + "|no idea (?:where to start|what to do)|(?:don'?t|do not) know where to start|(?:not|isn'?t|aren'?t|weren'?t) answering"
            // observer family 8: "errors in three pay runs", "cost us a lot of goodwill", "struggling to cover the rent",
            // "more than we pay now", "I took the day off", "a day's wages gone", "keeping my whole 1,800 deposit",
            // "quoted 800 ... and the invoice says 1,150"
            + "|errors (?:in|on|with)|(?:made|making|full of) (?:\\w+ )?errors|cost (?:us|me) (?:a lot|dearly|customers|goodwill|money)|struggling to (?:pay|cover|afford|keep up|make ends meet)"
            + "|more than (?:i|we) (?:pay|currently pay|are paying|budgeted)|took (?:the|a) day off (?:for|to wait|work)|day'?s (?:wages|pay)"
            + "|(?:keep|kept|keeping|withh[eo]ld\\w*) (?:my|our|the) (?:[\\w,]+ ){1,2}deposit|quoted\\b[^.?!]*\\b(?:invoice|bill) (?:says|shows|is|was|came)"
            + "|a patchwork of|cobbled together|held together (?:with|by)|living on (?:soup|liquids|painkillers|soft food)"
            + "|soaking|soggy|crushed|squashed|smashed|torn|ripped|dented|scratched"
            + "|left (?:[\\w']+ ){0,2}(?:out )?in the rain"
            + "|goes (?:black|blank|dead|dark|off)|went (?:black|blank|dead|dark)|turns (?:itself )?off|switches (?:itself )?off|shuts (?:itself )?(?:down|off)"
            + "|came off|fell off|come off|came loose|come loose|(?:filling|crown|tooth|implant|veneer|bracket|stitches) came out"
            + "|less than the (?:bill|invoice|charge)|more than (?:the|your|you) quote\\w*|higher than (?:the|your|you) quote\\w*|than (?:you |we were |i was )?quoted"
            + "|(?:heating|power|internet|water|electricity|gas|wifi|wi-fi|broadband|signal|hot water|phone line) (?:has been|had been|is|was|went|goes|keeps going) (?:off|out|down|cold)"
            ) + ")\\b", F);
    /**
     * Complaints about the conversation or about not being heard ("nobody answers my emails"): the obstacle prefers a
     * complaint about the problem itself.
     */
    private static final Pattern META = Pattern.compile("\\b(already (?:told|explained|gave|said)|i told you|you don'?t understand|same thing"
            + "|same questions|repeat|frustrat\\w*|(?:nobody|no one|no-one) (?:answers|answered|replies|replied|responds|responded|called"
            + "|calls|got back|gets back|picks up|picked up)|(?:no|never got an?) (?:reply|response|answer|call back|callback))\\b", F);
    /** A question that asks something, as opposed to one that repeats a grievance ("So I was charged twice?"). */
    private static final Pattern ASKING = Pattern.compile("^(?:so\\s+)?(?:what|when|where|who|how|which|can|could|will|would|should|is|are|am|do|does"
            + "|did|have|has|may|shall)\\b", F);
    /** A need that names a concrete problem is a pain point too ("I'd like to know if my warranty covers a broken hinge"). */
    static final Pattern STRONG_PROBLEM = Pattern.compile("\\b(broken|broke|cracked|damaged|stolen|charged|leak\\w*|snapped|breach"
            + "|chipped|missing|gas smell|smell of gas)\\b", F);
    /** Two words are enough for these ("that's steep", "it wobbles"). */
    private static final Pattern STRONG = Pattern.compile("\\b(" + Alternation.byFirstLetter("steep|expensive|pricey|freezing|broken|unbearable|agony|wobbl\\w*|leak\\w*") + ")\\b", F);
    /** Not a complaint on its own: a need ("I want ...", "can you ..."), unless it names a concrete problem. */
    private static final Pattern NEED_FIRST = Pattern.compile("^(?:i want|i need|i'?d like|we'?d like|we want|we need|can you|could you"
            + "|please)\\b", F);
    /**
     * Not a complaint: a condition, a relative aside, a denied symptom, a first occurrence ("this has never happened
     * before": the opposite of a recurrence), or a reaction that names no problem of its own ("that's not what we
     * agreed", "it's your mistake, not mine": the problem is in the clause it answers).
     */
    private static final Pattern NOT_PAIN_START = Pattern.compile("^(?:if|which|this can'?t happen|that can'?t happen)\\b"
            + "|^(?:so\\s+)?(?:that|this|it)(?:'s| is| was)\\s+(?:not what (?:we|i) agreed(?: to| on)?|(?:your|the company'?s|their) (?:mistake|fault|error)"
            + "(?:,? not (?:mine|ours))?)$", F);
    /** The part of the above that may be anywhere in the clause (a denied symptom, a first occurrence). */
    static final Pattern NOT_PAIN_INSIDE = Pattern.compile("\\b(?:not painful|no pain"
            // "it's not loose, but it's sensitive to cold": a denied symptom
            + "|(?:not|isn'?t|aren'?t|wasn'?t) (?:loose|swollen|bleeding|broken|cracked|damaged|wobbly)"
            + "|doesn'?t hurt|isn'?t painful|not sore|no swelling|(?:has|had|have)\\s+never\\s+happened|never happened before"
            + "|(?:the|my) first time (?:this|it|that) (?:has )?happened)\\b", F);
    static final Pattern SYMPTOM_QUESTION = Pattern.compile("\\b(?:(?:any|having|is there|do you have)\\s+(?:any\\s+)?"
            // "Does it hurt when you chew?"
            + "|(?:does|do|did|is) (?:it|they|that) )(swelling|pain|fever|bleeding|numbness|discharge|hurt|ache|bleed|throb)\\b[^?]*\\?", F);
    private static final Pattern YES = Pattern.compile("^(?:yes|yeah|yep|a bit|a little|some|slightly|a lot|quite a bit)\\b", F);

    /** A clause that only evaluates or feels, with nothing about what went wrong. */
    private static final Pattern ONLY_FEELING = Pattern.compile("^(?:oh\\s+)?(?:this|that|it)(?:'s| is| was)?\\s+(?:getting\\s+)?(?:so\\s+|really\\s+"
            + "|absolutely\\s+)?(?:ridiculous|unacceptable|absurd|insane|crazy|outrageous|a disaster|terrible|awful|a joke|brilliant|great|fantastic"
            + "|a lot|the worst|frustrating|annoying|upsetting|infuriating)$|^i'?m\\s+(?:so\\s+|really\\s+)?(?:furious|angry|fed up|done|annoyed|terrified|scared|panicking|freaking out"
            + "|nervous|anxious|desperate|worried|really anxious|really nervous)(?:\\s+(?:here|now|with this|a bit))?$|^i feel\\s+\\w+", F);
    static final Pattern PERSON = Pattern.compile("\\b(?:talk|speak)\\s+(?:to|with)\\b|\\b(?:a|the|your)\\s+(?:manager|supervisor|human"
            + "|person|real person|someone)\\b|\\bcall me\\b", F);
    static final Pattern CONCERN = Pattern.compile("\\b(?:my|our|the|main|one|only)\\s+(?:(?:real|main|biggest|only|big|one|key|major)\\s+)*"
            + "(?:worry|concern|problem|issue|blocker|hesitation|objection|sticking point)\\s+(?:is|was|would be|here is)\\s+(?:that\\s+)?"
            + "(?<what>[^.?!;]+)|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:really\\s+)?(?:worried|concerned)\\s+(?:about|that)\\s+(?<what2>[^.?!;]+)"
            + "|\\b(?:stuck on|hung up on|blocked on)\\s+(?<what3>[^.?!;]+)|\\bthe thing holding (?:us|me) back is\\s+(?<what4>[^.?!;,]+)"
            + "|\\bwhat worries (?:me|us) is\\s+(?<what5>[^.?!;]+)", F);
    /** Every branch starts with white space, ';' or ',': the look-ahead rejects other positions before any branch is tried. */
    static final Pattern SPLIT = Pattern.compile("(?=[\\s;,])(?:\\s*[;]\\s+|\\s*,\\s+(?=(?:and|but|so|which|then|plus|now|and now|because)\\b)|\\s+but\\s+"
            + "|\\s+—\\s+|\\s+-\\s+|\\s+and\\s+(?=(?:nobody|no one|now|the|my|our|it|they|i|we|he|she|there|this)\\b)|\\s*,\\s+(?=(?:i|we|it"
            + "|they|he|she|the|my|our|there|this|that)\\b))", F);
    private static final Pattern FILLER = Pattern.compile("^(?:and|but|so|also|honestly|well|plus|actually|basically|anyway|oh|yes|no|okay|ok"
            + "|now|then|because|which|thank god|please)[,\\s]+", F);

    private static final Pattern TALK_TO_TAIL = Pattern.compile("\\b(?:talk|speak)\\s+(?:to|with)\\b.*", F);

    final List<String[]> pains = new ArrayList<>(); // {text, turnIndex}
    String concern;
    int concernTurn = -1;
    private String cuedAi;
    private long cuedAiCues;

    /**
     * Reads one customer sentence of turn {@code turn}; {@code asksForPerson} when the trigger quoted it as a request;
     * {@code lastAi} the assistant's previous turn (nullable), so "A bit on the left side" after "Any swelling?" is a pain.
     */
    void read(String s, int turn, boolean asksForPerson, String lastAi) {
        read(s, turn, asksForPerson, lastAi, ObserverCues.find(s));
    }

    /** As {@link #read(String, int, boolean, String)}, with the sentence's {@link ObserverCues} already found. */
    void read(String s, int turn, boolean asksForPerson, String lastAi, long cues) {
        if (lastAi != null && Cue.SYMPTOM_QUESTION.in(aiCues(lastAi))) {
            Matcher q = SYMPTOM_QUESTION.matcher(lastAi);
            if (q.find() && YES.matcher(s.strip()).lookingAt() && !s.toLowerCase(Locale.ROOT).contains(q.group(1).toLowerCase(Locale.ROOT))) {
                add(Sentences.capitalize(q.group(1).toLowerCase(Locale.ROOT)) + ": " + Sentences.trim(s), turn);
                return;
            }
        }
        Matcher m = CONCERN.matcher(s);
        if (Cue.CONCERN.in(cues) && m.find()) {
            concern = Sentences.trim(Sentences.firstGroup(m, "what", "what2", "what3", "what4", "what5"));
            concernTurn = turn;
        }
        String[] clauses = SPLIT.split(s);
        java.util.Set<String> questions = new java.util.HashSet<>();
        if (s.strip().endsWith("?")) {
            for (String q : clauses) {
                questions.add(q.strip());
            }
        }
        for (String clause : clauses) {
            String c = Sentences.trim(withoutFillers(clause.strip()));
            int words = Words.count(c);
            if (words < 2) {
                continue;
            }
            long clauseCues = ObserverCues.find(c);
            if (words < 3 && !STRONG.matcher(c).find() || ONLY_FEELING.matcher(c).lookingAt() || NOT_PAIN_START.matcher(c).lookingAt()
                    || Cue.NOT_PAIN.in(clauseCues) && NOT_PAIN_INSIDE.matcher(c).find()
                    || NEED_FIRST.matcher(c).lookingAt() && !(Cue.STRONG_PROBLEM.in(clauseCues) && STRONG_PROBLEM.matcher(c).find())
                    || Cue.PAIN_PERSON.in(clauseCues) && PERSON.matcher(c).find() && !PAIN.matcher(TALK_TO_TAIL.matcher(c).replaceAll("")).find()
                    || questions.contains(clause.strip()) && ASKING.matcher(c).lookingAt()) {
                continue;
            }
            if (asksForPerson && c.length() < 40) {
                continue;
            }
            if (!Cue.PAIN.in(clauseCues) || !PAIN.matcher(c).find()) {
                continue;
            }
            add(c, turn);
        }
    }

    /** The cues of the assistant's turn, found once for all the customer sentences that follow it. */
    private long aiCues(String lastAi) {
        if (lastAi != cuedAi) {   // the same String instance: the turn's text
            cuedAi = lastAi;
            cuedAiCues = ObserverCues.find(lastAi);
        }
        return cuedAiCues;
    }

    /**
     * {@code c} without up to three leading fillers ("and honestly, ..."). The anchored expressions in this class are
     * tried at the start only ({@code lookingAt}): {@code find} would try, and fail, at every other position.
     */
    private static String withoutFillers(String c) {
        Matcher f = FILLER.matcher(c);
        for (int i = 0; i < 3 && f.lookingAt(); i++) {
            c = c.substring(f.end());
            f.reset(c);
        }
        return c;
    }

    private void add(String c, int turn) {
        String p = Sentences.abbreviate(c, 100);
        String lower = p.toLowerCase(Locale.ROOT);
        boolean dup = pains.stream().anyMatch(q -> q[0].toLowerCase(Locale.ROOT).equals(lower));
        if (!dup) {
            pains.add(new String[] {p, String.valueOf(turn)});
        }
    }

    /** The pain points for the ledger: the first {@link #MAX} said. */
    List<String> painPoints() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX, pains.size()); i++) {
            out.add(pains.get(i)[0]);
        }
        return out;
    }

    /**
     * The latest pain that says something concrete (four words or more) and is not already the goal's source text
     * (nullable), or null.
     */
    String[] latest(String notIn) {
        String skip = notIn == null ? "" : notIn.toLowerCase(Locale.ROOT);
        String[] fallback = null;
        String[] meta = null;
        for (int i = pains.size() - 1; i >= 0; i--) {
            String p = pains.get(i)[0];
            if (!skip.isEmpty() && skip.contains(p.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (META.matcher(p).find()) {
                meta = meta == null ? pains.get(i) : meta;
                continue;
            }
            if (Words.count(p) >= 4) {
                return pains.get(i);
            }
            if (fallback == null) {
                fallback = pains.get(i);
            }
        }
        return fallback != null ? fallback : meta;
    }
}
