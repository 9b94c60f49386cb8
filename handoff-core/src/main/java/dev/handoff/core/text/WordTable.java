package dev.handoff.core.text;

import static dev.handoff.core.text.Words.AND;
import static dev.handoff.core.text.Words.ARTICLE;
import static dev.handoff.core.text.Words.BREAK;
import static dev.handoff.core.text.Words.CONFIRM;
import static dev.handoff.core.text.Words.CURRENCY;
import static dev.handoff.core.text.Words.DETERMINER;
import static dev.handoff.core.text.Words.FILLER;
import static dev.handoff.core.text.Words.HUNDRED;
import static dev.handoff.core.text.Words.LETTER_SCALE;
import static dev.handoff.core.text.Words.LOSS;
import static dev.handoff.core.text.Words.MODAL;
import static dev.handoff.core.text.Words.MONEY_CONTEXT;
import static dev.handoff.core.text.Words.MONEY_SCALE;
import static dev.handoff.core.text.Words.NEG;
import static dev.handoff.core.text.Words.NEG_RAISING;
import static dev.handoff.core.text.Words.NO;
import static dev.handoff.core.text.Words.NUMBER;
import static dev.handoff.core.text.Words.PERSON;
import static dev.handoff.core.text.Words.POINT;
import static dev.handoff.core.text.Words.PRONOUN;
import static dev.handoff.core.text.Words.REPORTED;
import static dev.handoff.core.text.Words.REQUEST_GAP;
import static dev.handoff.core.text.Words.REQUEST_VERB;
import static dev.handoff.core.text.Words.SCALE;
import static dev.handoff.core.text.Words.SENTIMENT;
import static dev.handoff.core.text.Words.STOP;
import static dev.handoff.core.text.Words.SYNONYM;
import static dev.handoff.core.text.Words.UNIT;
import static dev.handoff.core.text.Words.WHY;

import java.util.HashMap;
import java.util.Map;

/** The word lists behind {@link Words#LEXICON}: each word with its classes (flags) and, for number words, its value. */
final class WordTable {

    private WordTable() {
    }

