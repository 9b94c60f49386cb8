package dev.handoff.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.handoff.api.Commitment;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.examples.desktop.DesktopAuditRecord.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The agent desktop in a real headless Chromium: a handoff arrives, the page shows it whisper first, the transcript
 * grows live, the agent confirms reading and corrects a commitment. Leaves {@code target/desktop-screenshot.png}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}; skipped without them, failed without them when
 * {@code CI=true}. Selenium is given both paths, so Selenium Manager never looks for (or downloads) anything.
 */
class AgentDesktopBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "desktop-screenshot.png");
    static final String TOKEN = "ana-browser-token-0123456789";

    /** Selenium warns that it has no DevTools binding for this Chromium; the test does not use DevTools. */
    static final java.util.logging.Logger CDP_WARNINGS = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static ChromeDriverService service;
    static Path profile;

    ChromeDriver browser;
    AgentDesktop desk;
    SampleAgentActions actions;
    final List<DesktopAuditRecord> audit = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startDriver() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install the Debian packages chromium and chromium-driver");
        }
        assumeTrue(present, "chromium and chromedriver are not installed; skipping the browser test");
        CDP_WARNINGS.setLevel(java.util.logging.Level.SEVERE);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        service.start();
        profile = Files.createTempDirectory("desk-chromium-");
    }

    @AfterAll
    static void stopDriver() throws IOException {
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void start() {
        desk = AgentDesktop.builder()
                .agent("ana", TOKEN)
                .port(0)
                .auditSink(audit::add)
                .build()
                .start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--window-size=1400,1450", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        desk.close();
    }

    @Test
    void agent_sees_the_handoff_live_confirms_reading_and_corrects_a_commitment() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(desk.pageUri("ana").toString());
        wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "connected"));
        assertThat(browser.findElement(By.id("empty-state")).isDisplayed()).isTrue();
        assertThat(browser.getCurrentUrl()).as("token is removed from the address bar").doesNotContain(TOKEN);

        // a handoff arrives
        HandoffContext context = SampleHandoff.context(Clock.systemUTC().instant().minus(Duration.ofMinutes(3)));
        actions = new SampleAgentActions(context);
        desk.notify(SampleHandoff.notification(context, actions));

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notification")));
        assertThat(text("notification-priority")).isEqualTo("HIGH");
        assertThat(text("escalation-reason")).contains("EXPLICIT REQUEST", "Customer asked to talk to a person",
                "Price negotiation on a $46,000 deal");
        assertThat(text("preview")).isEqualTo(SampleHandoff.TRIGGER_TEXT);
        assertThat(text("whisper-goal")).isEqualTo(context.whisper().goal());
        assertThat(text("whisper-obstacle")).isEqualTo(context.whisper().obstacle());
        assertThat(text("whisper-sentiment")).isEqualTo(context.whisper().sentiment());
        assertThat(text("whisper-opening")).isEqualTo(context.whisper().suggestedOpening());
        assertThat(whisperIsAboveTranscript()).as("whisper summary comes first").isTrue();
        assertThat(text("sentiment-label")).isEqualTo("Entering conversation at High Urgency / Low Trust");

        // the full context arrives through the ticket
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=turn]")).size() == 8);
        WebElement firstTurn = browser.findElement(By.cssSelector("[data-testid=turn][data-index='0']"));
        assertThat(firstTurn.findElement(By.cssSelector("time")).getAttribute("datetime"))
                .isEqualTo(context.transcript().get(0).timestamp().toString());
        assertThat(firstTurn.findElement(By.cssSelector("time")).getText()).matches("\\d{2}:\\d{2}:\\d{2}");
        assertThat(firstTurn.getText()).contains("AI", "Hi, this is Ava from Northwind Compliance Cloud.");
        assertThat(browser.findElements(By.cssSelector("[data-testid=sentiment-point]"))).hasSize(4);
        assertThat(browser.findElement(By.cssSelector("[data-testid=sentiment-line]")).getAttribute("points")).isNotBlank();
        assertThat(text("customer")).contains("AC-1029", "Northwind Health");
        assertThat(text("crm-profile")).contains("Dana Whitfield", "Enterprise prospect");
        assertThat(browser.findElements(By.cssSelector("[data-testid=crm-interaction]"))).hasSize(2);
        WebElement discount = commitment("c-1");
        assertThat(discount.getText()).contains("discount", "15%", "TO VERIFY");
        assertThat(text("commitment-countdown")).matches("(0:5\\d|1:00) left to verify");

        // the AI is still talking: one more turn streams in, first partial, then complete
        Instant at = Clock.systemUTC().instant();
        desk.appendTurn(context.sessionId(), new Turn(8, Speaker.AI, "While I connect you", at, null, true));
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=turn][data-index='8']")).size() == 1);
        desk.appendTurn(context.sessionId(), new Turn(8, Speaker.AI,
                "While I connect you, here's where we are: 40 seats, budget about $35,000.", at, null, false));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=turn][data-index='8']"),
                "budget about $35,000."));
        assertThat(browser.findElements(By.cssSelector("[data-testid=turn]"))).hasSize(9);
        assertThat(browser.findElement(By.id("live-indicator")).isDisplayed()).isTrue();

        // the agent confirms reading
        var read = desk.awaitRead(context.contextId()).toCompletableFuture();
        assertThat(read).isNotDone();
        browser.findElement(By.id("read-button")).click();
        ReadReceipt receipt = read.get(10, TimeUnit.SECONDS);
        assertThat(receipt.agentId()).isEqualTo("ana");
        assertThat(receipt.contextId()).isEqualTo(context.contextId());
        wait.until(ExpectedConditions.textMatches(By.id("read-status"), java.util.regex.Pattern.compile("Read by ana at \\d{2}:\\d{2}:\\d{2}")));
        assertThat(browser.findElement(By.id("read-button")).isEnabled()).isFalse();

        // the agent corrects the 15% the AI hinted at to 10%
        discount.findElement(By.cssSelector("[data-testid=commitment-correct-value]")).sendKeys("10%");
        discount.findElement(By.cssSelector("[data-testid=commitment-correct]")).click();
        wait.until(d -> "CORRECTED".equals(commitment("c-1").getAttribute("data-status")));
        Commitment corrected = actions.commitments().get(0);
        assertThat(corrected.status()).isEqualTo(Commitment.Status.CORRECTED);
        assertThat(corrected.correctedValue()).isEqualTo("10%");
        assertThat(corrected.verifiedBy()).isEqualTo("ana");
        assertThat(commitment("c-1").findElement(By.cssSelector("[data-testid=commitment-value]")).getText()).isEqualTo("15% \u2192 10%");
        assertThat(commitment("c-1").findElement(By.cssSelector("[data-testid=commitment-corrected-value]")).getText())
                .isEqualTo("10%");
        assertThat(commitment("c-1").findElement(By.cssSelector("[data-testid=commitment-status]")).getText())
                .isEqualTo("CORRECTED by ana");
        assertThat(commitment("c-2").getAttribute("data-status")).isEqualTo("PENDING_VERIFICATION");

        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        assertThat(audit).extracting(DesktopAuditRecord::action)
                .contains(Action.VIEW_CONTEXT, Action.READ_CONFIRMED, Action.COMMITMENT_CORRECTED);
        assertThat(audit).allSatisfy(r -> assertThat(r.toString()).doesNotContain(SampleHandoff.TRIGGER_TEXT, TOKEN));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private WebElement commitment(String id) {
        return browser.findElement(By.cssSelector("[data-testid=commitment][data-commitment-id='" + id + "']"));
    }

    private boolean whisperIsAboveTranscript() {
        return browser.findElement(By.id("whisper")).getRect().getY() < browser.findElement(By.id("transcript")).getRect().getY();
    }
}
