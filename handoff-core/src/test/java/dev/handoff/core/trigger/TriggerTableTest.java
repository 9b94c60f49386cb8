package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every phrase-and-amount trigger on realistic customer utterances: the rule that must fire (with the exact
 * evidence) or "-" when nothing may fire. Columns: preset | utterance | rule id | evidence.
 */
class TriggerTableTest {

    private static final Map<Preset, RuleTriggerEvaluator> ENGINES = new EnumMap<>(Preset.class);

    static RuleTriggerEvaluator engine(Preset preset) {
        synchronized (ENGINES) {
            return ENGINES.computeIfAbsent(preset, p -> new RuleTriggerEvaluator(TriggerPolicy.preset(p)));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # explicit request: the seed's phrases, odd punctuation, Unicode apostrophes and dashes, contractions
            DEFAULT | let me talk to a person                                  | explicit.request | talk to a person
            DEFAULT | I want a human                                           | explicit.request | want a human
            DEFAULT | Transfer me to an agent.                                 | explicit.request | Transfer me
            DEFAULT | REPRESENTATIVE!!!                                        | explicit.request | REPRESENTATIVE
            DEFAULT | operator?                                                | explicit.request | operator
            DEFAULT | can I   speak\twith a REAL person—please                  | explicit.request | speak\twith a REAL person
            DEFAULT | I’d like a live agent                                    | explicit.request | I’d like a live agent
            DEFAULT | ok... get me a human being, now                          | explicit.request | get me a human
            DEFAULT | talk-to-a-human                                          | explicit.request | talk-to-a-human
            DEFAULT | Why can't I talk to a person?                            | explicit.request | talk to a person
            DEFAULT | no I want a human                                        | explicit.request | want a human
            DEFAULT | I don't want the bot, I want a human                     | explicit.request | I don't want the bot
            DEFAULT | is there a human there?                                  | explicit.request | is there a human
            DEFAULT | HUMAN PLEASE!!!???                                       | explicit.request | HUMAN
            DEFAULT | "speak to someone" — now.                                | explicit.request | speak to someone
            DEFAULT | i wanna talk 2 a human... pls, i want a human            | explicit.request | want a human
            # negated requests never fire
            DEFAULT | I don't need a human                                     | -                |
            DEFAULT | I dont need a human, thanks                              | -                |
            DEFAULT | I don’t need a human                                     | -                |
            DEFAULT | no, not an operator                                      | -                |
            DEFAULT | no, not an agent                                         | -                |
            DEFAULT | please don't transfer me to an agent                     | -                |
            DEFAULT | I never asked to speak to a representative               | -                |
            DEFAULT | you are a helpful assistant, are you a human?            | -                |
            DEFAULT | the cooperator painting arrived                          | -                |
            # the request form: a request verb, small words, a person, in wordings no phrase lists
            DEFAULT | could you get somebody from billing on the line          | explicit.request-form | get somebody
            DEFAULT | I want to reach someone about my claim                   | explicit.request-form | want to reach someone
            DEFAULT | just pass this over to a colleague of yours              | explicit.request-form | pass this over to a colleague
            DEFAULT | I would prefer a proper specialist                       | explicit.request-form | would prefer a proper specialist
            DEFAULT | find me an actual technician                             | explicit.request-form | find me an actual technician
            DEFAULT | ok i need an employee on the phone                       | explicit.request-form | need an employee
            # ... and not when negated, past, reported, asked about, a compound or too far apart
            DEFAULT | I don't want to reach anyone, the bot is fine            | -                |
            DEFAULT | I had to get someone to fix it last year                 | -                |
            DEFAULT | she said I need a specialist for that                    | -                |
            DEFAULT | do I need to reach someone to cancel an appointment?     | -                |
            DEFAULT | I want to contact human resources                        | -                |
            DEFAULT | I want my parcel delivered to someone at my office       | -                |
            DEFAULT | the technician I need is booked for Tuesday              | -                |
            # kill switch
            DEFAULT | This is stupid                                           | kill.abuse       | This is stupid
            DEFAULT | I want to cancel my subscription                         | kill.churn       | want to cancel my subscription
            DEFAULT | put your MANAGER on                                      | kill.manager     | put your MANAGER on
            DEFAULT | I'm filing a lawsuit                                     | kill.legal-threat | filing a lawsuit
            DEFAULT | I'm going to sue you                                     | kill.legal-threat | I'm going to sue
            # regulatory
            DEFAULT | I was charged twice this month                           | regulatory.financial-dispute | charged twice
            DEFAULT | there's an unauthorized transaction on my card           | regulatory.financial-dispute | unauthorized transaction
            DEFAULT | I want to dispute this charge                            | regulatory.financial-dispute | dispute this charge
            DEFAULT | I never authorised that payment                          | regulatory.financial-dispute | never authorised
            DEFAULT | the direct debit came out twice this month               | regulatory.financial-dispute | came out twice
            DEFAULT | you charged me again after I cancelled                   | regulatory.financial-dispute | charged me again after I cancelled
            DEFAULT | you took 40 pounds from my account without asking me     | regulatory.payment-not-mine | from my account without asking me
            DEFAULT | when will the direct debit come out this month?          | -                |
            DEFAULT | you took money out of my account twice this month        | regulatory.financial-dispute | took money out of my account twice
            DEFAULT | can I take money out of my account twice a day?          | -                |
            # privacy, complex matters and requests for a person in plain words
            DEFAULT | what information do you actually hold about me?          | regulatory.privacy | what information do you actually hold about me
            DEFAULT | I never said you could keep my details after I left       | regulatory.privacy | never said you could keep my
            DEFAULT | everything you have about me is correct, thanks          | -                |
            DEFAULT | is the small claims limit the same in Scotland?          | -                |
            DEFAULT | I've been passed around between three departments       | complex.passed-around | I've been passed around
            DEFAULT | my account got merged with my wife's by mistake          | complex.cross-system | account got merged
            DEFAULT | I've got two accounts and the refund went to the closed one | complex.two-accounts | two accounts and the refund
            DEFAULT | I have two accounts, how do I switch between them?       | -                |
            DEFAULT | the parcel was passed around between depots             | -                |
            DEFAULT | can I phone someone about this instead?                  | explicit.request | can I phone someone
            DEFAULT | is anyone actually there                                 | explicit.request | is anyone actually there
            DEFAULT | is anyone there?                                         | explicit.request | is anyone there
            DEFAULT | is anyone there on Sundays?                              | -                |
            DEFAULT | no need to call me, someone can email the receipt        | -                |
            DEFAULT | please delete my data                                    | regulatory.privacy | delete my data
            DEFAULT | Delete all my personal information.                      | regulatory.privacy | Delete all my personal information
            DEFAULT | I am making a GDPR request                               | regulatory.privacy | GDPR
            DEFAULT | what data do you hold about me?                          | regulatory.privacy | what data do you hold about me
            DEFAULT | I received a cease-and-desist letter                     | regulatory.legal | cease-and-desist
            DEFAULT | this is a legal matter                                   | regulatory.legal | legal matter
            DEFAULT | my test results came back                                | -                |
            DENTAL_PRACTICE | can you read me my test results                  | regulatory.phi   | my test results
            # complex issue
            DEFAULT | could you make an exception just this once              | complex.policy-exception | make an exception
            DEFAULT | can you waive the late fee                               | complex.policy-exception | waive the late fee
            DEFAULT | I have two accounts and need them merged                 | complex.two-accounts | two accounts and need them merged
            DEFAULT | what's your API latency under load?                      | complex.technical-objection | API latency
            DEFAULT | do you support SSO through Okta?                         | complex.technical-objection | SSO
            # sales: amounts written several ways, negotiation, custom solutions, contract terms
            DEFAULT | our budget is $75,000 for this                           | sales.amount     | $75,000
            DEFAULT | we're looking at a 75k deal                              | sales.amount     | 75k
            DEFAULT | about seventy five thousand dollars a year               | sales.amount     | seventy five thousand dollars
            DEFAULT | we can spend EUR 50k                                     | sales.amount     | EUR 50k
            DEFAULT | maybe €60.000 hmm no, €60,000                            | sales.amount     | €60,000
            DEFAULT | a budget of 1.2 million                                  | sales.amount     | 1.2 million
            DEFAULT | we spend $1.5M a year                                    | sales.amount     | $1.5M
            DEFAULT | a hundred grand                                          | sales.amount     | a hundred grand
            DEFAULT | around £45k                                              | sales.amount     | £45k
            DEFAULT | seventy-five thousand dollars, give or take             | sales.amount     | seventy-five thousand dollars
            DEFAULT | budget: $75K/yr                                          | sales.amount     | $75K
            DEFAULT | roughly US$ 80,000                                       | sales.amount     | $ 80,000
            DEFAULT | 60k euros per year                                       | sales.amount     | 60k euros
            DEFAULT | two hundred and fifty thousand dollars                   | sales.amount     | two hundred and fifty thousand dollars
            DEFAULT | our budget for this is around 250 thousand a year       | sales.amount     | 250 thousand
            HIGH_GATE | we can do EUR 40k                                      | sales.amount     | EUR 40k
            DEFAULT | EUR 40k                                                  | -                |
            DEFAULT | our budget is $40,000                                    | -                |
            DEFAULT | my order number is 75000                                 | -                |
            DEFAULT | we have 75 thousand employees                            | -                |
            DEFAULT | is there any discount for nonprofits?                    | sales.negotiation | discount
            DEFAULT | can you give us a better price                           | sales.negotiation | better price
            DEFAULT | we need a custom integration with our ERP                | sales.custom-solution | custom integration
            DEFAULT | our legal team wants to redline the MSA                  | sales.contract   | redline
            DEFAULT | what are the net 60 payment terms                        | sales.contract   | net 60
            HIGH_GATE | any discount if we pay yearly?                         | -                |
            DEFAULT | can you do 15% off if we sign today?                     | sales.percent-off | can you do 15% off
            HIGH_GATE | can you do 15% off if we sign today?                   | -                |
            DEFAULT | the promo code from your email isn't working             | -                |
            # a call from the team asked for, and one that already came (families-14)
            DEFAULT | can I get a callback from one of your team?             | explicit.request | callback from one of your team
            DEFAULT | I got a call from one of your team yesterday             | -                |
            DEFAULT | thanks for the call from your staff this morning         | -                |
            DEFAULT | a call from your agents woke me up at 7am                | -                |
            # pricing for many people: a price word with seats, users or a whole organisation, in one sentence
            DEFAULT | can you send me a quote for 120 user licenses?           | sales.many-seats | quote for 120 user licenses
            DEFAULT | we're a team of 80, what would that cost us per year?    | sales.many-seats | team of 80, what would that cost
            DEFAULT | how much for 2,000 seats                                 | sales.many-seats | how much for 2,000 seats
            DEFAULT | is there a price break past 100 users?                   | sales.negotiation | price break
            DEFAULT | who can I talk to about pricing?                         | sales.negotiation | talk to about pricing
            DEFAULT | what's the price for two licences?                       | -                |
            DEFAULT | how much does it cost to pick my seats on the flight?    | -                |
            DEFAULT | the price went up for all our users and nobody told us   | -                |
            DEFAULT | the outage cost our whole staff a day                    | -                |
            DEFAULT | all our staff like the app. the price is fine            | -                |
            HIGH_GATE | we'd spend about $12,000                               | sales.amount     | $12,000
            # urgency
            DEFAULT | this is urgent                                           | urgency.words    | urgent
            DEFAULT | EMERGENCY!!                                              | urgency.words    | EMERGENCY
            DEFAULT | I need this fixed asap                                   | urgency.words    | asap
            DEFAULT | our website is down                                      | urgency.words    | website is down
            DEFAULT | it's not urgent                                          | -                |
            DEFAULT | no emergency, just a question                            | -                |
            # negative sentiment phrases
            DEFAULT | this is ridiculous                                       | sentiment.frustration | this is ridiculous
            DEFAULT | I'm so frustrated with this                              | sentiment.frustration | frustrated
            DEFAULT | you're not listening                                     | sentiment.frustration | you're not listening
            DEFAULT | I've already told you that                               | sentiment.frustration | I've already told you
            DEFAULT | I don't understand                                       | sentiment.confusion | I don't understand
            DEFAULT | that makes no sense                                      | sentiment.confusion | makes no sense
            DEFAULT | I'm not frustrated, just curious                         | -                |
            # the seed's dental practice
            DENTAL_PRACTICE | I'm in a lot of pain                             | dental.pain      | pain
            DENTAL_PRACTICE | It's an emergency, my tooth got knocked out      | dental.pain      | emergency
            DENTAL_PRACTICE | I'd like to talk to the dentist about my options | dental.dentist   | talk to the dentist
            DENTAL_PRACTICE | what are my treatment options for a root canal   | dental.dentist   | treatment options
            DENTAL_PRACTICE | I need to cancel my appointment on Tuesday       | -                |
            DENTAL_PRACTICE | can I book a cleaning next week                  | -                |
            DENTAL_PRACTICE | no pain at all, just a checkup                   | -                |
            # legal intake: lawsuits are business, deadlines are urgent
            LEGAL_INTAKE | I want to file a lawsuit against my landlord       | -                |
            LEGAL_INTAKE | do I have a case?                                  | legal.advice     | do I have a case
            LEGAL_INTAKE | my court date is tomorrow                          | legal.deadline   | court date
            LEGAL_INTAKE | your firm is stupid                                | kill.abuse-words | stupid
            # B2B sales
            B2B_SALES | we're ready to sign this quarter                      | sales.buying-signal | ready to sign
            B2B_SALES | the deal is around 80k                                | sales.amount     | 80k
            # ordinary turns fire nothing
            DEFAULT | My invoice shows a charge I don't recognise              | -                |
            DEFAULT | I ordered running shoes two weeks ago, where are they?   | -                |
            DEFAULT | can you help me reset my password                        | -                |
            DEFAULT | thanks, that worked!                                     | -                |
            DEFAULT | can you connect me to the wifi at the store?             | -                |
            DEFAULT | please connect me with billing                           | explicit.request | connect me with billing
            DEFAULT | ''                                                       | -                |
            """)
    void customer_utterance_fires_exactly_the_expected_rule(Preset preset, String utterance, String ruleId, String evidence) {
        String text = utterance.equals("''") ? "" : utterance.replace("\\t", "\t");
        HandoffDecision decision = new Conversation(engine(preset)).customer(text);

        if (ruleId.equals("-")) {
            assertThat(decision.action()).as("decision on \"%s\": %s", text, decision.reasons()).isEqualTo(HandoffDecision.Action.CONTINUE);
            return;
        }
        assertThat(decision.reasons()).extracting(Reason::ruleId).as("on \"%s\"", text).contains(ruleId);
        Reason reason = decision.reasons().stream().filter(r -> r.ruleId().equals(ruleId)).findFirst().orElseThrow();
        String expected = evidence.replace("\\t", "\t");
        assertThat(reason.evidence().text()).isEqualTo(expected);
        assertThat(text.substring(reason.evidence().start(), reason.evidence().end())).isEqualTo(expected);
        assertThat(reason.turnIndex()).isZero();
        assertThat(reason.detail()).endsWith("\"" + expected + "\"");
    }
}
