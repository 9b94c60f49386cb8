package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium through the system chromedriver (Debian's {@code chromium} and {@code chromium-driver}): skipped
 * without them, failed without them when {@code CI=true}. Selenium is given both paths, so Selenium Manager never looks
 * for or downloads anything. Each browser has its own profile (its own cookies): one per person.
 */
final class Browsers implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Screenshots kept as test artifacts. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final List<ChromeDriverService> services = new ArrayList<>();
    private final List<ChromeDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private Browsers() {
    }

    static Browsers start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install the Debian packages chromium and chromium-driver");
        }
        assumeTrue(present, "chromium and chromedriver are not installed; skipping the browser test");
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder").setLevel(java.util.logging.Level.SEVERE);
        java.util.logging.Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver").setLevel(java.util.logging.Level.SEVERE);
        return new Browsers();
    }

    /** A new browser with its own driver process and profile. */
    ChromeDriver open() throws IOException {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        service.start();
        services.add(service);
        Path profile = Files.createTempDirectory("desk-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--window-size=1440,1500", "--user-data-dir=" + profile, "--lang=en-US");
        ChromeDriver d = new ChromeDriver(service, options);
        drivers.add(d);
        return d;
    }

    static WebDriverWait waiting(ChromeDriver d) {
        WebDriverWait w = new WebDriverWait(d, Duration.ofSeconds(15));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Signs in on the sign-in page as a person would: types the token, presses the button, waits for the page to connect. */
    static void signIn(ChromeDriver d, AgentDesktop desk, String token) {
        d.get(desk.signInUri().toString());
        d.findElement(By.id("credential")).sendKeys(token);
        d.findElement(By.id("signin-button")).click();
        // the click navigates to the desk page: a lookup that lands mid-navigation is aborted ("aborted by navigation",
        // a plain WebDriverException); ask again until the new page is there and connected
        waiting(d).ignoring(WebDriverException.class)
                .until(x -> "connected".equals(x.findElement(By.id("connection-status")).getText()));
        assertThat(d.getCurrentUrl()).doesNotContain(token);
    }

    static void screenshot(ChromeDriver d, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), d.getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Every visible text on the page whose colour has less than the WCAG 2.1 AA contrast against the background behind
     * it (4.5:1, or 3:1 for large text: 24 px, or 18.66 px bold); SVG text is measured by its fill. Disabled controls are
     * exempt, as WCAG says.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> contrastFailures(ChromeDriver d) {
        return (List<Map<String, Object>>) d.executeScript("""
                function rgba(s) { var m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) { return null; }
                  var p = m[1].split(',').map(function (x) { return parseFloat(x); }); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
                function lum(c) { return [0, 1, 2].map(function (i) { var v = c[i] / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                  .reduce(function (acc, v, i) { return acc + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
                function over(top, bottom) { var a = top[3]; return [0, 1, 2].map(function (i) { return top[i] * a + bottom[i] * (1 - a); }).concat([1]); }
                function background(el) {
                  var layers = [];
                  for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
                    var c = rgba(getComputedStyle(e).backgroundColor);
                    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
                  }
                  var bg = [255, 255, 255, 1];
                  for (var i = layers.length - 1; i >= 0; i--) { bg = over(layers[i], bg); }
                  return bg;
                }
                var failures = [];
                var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                var seen = new Set();
                while (walker.nextNode()) {
                  var t = walker.currentNode; var el = t.parentElement;
                  if (!el || !t.textContent.trim() || seen.has(el)) { continue; }
                  seen.add(el);
                  if (el.closest('[hidden]') || el.closest('button:disabled') || el.getClientRects().length === 0) { continue; }
                  var st = getComputedStyle(el);
                  if (st.visibility === 'hidden' || st.display === 'none' || parseFloat(st.opacity) === 0) { continue; }
                  var svg = el instanceof SVGElement;
                  var fg = rgba(svg ? st.fill : st.color);
                  if (!fg) { continue; }
                  var bg = background(svg ? el.ownerSVGElement : el);
                  fg = over(fg, bg);
                  var l1 = lum(fg), l2 = lum(bg);
                  var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
                  var size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
                  var large = size >= 24 || (bold && size >= 18.66);
                  if (ratio < (large ? 3 : 4.5)) {
                    failures.push({ text: t.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, fg: st.color, size: size });
                  }
                }
                return failures;
                """);
    }

    /** The smallest size (px on screen, after the SVG's scaling) of the chart labels matching the selector; -1 when none. */
    static double smallestChartLabel(ChromeDriver d, String selector) {
        Object v = d.executeScript("var s = Array.from(document.querySelectorAll(arguments[0])).map(function (e) { "
                + "var svg = e.ownerSVGElement; var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; "
                + "return parseFloat(getComputedStyle(e).fontSize) * scale; }); return s.length ? Math.min.apply(null, s) : -1;", selector);
        return ((Number) v).doubleValue();
    }

    @Override
    public void close() throws IOException {
        drivers.forEach(ChromeDriver::quit);
        services.stream().filter(ChromeDriverService::isRunning).forEach(ChromeDriverService::stop);
        for (Path p : profiles) {
            try (var paths = Files.walk(p)) {
                paths.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
