package dev.handoff.core.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.core.text.Normalizer;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every turn of handoff-eval's shipped corpora (trigger corpus, held-out set, observer corpus), read from the sources,
 * and a turn read the way the trigger engine reads it, for the tests that compare two readings of the same tokens.
 */
final class CorpusTurns {

    static final Path CORPORA = Path.of("../handoff-eval/src/main/resources/dev/handoff/eval");

    /** One turn: {@code id} is the case's id, {@code #}, and the turn's index. */
    record Turn(String id, String text) {
    }

    private CorpusTurns() {
    }

    /** {@code text} read as the engine reads a turn: normalized, tokenized, the policy's typos corrected. */
    static Scratch readAsTheEngine(String text, CompiledPolicy policy) {
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        Words.markTypos(s, policy.typos);
        Words.correctTypos(s, policy.typos);
        return s;
    }

    static List<Turn> all() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPORA)) {
            files = walk.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        ObjectMapper json = new ObjectMapper();
        List<Turn> turns = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("//")) {
                    continue;
                }
                JsonNode c = json.readTree(line);
                JsonNode t = c.get("turns");
                for (int i = 0; i < t.size(); i++) {
                    turns.add(new Turn(c.get("id").asText() + "#" + i, t.get(i).path("text").asText("")));
                }
            }
        }
        return turns;
    }
}
