package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The supervisor's wallboard in headless Chromium: it updates when a handoff arrives and when it connects. */
class WallboardBrowserTest {

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
    void the_wallboard_shows_a_handoff_arriving_and_connecting_silent_alarms_first_and_readable_kpi_charts() throws Exception {
        ChromeDriver sue = browsers.open();
        WebDriverWait wait = Browsers.waiting(sue);
        Browsers.signIn(sue, f.desk, DeskFixture.SUE_TOKEN);
        assertThat(sue.getCurrentUrl()).endsWith("/wallboard");
        wait.until(d -> text(d, "agent-count").equals("1"));

        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket desk = ana.socket("/ws");
            wait.until(d -> text(d, "agent-count").equals("2"));

            // a handoff arrives: it waits in the support queue
            DeskFixture.Chat chat = f.chat("chat-wall-1", "Dana Whitfield", "support");
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=live-row][data-phase=TRANSFERRING]")).size() == 1);
            assertThat(row(sue).getText()).contains("Dana Whitfield · chat #", "transferring", "support");
            assertThat(sue.findElement(By.cssSelector("[data-testid=phase-TRANSFERRING]")).getAttribute("data-count")).isEqualTo("1");
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=queue-row][data-queue=support]")).size() == 1);
            assertThat(sue.findElement(By.cssSelector("[data-testid=queue-depth]")).getText()).isEqualTo("1");
            assertThat(sue.findElement(By.cssSelector("[data-testid=queue-oldest]")).getText()).matches("\\d+:\\d{2}");

            // a silent alarm comes in: highlighted, first
            HandoffSession alarmed = f.handoff.open(SessionId.of("chat-wall-2"), Channel.CHAT,
                    new CustomerData(null, Map.of(), Map.of("name", "Tom Becker", "queue", "support"), List.of()));
            alarmed.customer("Your update broke our webhook integration.");
            HandoffDecision alarm = alarmed.customer("This is unacceptable. My lawyer will hear about it.");
            assertThat(alarm.action()).isEqualTo(HandoffDecision.Action.SILENT_ALARM);
            alarmed.handOff(alarm);
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=live-row]")).size() == 2);
            WebElement first = sue.findElements(By.cssSelector("[data-testid=live-row]")).get(0);
            assertThat(first.getAttribute("class")).isEqualTo("alarm");
            assertThat(first.getText()).contains("Tom Becker", "SILENT ALARM");

            // ana takes Dana's chat: the board shows it connected, the queue empties
            JsonNode offer = desk.next(n -> "offer".equals(n.path("type").asText())
                    && n.path("contextId").asText().equals(f.contextId(chat.id())));
            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(chat.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            wait.until(d -> d.findElements(By.cssSelector("[data-testid=live-row][data-phase=CONNECTED]")).size() == 1
                    && d.findElement(By.cssSelector("[data-testid=live-row][data-phase=CONNECTED]")).getText().contains("ana"));
            assertThat(sue.findElement(By.cssSelector("[data-testid=live-row][data-phase=CONNECTED]")).getText()).contains("Dana Whitfield");

            // the KPIs follow: one connected, charts drawn with readable labels
            wait.until(d -> d.findElement(By.cssSelector("[data-testid=kpi-success] [data-testid=kpi-value]")).getText().equals("100%"));
            wait.until(d -> !d.findElements(By.cssSelector("#chart-latency [data-testid=bar]")).isEmpty());
            assertThat(sue.findElements(By.cssSelector("#chart-series [data-testid=chart-empty]"))).as("this hour's handoff is charted").isEmpty();
            assertThat(sue.findElements(By.cssSelector("#chart-reasons [data-testid=chart-label]"))).extracting(WebElement::getText)
                    .contains("explicit request", "kill switch");
            assertThat(Browsers.smallestChartLabel(sue, ".bars .chart-text")).as("chart labels in px on screen").isGreaterThanOrEqualTo(12);
            assertThat(Browsers.contrastFailures(sue)).as("text below WCAG AA contrast").isEmpty();
            Browsers.screenshot(sue, "wallboard");

            sue.findElement(By.cssSelector("[data-testid=window-day]")).click();
            wait.until(d -> d.findElement(By.id("kpi-window")).getAttribute("textContent").equals("last day"));
            assertThat(sue.findElement(By.id("export-csv")).getAttribute("href")).endsWith("/api/wallboard/export.csv?window=day");
            alarmed.end("test over");
        }
    }

    private static WebElement row(ChromeDriver d) {
        return d.findElement(By.cssSelector("[data-testid=live-row]"));
    }

    private static String text(org.openqa.selenium.WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }
}
