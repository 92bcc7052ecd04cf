package dev.kitetoken.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its own chromedriver (nothing is downloaded), one fresh
 * profile per window, so each window is a browser context of its own with no cookies. Register it with
 * {@code @RegisterExtension}: after a failed test it saves a screenshot of every open window under
 * {@code target/screenshots/}, and after every test it closes them and deletes their profiles. What
 * {@link #checkConsole} collected fails the test at its end, so every page of a test is checked.
 */
public final class Chromium implements AfterEachCallback {

    private static final String BINARY = System.getProperty("chromium.binary", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("chromium.driver", "/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final List<Window> open = new ArrayList<>();
    private final List<String> consoleProblems = new ArrayList<>();

    /** A window of a new browser with a fresh profile: no cookies, no cache, nothing shared with the others. */
    public ChromeDriver openWindow() {
        return openWindow(1280, 900);
    }

    /** The same at this size (a phone is about 390 x 844). */
    public ChromeDriver openWindow(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        if (width < 600) {
            // A desktop window cannot be this narrow (Chromium keeps a minimum width): emulate the phone's screen.
            options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics",
                    java.util.Map.of("width", width, "height", height, "pixelRatio", 2.0, "mobile", true)));
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        open.add(new Window(driver, profile));
        return driver;
    }

    /**
     * What the page logged to the console since the last call, at warning level and above: script errors,
     * failed loads and Content-Security-Policy violations all land there. The page's own status is not one:
     * Chromium logs an error page (a 400 on purpose) as a failed load of the document itself.
     */
    public static List<String> consoleProblems(WebDriver driver) {
        String ownLoad = driver.getCurrentUrl() + " - Failed to load resource: the server responded with a status of";
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(entry -> !entry.getMessage().startsWith(ownLoad))
                .map(LogEntry::toString)
                .toList();
    }

    /**
     * What a person cannot read on the page as it is rendered: no viewport tag (a phone shows it zoomed out),
     * anything wider than the window, text whose contrast with its background is under WCAG AA (4.5:1, or 3:1
     * for large text), and buttons or links closer than 8 px to each other. Empty when all is well.
     */
    public static List<String> readabilityProblems(JavascriptExecutor page) {
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) page.executeScript(READABILITY);
        return problems;
    }

    private static final String READABILITY = """
            const problems = [];
            if (!document.querySelector('meta[name=viewport]')) problems.push('no <meta name="viewport">');
            if (document.documentElement.scrollWidth > window.innerWidth) problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' px wide');
            const rgb = c => { const m = c.match(/[\\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
            const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
            const background = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; }
                return { r: 255, g: 255, b: 255, a: 1 }; };
            for (const el of document.body.querySelectorAll('*')) {
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (!own || !el.getClientRects().length) continue;
                const style = getComputedStyle(el), fg = lum(rgb(style.color)), bg = lum(background(el));
                const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
                const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
                const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
                if (ratio < needed) problems.push('contrast ' + ratio.toFixed(2) + ':1 < ' + needed + ':1 for "' + el.textContent.trim().slice(0, 40) + '"');
            }
            const targets = [...document.querySelectorAll('a.button, button')].map(e => e.getBoundingClientRect());
            for (let i = 0; i < targets.length; i++) for (let j = i + 1; j < targets.length; j++) {
                const a = targets[i], b = targets[j];
                const gap = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);
                if (gap < 8) problems.push('two buttons ' + gap.toFixed(0) + ' px apart');
            }
            return problems;
            """;

    /** Notes what the window's page logged to its console since the last look; any of it fails the test. */
    public void checkConsole(WebDriver driver) {
        consoleProblems(driver).forEach(problem -> consoleProblems.add(driver.getCurrentUrl() + ": " + problem));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (context.getExecutionException().isPresent()) {
                Files.createDirectories(SCREENSHOTS);
                for (int i = 0; i < open.size(); i++) {
                    String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName()
                            + "-" + (i + 1) + ".png";
                    try {
                        File shot = open.get(i).driver().getScreenshotAs(OutputType.FILE);
                        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (RuntimeException e) {
                        // A browser that crashed has no screenshot to give; the test's own failure says more.
                    }
                }
            }
        } finally {
            for (Window window : open) {
                window.driver().quit();
                deleteTree(window.profile());
            }
            open.clear();
        }
        if (!consoleProblems.isEmpty()) {
            List<String> problems = List.copyOf(consoleProblems);
            consoleProblems.clear();
            throw new AssertionError("console errors or CSP violations: " + problems);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Chromium may still be writing to its profile while it exits; a temp directory left over is harmless.
        }
    }

    private record Window(ChromeDriver driver, Path profile) {
    }
}
