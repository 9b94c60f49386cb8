package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.HandoffOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The agent desktop in a real headless Chromium, in front of a real Handoff: sign-in, the whisper first, opening the
 * chat, the per-commitment countdown, accept and decline, the chat relay both ways, a commitment corrected, hand-back,
 * a queue handoff invisible outside the queue, empty sections hidden, AA contrast, the idle logoff. Screenshots land in
 * {@code target/screenshots/}.
 */
class DesktopBrowserTest {

    DeskFixture f;
    Browsers browsers;

    @BeforeEach
    void start() throws Exception {
        browsers = Browsers.start();
        f = new DeskFixture();
    }

    @AfterEach
    void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void an_agent_takes_a_chat_whisper_first_writes_to_the_customer_corrects_a_promise_and_hands_back() throws Exception {
        ChromeDriver ana = browsers.open();
        WebDriverWait wait = Browsers.waiting(ana);
        Browsers.signIn(ana, f.desk, DeskFixture.ANA_TOKEN);
        assertThat(text(ana, "agent-name")).isEqualTo("Ana Lopez");
        assertThat(ana.findElement(By.id("empty-state")).isDisplayed()).isTrue();

        DeskFixture.Chat chat = f.chat("chat-browser-1", "Dana Whitfield", "support", "northwind", "cust-7781");

        // the whisper comes first, with a readable label instead of the raw session id, and the offer to take it
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("whisper")));
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=offer]")).size() == 1);
        String contextId = f.contextId(chat.id());
        var context = f.handoff.contexts().get(contextId).orElseThrow();
        assertThat(text(ana, "whisper-goal")).isEqualTo(context.whisper().goal());
        assertThat(text(ana, "whisper-opening")).isEqualTo(context.whisper().suggestedOpening());
        assertThat(text(ana, "handoff-label")).matches("Dana Whitfield · chat #[A-Z2-9]{4}");
        assertThat(ana.findElement(By.tagName("body")).getText()).doesNotContain("chat-browser-1");
        assertThat(y(ana, "whisper")).as("whisper first").isLessThan(y(ana, "notification"));
        assertThat(text(ana, "preview")).isEqualTo("Look, can I just talk to a person about the price? This is going in circles.");
        assertThat(ana.findElement(By.cssSelector("[data-testid=offer-goal]")).getText()).isEqualTo(context.whisper().goal());

        // 45 s later she opens it: each commitment's countdown starts now, not at delivery
        f.deskClock.advance(Duration.ofSeconds(45));
        ana.findElement(By.id("open-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=turn]")).size() == 6);
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=commitment-countdown]")).size() == 2
                && d.findElements(By.cssSelector("[data-testid=commitment-countdown]")).stream().allMatch(e -> !e.getText().isEmpty()));
        for (WebElement countdown : ana.findElements(By.cssSelector("[data-testid=commitment-countdown]"))) {
            assertThat(countdown.getText()).matches("(1:00|0:5\\d) left to verify");
        }
        assertThat(ana.findElement(By.id("crm-card")).isDisplayed()).isTrue();
        assertThat(ana.findElements(By.cssSelector("[data-testid=crm-interaction]"))).hasSize(1);
        assertThat(ana.findElement(By.cssSelector("[data-testid=turn][data-index='0']")).getText())
                .contains("Customer", "We need the compliance module for about 40 seats before our Q3 audit.");

        // accept the offer: the chat is hers, the composer appears
        ana.findElement(By.cssSelector("[data-testid=offer-accept]")).click();
        assertThat(chat.outcome().get(10, TimeUnit.SECONDS).connected().orElseThrow().agentId()).isEqualTo("ana");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
        assertThat(ana.findElements(By.cssSelector("[data-testid=offer]"))).isEmpty();

        // the relay: she types, the customer's side receives it; the customer answers, she sees it
        ana.findElement(By.id("message")).sendKeys("Hi Dana, I'm Ana. Let's settle the price now.", Keys.ENTER);
        HandoffEvent.AgentMessage delivered = f.toCustomer.poll(10, TimeUnit.SECONDS);
        assertThat(delivered).isNotNull();
        assertThat(delivered.turn().text()).isEqualTo("Hi Dana, I'm Ana. Let's settle the price now.");
        chat.session().customer("Thanks Ana. Can you really do 15%?");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Thanks Ana. Can you really do 15%?"));
        assertThat(ana.findElement(By.cssSelector("[data-testid=turn][data-index='6']")).getText())
                .contains("Agent", "Hi Dana, I'm Ana. Let's settle the price now.");
        assertThat(ana.findElement(By.id("live-indicator")).isDisplayed()).isTrue();

        // she corrects the 15% the AI hinted at to 10%, through core's ledger
        WebElement discount = commitment(ana, "DISCOUNT");
        String discountId = discount.getAttribute("data-commitment-id");
        discount.findElement(By.cssSelector("[data-testid=commitment-correct-value]")).sendKeys("10%");
        discount.findElement(By.cssSelector("[data-testid=commitment-correct]")).click();
        wait.until(d -> "CORRECTED".equals(commitmentById(ana, discountId).getAttribute("data-status")));
        assertThat(commitmentById(ana, discountId).findElement(By.cssSelector("[data-testid=commitment-value]")).getText()).isEqualTo("15% \u2192 10%");
        assertThat(commitmentById(ana, discountId).findElement(By.cssSelector("[data-testid=commitment-status]")).getText()).isEqualTo("CORRECTED by ana");
        assertThat(f.handoff.commitments().commitments(chat.id())).filteredOn(c -> c.id().equals(discountId)).singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo(Commitment.Status.CORRECTED);
                    assertThat(c.correctedValue()).isEqualTo("10%");
                });

        ana.findElement(By.id("read-button")).click();
        wait.until(ExpectedConditions.textMatches(By.id("read-status"), java.util.regex.Pattern.compile("Read by ana at \\d{2}:\\d{2}:\\d{2}")));

        assertThat(Browsers.contrastFailures(ana)).as("text below WCAG AA contrast").isEmpty();
        assertThat(Browsers.smallestChartLabel(ana, "#sentiment-chart .axis-text")).as("chart labels in px").isGreaterThanOrEqualTo(12);
        Browsers.screenshot(ana, "desktop");

        // hand back with a note: it becomes part of the conversation
        ana.findElement(By.id("handback-note")).sendKeys("Agreed 10% for 40 seats; send the order form");
        ana.findElement(By.id("handback-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"),
                "Handed back by ana: Agreed 10% for 40 seats; send the order form"));
        assertThat(f.handoff.phase(chat.id())).contains(HandoffPhase.RETURNED_TO_BOT);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("composer")));
        assertThat(text(ana, "handoff-phase")).isEqualTo("· returned to the bot");

        // feedback on the handoff, after it ended: one more action through AgentActions, audited with codes only
        new org.openqa.selenium.support.ui.Select(ana.findElement(By.id("feedback-escalation"))).selectByValue("LATE");
        ana.findElement(By.cssSelector("[data-testid=feedback-wrong][value=GOAL]")).click();
        ana.findElement(By.id("feedback-resolved")).click();
        new org.openqa.selenium.support.ui.Select(ana.findElement(By.id("feedback-effort"))).selectByValue("3");
        ana.findElement(By.id("feedback-button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("feedback-status"), "Feedback sent. Thank you."));
        assertThat(f.audit.records()).filteredOn(r -> r.action() == dev.handoff.api.spi.AuditRecord.Action.FEEDBACK_GIVEN)
                .extracting(r -> r.actor() + " " + r.outcome()).containsExactly("ana LATE:resolved:effort-3:wrong-1");
    }

    @Test
    void a_declined_chat_goes_to_the_next_agent_and_leaves_the_first_agents_desk() throws Exception {
        ChromeDriver ana = browsers.open();
        WebDriverWait wait = Browsers.waiting(ana);
        Browsers.signIn(ana, f.desk, DeskFixture.ANA_TOKEN);
        try (DeskClient max = DeskClient.signedIn(f.desk, DeskFixture.MAX_TOKEN)) {
            DeskClient.Socket maxSocket = max.socket("/ws");
            maxSocket.next("hello");
            DeskFixture.Chat chat = f.chat("chat-browser-2", "Priya Natarajan", "support");

            // one of the two support agents gets the offer first; make it ana's by having max decline his if needed
            var first = waitForOffer(ana, maxSocket, wait);
            if (first == null) {
                assertThat(max.post("/api/offers/" + maxSocket.next("offer").path("offerId").asText() + "/decline").status()).isEqualTo(200);
                wait.until(d -> d.findElements(By.cssSelector("[data-testid=offer]")).size() == 1);
            }
            ana.findElement(By.cssSelector("[data-testid=offer-decline]")).click();

            var offer = maxSocket.next(n -> "offer".equals(n.path("type").asText()) && n.path("contextId").asText().equals(f.contextId(chat.id())));
            assertThat(max.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(chat.outcome().get(10, TimeUnit.SECONDS).connected().orElseThrow().agentId()).isEqualTo("max");
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=handoff-item]")).isEmpty());
            assertThat(ana.findElements(By.cssSelector("[data-testid=offer]"))).isEmpty();
            assertThat(text(ana, "desk-error")).isEqualTo("A handoff left your desk: another agent took this chat.");
            assertThat(f.audit.records()).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo(dev.handoff.api.spi.AuditRecord.Action.OFFER_DECLINED);
                assertThat(r.actor()).isEqualTo("ana");
            });
        }
    }

    /** Waits until ana's page or max's socket has the offer; null when max got it. */
    private static Object waitForOffer(ChromeDriver ana, DeskClient.Socket max, WebDriverWait wait) {
        return wait.until(d -> {
            if (!d.findElements(By.cssSelector("[data-testid=offer]")).isEmpty()) {
                return Boolean.TRUE;
            }
            return max.seen.stream().anyMatch(n -> "offer".equals(n.path("type").asText())) ? Boolean.FALSE : null;
        }) ? Boolean.TRUE : null;
    }

    @Test
    void a_queue_handoff_is_invisible_to_an_agent_outside_the_queue_and_empty_sections_stay_hidden() throws Exception {
        ChromeDriver ben = browsers.open();
        WebDriverWait wait = Browsers.waiting(ben);
        Browsers.signIn(ben, f.desk, DeskFixture.BEN_TOKEN);

        // ana is in support: the support chat really is on the desktop, offered to her
        DeskClient anaClient = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN);
        DeskClient.Socket anaSocket = anaClient.socket("/ws");
        anaSocket.next("hello");
        DeskFixture.Chat support = f.chat("chat-browser-3", "Dana Whitfield", "support");
        anaSocket.next("offer");
        DeskFixture.Chat billing = f.chat("chat-browser-4", "Marco Rossi", "billing");   // no CRM profile for Marco

        wait.until(d -> d.findElements(By.cssSelector("[data-testid=handoff-item]")).size() == 1);
        assertThat(text(ben, "handoff-label")).startsWith("Marco Rossi · chat #");
        assertThat(ben.findElement(By.tagName("body")).getText()).doesNotContain("Dana");
        ben.findElement(By.id("open-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=turn]")).size() == 6);
        assertThat(ben.findElement(By.id("crm-card")).isDisplayed()).as("no CRM profile: no CRM card").isFalse();
        assertThat(ben.findElement(By.id("crm-history")).isDisplayed()).isFalse();
        assertThat(ben.findElement(By.tagName("body")).getText()).doesNotContain("Previous interactions");
        assertThat(ben.findElement(By.id("commitments-card")).isDisplayed()).isTrue();
        assertThat(support.session().owner()).isEqualTo(dev.handoff.core.HandoffSession.Owner.HANDOFF_IN_PROGRESS);
        billing.session().end("test over");
        support.session().end("test over");
        anaClient.close();
    }

    @Test
    void idle_logoff_warns_then_signs_the_agent_out_server_side() throws Exception {
        ChromeDriver ana = browsers.open();
        WebDriverWait wait = Browsers.waiting(ana);
        Browsers.signIn(ana, f.desk, DeskFixture.ANA_TOKEN);

        f.deskClock.advance(Duration.ofMinutes(13).plusSeconds(30));
        f.desk.expireIdleSessions();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("idle-warning")));
        wait.until(d -> text((ChromeDriver) d, "idle-countdown").matches("1:[0-3]\\d"));
        Browsers.screenshot(ana, "idle-warning");

        f.deskClock.advance(Duration.ofMinutes(2));
        f.desk.expireIdleSessions();

        wait.until(ExpectedConditions.urlMatches(".*/signin$"));
        wait.until(ExpectedConditions.textToBe(By.id("signin-notice"),
                "You were signed out after a period without activity. Sign in again to continue."));
        ana.get(f.desk.baseUri().toString());
        assertThat(ana.getCurrentUrl()).as("the old session cookie opens nothing").endsWith("/signin");
    }

    @Test
    void stay_signed_in_is_an_action_that_withdraws_the_warning() throws Exception {
        ChromeDriver ana = browsers.open();
        WebDriverWait wait = Browsers.waiting(ana);
        Browsers.signIn(ana, f.desk, DeskFixture.ANA_TOKEN);
        f.deskClock.advance(Duration.ofMinutes(14));
        f.desk.expireIdleSessions();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("idle-warning")));

        ana.findElement(By.id("stay-button")).click();

        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("idle-warning")));
        f.deskClock.advance(Duration.ofMinutes(14));
        assertThat(f.desk.expireIdleSessions()).isZero();
    }

    private static String text(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    private static int y(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getRect().getY();
    }

    private static WebElement commitment(ChromeDriver d, String kind) {
        List<WebElement> all = d.findElements(By.cssSelector("[data-testid=commitment]"));
        return all.stream().filter(e -> e.getText().toLowerCase().startsWith(kind.toLowerCase())).findFirst().orElseThrow();
    }

    private static WebElement commitmentById(ChromeDriver d, String id) {
        return d.findElement(By.cssSelector("[data-testid=commitment][data-commitment-id='" + id + "']"));
    }
}
