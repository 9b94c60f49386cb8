package dev.handoff.core.internal.journal;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.FileContextStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link FileJournalCrashTest}: puts contexts into a {@link FileContextStore} forever and
 * prints {@code ack <contextId>} after each put returns, until it is killed.
 */
public final class JournalChild {

    private JournalChild() {
    }

    public static void main(String[] args) throws Exception {
        String golden;
        try (InputStream in = JournalChild.class.getResourceAsStream("/schema/examples/b2b-sales-chat.json")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String padding = "x".repeat(Integer.parseInt(args[1]));
        try (FileContextStore store = FileContextStore.open(Path.of(args[0]))) {
            for (int i = 0; ; i++) {
                String id = "ctx-child-" + i;
                HandoffContext c = ContextJson.get().read(golden.replace("ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e", id)
                        .replace("\"company\": \"Acme Logistics\"", "\"company\": \"Acme Logistics\", \"note\": \"" + padding + "\""));
                store.put(c);
                System.out.println("ack " + id);
                System.out.flush();
            }
        }
    }
}