    static Lexicon build() {
        Map<String, int[]> w = new HashMap<>();
        for (String stop : ("a an the i me my mine myself you your yours we our ours us it its itself he him his she her they "
                + "them their is am are was were be been being do does did to of in on at for with and or but so that this "
                + "these those there here what how why when where which who whom can could would will shall should may might "
                + "must have has had please pls just again still yes yeah yep no nope not ok okay hi hello hey thanks thank "
                + "um uh er like really want wanted need needed get got help about from if then than also some any all very "
                + "too now as by let let's tell said say ask asked know mean trying try | $ € £ ¥ % "
                // acknowledgements and stock replies: saying them twice is not a loop
                + "sounds sound good great perfect fine sure right correct cool awesome alright thats exactly got it understood "
                + "wonderful excellent lovely nice done"
                // address words: repeating an address is not a loop
                + " street st road rd avenue ave lane ln drive dr apt apartment suite unit zip postcode code boulevard blvd "
                + "court ct place way floor").split(" ")) {
            put(w, stop, STOP, 0);
        }
        for (String neg : "not never without nor neither nunca jamais tampoco ni".split(" ")) {
            put(w, neg, NEG, 0);
        }
        put(w, "no", NO, 0);
        put(w, "ne", NEG, 0);
        put(w, "pas", NEG, 0);
        for (String p : "i you we they he she u ya yo nosotros je nous vous".split(" ")) {
            put(w, p, PRONOUN, 0);
        }
        for (String m : "can could will would cannot".split(" ")) {
            put(w, m, MODAL, 0);
        }
        for (String v : "think believe suppose expect guess imagine feel said say says told tell claimed mean meant".split(" ")) {
            put(w, v, NEG_RAISING, 0);
        }
        for (String b : "but so because cause cuz just please instead rather then and pero sino mais donc alors".split(" ")) {
            put(w, b, BREAK, 0);
        }
        for (String f : ("please pls plz now right away asap immediately just hello hi hey um uh er erm ok okay yes yeah "
                + "no nope sir maam an a me get give want need can i talk speak to with por favor porfavor ahora hola oui non "
                + "svp stp merci si already again").split(" ")) {
            put(w, f, FILLER, 0);
        }
        for (String d : "a an the real live actual more any human". split(" ")) {
            put(w, d, DETERMINER, 0);
        }
        put(w, "why", WHY, 0);
        put(w, "pourquoi", WHY, 0);
        String[] units = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                + "sixteen seventeen eighteen nineteen").split(" ");
        for (int i = 0; i < units.length; i++) {
            put(w, units[i], NUMBER, i);
        }
        String[] tens = "twenty thirty forty fifty sixty seventy eighty ninety".split(" ");
        for (int i = 0; i < tens.length; i++) {
            put(w, tens[i], NUMBER, (i + 2) * 10);
        }
        put(w, "hundred", HUNDRED, 2);
        put(w, "thousand", SCALE, 3);
        put(w, "million", SCALE, 6);
        put(w, "billion", SCALE, 9);
        put(w, "mil", SCALE, 6);
        put(w, "mln", SCALE, 6);
        put(w, "grand", SCALE | MONEY_SCALE, 3);
        put(w, "k", SCALE | LETTER_SCALE, 3);
        put(w, "m", SCALE | LETTER_SCALE, 6);
        put(w, "mm", SCALE | LETTER_SCALE, 6);
        put(w, "mn", SCALE | LETTER_SCALE, 6);
        put(w, "bn", SCALE | LETTER_SCALE, 9);
        for (int c = 0; c < Currencies.CODES.size(); c++) {
            for (String word : Currencies.words(c)) {
                put(w, word, CURRENCY, c);
            }
        }
        for (String c : ("budget budgeted deal contract price pricing priced cost costs spend spending worth value valued "
                + "invest investment quote quoted acv arr revenue purchase buy buying license licenses licensing renewal "
                + "afford pay paying").split(" ")) {
            put(w, c, MONEY_CONTEXT, 0);
        }
        for (String u : ("users user seats seat miles mile km kilometers followers follower subscribers employees people "
                + "customers members units items orders views downloads calls messages emails records rows requests "
                + "hours minutes days weeks months years steps points words pages copies students patients visitors "
                + "clicks likes tickets accounts devices calories feet sqft lbs kg").split(" ")) {
            put(w, u, UNIT, 0);
        }
        for (String l : ("lost lose losing loss losses charged overcharged refund refunded owe owed owes damages fine fined "
                + "penalty stolen missing bill billed invoice invoiced fee fees debt costing wasted").split(" ")) {
            put(w, l, LOSS, 0);
        }
        for (String c : "confirm confirming repeat spell verify double-check check read again".split(" ")) {
            put(w, c, CONFIRM, 0);
        }
        String[][] synonyms = {
            {"internet", "connection", "wifi", "network", "broadband", "signal", "online", "router", "modem"},
            {"drop", "drops", "dropped", "dropping", "disconnect", "disconnects", "disconnected", "disconnecting", "cut",
                "cuts", "cutting", "outage", "offline", "down"},
            {"work", "works", "working", "broken", "broke", "fail", "fails", "failed", "failing", "stopped", "crash",
                "crashes", "crashed", "error", "errors"},
            {"pay", "payment", "payments", "paid", "charge", "charged", "charges", "bill", "billed", "billing", "invoice"},
            {"login", "log", "logging", "signin", "password", "passcode", "pin", "access", "locked"},
            // what was sent and whether it came: "hasn't arrived", "never received the parcel", "the box never came"
            {"delivery", "deliveries", "deliver", "delivered", "package", "packages", "parcel", "parcels", "box", "order",
                "shipment", "shipping", "shipped", "arrive", "arrives", "arrived", "arriving", "receive", "received",
                "came", "tracking"},
            {"refund", "refunded", "reimburse", "reimbursed", "reimbursement", "money"},
            {"app", "application", "website", "site", "portal", "page", "screen"},
            {"phone", "mobile", "cell", "handset", "device"},
            {"appointment", "booking", "reservation", "slot", "visit"},
        };
        for (int g = 0; g < synonyms.length; g++) {
            for (String s : synonyms[g]) {
                put(w, s, SYNONYM, g + 1);
            }
        }
        // the request form: "can I get a real person", "I want to reach someone", "put me through to an advisor"
        for (String v : "talk speak chat connect transfer reach get give want need would prefer rather put pass find escalate"
                .split(" ")) {
            put(w, v, REQUEST_VERB, 0);
        }
        for (String p : ("person human humans agent agents representative representatives rep reps operator someone "
                + "somebody anyone anybody staff employee specialist supervisor advisor adviser associate colleague "
                + "technician people").split(" ")) {
            put(w, p, PERSON, 0);
        }
        for (String g : "to with through over me us a an the your one of real live actual proper some like please just now on this it"
                .split(" ")) {
            put(w, g, REQUEST_GAP, 0);
        }
        for (String r : "had was were did used last yesterday earlier previously ago said told says".split(" ")) {
            put(w, r, REPORTED, 0);
        }
        put(w, "and", AND, 0);
        put(w, "point", POINT, 0);
        put(w, "a", ARTICLE, 1);
        put(w, "an", ARTICLE, 1);
        for (String word : SentimentWords.all()) {
            put(w, word, SENTIMENT, 0);
        }
        return new Lexicon(w);
    }

    private static void put(Map<String, int[]> w, String word, int flags, int value) {
        int[] old = w.get(word);
        if (old == null) {
            w.put(word, new int[] {flags, value});
        } else {
            old[0] |= flags;
            if (value != 0) {
                old[1] = value;
            }
        }
    }
}
