package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.core.HandoffSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Markup in every field a customer, the AI, the CRM or an agent can fill is shown as text, on the desk and on the
 * wallboard: nothing runs, no element is created from it.
 */
class XssBrowserTest {

    static String payload(int n) {
        return "<img src=x onerror=\"window.__xss=" + n + "\"><script>window.__xss=" + n + "</script><b>bold" + n + "</b>";
    }

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
    void markup_in_every_field_is_rendered_as_text() throws Exception {
        ChromeDriver ana = browsers.open();
        WebDriverWait wait = Browsers.waiting(ana);
        Browsers.signIn(ana, f.desk, DeskFixture.ANA_TOKEN);
        ChromeDriver sue = browsers.open();
        Browsers.signIn(sue, f.desk, DeskFixture.SUE_TOKEN);

        HandoffSession chat = f.handoff.open(SessionId.of("chat-xss-1"), Channel.CHAT, new CustomerData("cust-" + 1,
                Map.of("billing", payload(1)), Map.of("name", "Eve " + payload(2), "queue", "support", "note", payload(3)), List.of()));
        chat.customer("My order " + payload(4) + " never arrived.");
        chat.ai("I might be able to get you 15% off " + payload(5) + " if you stay.", NluSignals.confidence(0.9));
        HandoffDecision d = chat.customer("I want to talk to a person " + payload(6));
        var outcome = chat.handOff(d).toCompletableFuture();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("whisper")));
        wait.until(x -> x.findElements(By.cssSelector("[data-testid=offer-accept]")).size() == 1);
        ana.findElement(By.cssSelector("[data-testid=offer-accept]")).click();
        outcome.get(10, TimeUnit.SECONDS);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("composer")));
        ana.findElement(By.id("message")).sendKeys("Hello " + payload(7), Keys.ENTER);
        f.toCustomer.poll(10, TimeUnit.SECONDS);
        chat.customer("Answer " + payload(8));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Answer <img src=x"));

        String page = ana.findElement(By.tagName("body")).getText();
        for (int n : List.of(1, 2, 3, 4, 5, 7, 8)) {
            assertThat(page).as("payload %d shown as text", n).contains("<img src=x onerror=\"window.__xss=" + n + "\">");
        }
        assertThat(text(ana, "handoff-label")).startsWith("Eve <img src=x");
        assertThat(ana.findElements(By.cssSelector("[data-testid=commitment-text]"))).anySatisfy(e ->
                assertThat(e.getText()).contains("<script>window.__xss=5</script>"));
        assertNothingRan(ana);

        ana.findElement(By.id("handback-note")).sendKeys("Note " + payload(9));
        ana.findElement(By.id("handback-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Handed back by ana: Note <img src=x"));
        assertNothingRan(ana);

        Browsers.waiting(sue).until(x -> !x.findElements(By.cssSelector("[data-testid=agent-item]")).isEmpty());
        HandoffSession again = f.handoff.open(SessionId.of("chat-xss-2"), Channel.CHAT, new CustomerData(null, Map.of(),
                Map.of("name", "Mallory " + payload(10), "queue", "support"), List.of()));
        again.handOff(again.customer("I want to talk to a person"));
        Browsers.waiting(sue).until(x -> x.findElement(By.id("live-handoffs")).getText().contains("Mallory <img src=x"));
        assertNothingRan(sue);
        again.end("test over");
    }

    private static void assertNothingRan(ChromeDriver d) {
        assertThat(d.executeScript("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(d.executeScript("return document.querySelectorAll('img, b, script:not([src])').length")).isEqualTo(0L);
    }

    private static String text(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }
}
