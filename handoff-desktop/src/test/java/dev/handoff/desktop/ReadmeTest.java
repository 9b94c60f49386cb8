package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Handoff;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's few lines (the region below, checked by handoff-examples' ReadmeSnippetsTest): a token file, the desktop, a Handoff, start, sign in. */
class ReadmeTest {

    @TempDir
    Path dir;

    @Test
    void the_readme_lines_start_a_desktop_people_can_sign_in_to() throws Exception {
        Path agents = dir.resolve("agents.json");
        Files.writeString(agents, "{\"agents\": ["
                + "{\"id\": \"ana\", \"name\": \"Ana Lopez\", \"role\": \"AGENT\", \"tenant\": \"northwind\", \"queues\": [\"support\"],"
                + " \"skills\": [\"es\"], \"tokenSha256\": \"" + StaticTokenAuthenticator.sha256("ana-readme-token-0001") + "\"},"
                + "{\"id\": \"sue\", \"name\": \"Sue Park\", \"role\": \"SUPERVISOR\", \"tenant\": \"northwind\", \"tokenSha256\": \""
                + StaticTokenAuthenticator.sha256("sue-readme-token-0001") + "\"}]}");

        // tag::start-desktop[]
        AgentDesktop desk = AgentDesktop.builder(StaticTokenAuthenticator.fromFile(agents)).build();
        Handoff handoff = Handoff.builder().agentNotifier(desk).build();
        desk.start(handoff);                                   // 127.0.0.1, a free port
        System.out.println("Sign in at " + desk.signInUri());  // the wallboard is at desk.wallboardUri()
        // end::start-desktop[]

        try (desk; handoff; DeskClient ana = DeskClient.signedIn(desk, "ana-readme-token-0001");
             DeskClient sue = DeskClient.signedIn(desk, "sue-readme-token-0001")) {
            assertThat(desk.signInUri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/signin");
            assertThat(desk.port()).isNotEqualTo(8080);
            assertThat(ana.get("/").status()).isEqualTo(200);
            assertThat(sue.get(desk.wallboardUri().getPath()).status()).isEqualTo(200);
        }
    }
}
