package dev.handoff.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.Accuracy;
import dev.handoff.api.HandoffFeedback.CommitmentVerdict;
import dev.handoff.api.HandoffFeedback.Escalation;
import dev.handoff.api.HandoffFeedback.WhisperField;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.store.InMemoryContextStore;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feedback from real handoffs, exported as labelled cases and replayed: the team's own traffic scores its policy. */
class FeedbackExportTest {

    @TempDir
    Path dir;

    private final ExecutorService agents = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        agents.shutdownNow();
    }

    @Test
    void exported_feedback_replays_as_labelled_cases_that_show_the_false_alarm_and_the_late_handoff() throws Exception {
        FeedbackRecorder recorder = new FeedbackRecorder();
        Path file = dir.resolve("feedback").resolve("cases.jsonl");
        try (Handoff handoff = Handoff.builder().listener(recorder).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");

            connected(handoff, support, "fb-needed", "My order is two weeks late.",
                    "I'm sorry. I've added a $10 credit to your account and waived the shipping fee.")
                    .feedback(HandoffFeedback.builder("alice", Escalation.NEEDED).whisper(WhisperField.GOAL, Accuracy.ACCURATE)
                            .whisper(WhisperField.BUDGET, Accuracy.INACCURATE).commitment(CommitmentVerdict.confirmed("c-1"))
                            .commitment(CommitmentVerdict.corrected("c-2", "half the fee, code HALF-22")).resolved(true).customerEffort(2).build());
            connected(handoff, support, "fb-not-needed", "What time do you open on Saturdays?", "We open at 9 on Saturdays.")
                    .feedback(HandoffFeedback.builder("alice", Escalation.NOT_NEEDED).resolved(true).build());
            connected(handoff, support, "fb-late", "This is the third time I'm writing about my broken router.",
                    "Let me look into that for you.")
                    .feedback(HandoffFeedback.builder("alice", Escalation.LATE).earlierTurn(0).resolved(false).build());

            assertThat(FeedbackExport.write(recorder.drain(), handoff.contexts(), file)).isEqualTo(3);
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        String written = Files.readString(file);
        assertThat(written).as("the transcript only: no customer data, no correction").doesNotContain("Dana", "cus-", "HALF-22");
        Corpus corpus = Corpus.load(file);
        assertThat(corpus.cases()).extracting(EvalCase::id).allMatch(id -> id.startsWith("fb-ctx-"));
        assertThat(corpus.cases()).filteredOn(c -> c.tags().contains("escalation:NEEDED")).singleElement()
                .satisfies(c -> assertThat(c.tags()).contains("feedback", "resolved", "inaccurate:budget"));

        TriggerReport triggers = new TriggerEvaluation().run(corpus, "default", new RuleTriggerEvaluator(TriggerPolicy.preset(TriggerPolicy.Preset.DEFAULT)));
        Map<String, TriggerReport.Outcome> byVerdict = triggers.results().stream().collect(Collectors.toMap(
                r -> r.evalCase().tags().stream().filter(t -> t.startsWith("escalation:")).findFirst().orElseThrow(), TriggerReport.CaseResult::outcome));
        assertThat(byVerdict).containsExactlyInAnyOrderEntriesOf(Map.of("escalation:NEEDED", TriggerReport.Outcome.HIT,
                "escalation:NOT_NEEDED", TriggerReport.Outcome.FALSE_ALARM, "escalation:LATE", TriggerReport.Outcome.LATE));

        ObserverReport observer = new ObserverEvaluation().run(corpus, "default", new DeterministicSummarizer());
        assertThat(observer.score("commitments.recall", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(2, 2));
        assertThat(observer.score("commitments.value", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(1, 1));
        assertThat(observer.score("whisper.goal", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(1, 1));
        assertThat(observer.scores(ObserverReport.Split.ALL)).doesNotContainKey("budget.stated").doesNotContainKey("budget.unstated");
    }

    @Test
    void the_export_refuses_a_directory_others_can_read_and_writes_nothing() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> FeedbackExport.write(List.of(), new InMemoryContextStore(), shared.resolve("cases.jsonl")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rwxr-xr-x; Handoff's data files (they hold customer data and ids) must be in a directory only the owner can open");
        assertThat(shared.resolve("cases.jsonl")).doesNotExist();
    }

    private AgentActions connected(Handoff handoff, AgentQueue queue, String session, String first, String reply) throws Exception {
        agents.submit(() -> queue.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
        HandoffSession chat = handoff.open(SessionId.of(session), Channel.CHAT,
                new CustomerData("cus-7781", Map.of(), Map.of("name", "Dana Whitfield"), List.of()));
        chat.customer(first);
        chat.ai(reply);
        HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        AgentActions actions = handoff.agentActions(outcome.contextId()).orElseThrow();
        chat.end("done");
        return actions;
    }
}
