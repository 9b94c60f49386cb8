package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The families of issue 13 on one customer turn each: false alarms that must stay quiet and requests that must
 * not be missed. Columns: preset | utterance | the rule that must fire first (a rule id or the start of one, such
 * as {@code sentiment.}), or "-" when nothing may fire.
 */
class RealSpeechTableTest {

    @ParameterizedTest(name = "[{index}] {0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # kill switch: routine turns with the old kill-switch words stay with the bot
            DEFAULT | I need to cancel my appointment for Thursday                | -
            DEFAULT | what is your cancellation policy?                           | -
            DEFAULT | is there a cancellation fee if I change the date?           | -
            DEFAULT | I'm the office manager, I handle the billing here           | -
            DEFAULT | my account manager said you could help with the invoice     | -
            DEFAULT | I'm not going to sue anyone, I just want my package         | -
            DEFAULT | sorry, that was a dumb question on my part                  | -
            DEFAULT | I feel so stupid, I forgot my password again                | -
            DEFAULT | I got a scam text pretending to be you, is it real?         | -
            DEFAULT | can I cancel the order I placed an hour ago?                | -
            DEFAULT | my manager asked me to get a copy of the receipt            | -
            # kill switch: each category fires, and names itself
            DEFAULT | I want to speak to your manager right now                   | kill.manager
            DEFAULT | get me a supervisor                                         | kill.manager
            DEFAULT | manager!                                                    | kill.manager
            DEFAULT | cancel my account today                                     | kill.churn
            DEFAULT | we are switching to another provider next month             | kill.churn
            DEFAULT | my lawyer will be in touch                                  | kill.legal-threat
            DEFAULT | I'd like to speak to an attorney about this                 | kill.legal-threat
            DEFAULT | I'm going to take you to court over this                    | kill.legal-threat
            DEFAULT | you are useless, all of you                                 | kill.abuse
            DEFAULT | this stupid bot never understands anything                  | kill.abuse
            DEFAULT | what the fuck is wrong with you people, this is terrible     | kill.abuse
            # bare nouns and reported speech
            DEFAULT | the representative I spoke to last week promised a refund   | -
            DEFAULT | my phone operator blocked international calls               | -
            DEFAULT | can you give me a human resources contact for payroll?      | -
            DEFAULT | are you a real person?                                      | -
            DEFAULT | your agent said the refund was processed                    | -
            DEFAULT | the agent on the phone yesterday was really kind            | -
            DEFAULT | is it a human error on the invoice?                         | -
            DEFAULT | I never asked for an agent, I asked about my bill           | -
            DEFAULT | I don't think I need to talk to anyone, just tell me the hours | -
            DEFAULT | no need to transfer me, that answers it                     | -
            # one-word turns, repetition, typos, width and accents, voice interjections
            DEFAULT | agent                                                       | explicit.request
            DEFAULT | Human.                                                      | explicit.request
            DEFAULT | AGENT AGENT                                                 | explicit.request
            DEFAULT | representative please!!                                    | explicit.request
            DEFAULT | operator                                                    | explicit.request
            DEFAULT | real person                                                 | explicit.request
            DEFAULT | represntative                                               | explicit.request
            DEFAULT | i want to talk to an agnet                                  | explicit.request
            DEFAULT | can i speak to a humna please                               | explicit.request
            DEFAULT | ＡＧＥＮＴ                                                   | explicit.request
            DEFAULT | Ｉ ｗａｎｔ ａ ｈｕｍａｎ                                       | explicit.request
            DEFAULT | no no just get me a person                                  | explicit.request
            DEFAULT | no I want a human                                           | explicit.request
            DEFAULT | I can't get through to anyone let me talk to a person       | explicit.request
            DEFAULT | why won't you just transfer me                              | explicit.request
            DEFAULT | I don't want the bot I want a human                         | explicit.request
            DEFAULT | is there a human there?                                     | explicit.request
            # what a thing would do, asked about, is not a request for it; the customer asking still is
            DEFAULT | will cancelling the trial delete my data?                   | -
            DEFAULT | would that cancel my subscription?                          | -
            DEFAULT | does closing the tab erase my information?                  | -
            DEFAULT | if I log out will it remove my history?                     | -
            DEFAULT | can you delete my data?                                     | regulatory.privacy
            DEFAULT | would it be possible to delete my data                      | regulatory.privacy
            DEFAULT | please delete my data                                       | regulatory.privacy
            DEFAULT | will someone cancel my subscription already                 | kill.churn
            # numbers that are not money, complaint amounts
            DEFAULT | the car has 60k miles on it                                 | -
            DEFAULT | our account has 2m followers                                | -
            DEFAULT | we have 50k users on the free tier                          | -
            DEFAULT | we're looking at 75k                                        | -
            DEFAULT | I lost $60,000 because of your outage                       | urgency.words
            DEFAULT | you charged me $75,000 for nothing                          | -
            DEFAULT | our budget is 75k for the rollout                           | sales.amount
            DEFAULT | the contract would be about 120 thousand a year             | sales.amount
            # loops and sentiment need a conversation (see SignalRulesTest); a single polite turn is quiet
            DEFAULT | sounds good                                                 | -
            DEFAULT | thanks, that's perfect                                      | -
            DEFAULT | this is terrible, absolutely useless, nothing works         | sentiment.
            # negation scope: the clause, not three words
            DEFAULT | I never said I was frustrated                               | -
            DEFAULT | it is honestly not really that urgent                       | -
            DEFAULT | no, it's not an emergency                                   | -
            # sections switched off switch off their phrase rules too
            DENTAL_PRACTICE | can you give us a better price on whitening?        | -
            DENTAL_PRACTICE | any discount for paying cash?                       | -
            LEGAL_INTAKE | do you negotiate a lower rate for a flat fee?          | -
            LEGAL_INTAKE | I want to sue my landlord                              | -
            """)
    void one_turn_fires_the_expected_rule_or_nothing(Preset preset, String utterance, String ruleId) {
        HandoffDecision decision = new Conversation(TriggerTableTest.engine(preset)).customer(utterance);

        if (ruleId.equals("-")) {
            assertThat(decision.action()).as("decision on \"%s\": %s", utterance, decision.reasons()).isEqualTo(HandoffDecision.Action.CONTINUE);
            return;
        }
        assertThat(decision.reasons()).extracting(Reason::ruleId).as("on \"%s\"", utterance).first().asString().startsWith(ruleId);
        Reason reason = decision.reasons().get(0);
        if (reason.evidence() != null) {
            assertThat(utterance.substring(reason.evidence().start(), reason.evidence().end())).isEqualTo(reason.evidence().text());
        }
        if (ruleId.startsWith("kill.")) {
            assertThat(decision.action()).isEqualTo(HandoffDecision.Action.SILENT_ALARM);
            assertThat(reason.detail()).startsWith("Kill switch (");
        }
    }

    @ParameterizedTest(name = "[{index}] {0} session: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            es | quiero hablar con un agente                    | es.explicit.request
            es | ¿Puedo hablar con una persona, por favor?      | es.explicit.request
            es | agente                                         | es.explicit.request
            es | necesito ayuda cuanto antes, por favor          | es.urgency.words
            es | voy a cancelar mi suscripción                  | es.kill.churn
            es | quiero hablar con el gerente                   | es.kill.manager
            es | no quiero hablar con un agente, gracias        | -
            es | el agente de viajes me dio este número         | -
            fr | je voudrais parler à un conseiller             | fr.explicit.request
            fr | Je veux parler à quelqu'un                     | fr.explicit.request
            fr | conseillère                                    | fr.explicit.request
            fr | aidez-moi au plus vite s'il vous plaît         | fr.urgency.words
            fr | je vais résilier mon abonnement                | fr.kill.churn
            fr | je ne veux pas parler à un conseiller          | -
            en | quiero hablar con un agente                    | -
            en | je voudrais parler à un conseiller             | -
            """)
    void language_packs_fire_only_in_sessions_of_their_language(String language, String utterance, String ruleId) {
        Conversation chat = new Conversation(TriggerTableTest.engine(Preset.DEFAULT))
                .withCustomer(dev.handoff.api.CustomerData.UNKNOWN.withField("language", language));

        HandoffDecision decision = chat.customer(utterance);

        if (ruleId.equals("-")) {
            assertThat(decision.action()).as("decision on \"%s\": %s", utterance, decision.reasons()).isEqualTo(HandoffDecision.Action.CONTINUE);
        } else {
            assertThat(decision.reasons()).extracting(Reason::ruleId).as("on \"%s\"", utterance).contains(ruleId);
        }
    }
}
