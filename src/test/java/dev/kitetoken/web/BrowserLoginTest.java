package dev.kitetoken.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.kitetoken.simulator.KiteSimulator;
import dev.kitetoken.support.Browser;
import dev.kitetoken.support.Chromium;
import dev.kitetoken.support.DevSimulatorProfile;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisTestResource;
import dev.kitetoken.token.ReplicaState;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The Quick Start in a real browser: Chromium logs in through the dev-mode simulator as a newcomer would,
 * sending Origin, keeping cookies by their Secure and SameSite rules and enforcing the pages' CSP.
 */
@QuarkusTest
@TestProfile(DevSimulatorProfile.class)
@WithTestResource(RedisTestResource.class)
class BrowserLoginTest {

    private static final String BASE = KiteTestEnvironment.PUBLIC_URL;

    @RegisterExtension
    final Chromium chromium = new Chromium();

    @Inject
    RedisDataSource redis;

    @Inject
    ReplicaState replica;


    @BeforeEach
    void noSession() {
        redis.flushall();
        replica.endedHere();
    }

    @Test
    void aNewcomerLogsInFromTheStatusPageAndSeesTheSessionThere() {
        WebDriver browser = chromium.openWindow();
        browser.get(BASE + "/");
        assertThat(text(browser)).contains("No session");

        browser.findElement(By.linkText("Log in with Kite")).click();
        assertThat(browser.getCurrentUrl()).startsWith(BASE + "/kite-sim/connect/login");
        chromium.checkConsole(browser);
        browser.findElement(By.id("approve")).click();

        assertThat(browser.getCurrentUrl()).startsWith(BASE + "/callback?");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        assertThat(text(browser)).contains(KiteSimulator.USER_ID);
        chromium.checkConsole(browser);
        assertThat(browser.manage().getCookieNamed("kite_login")).as("the login cookie, used once, is gone").isNull();

        browser.findElement(By.linkText("Status page")).click();
        assertThat(browser.getCurrentUrl()).isEqualTo(BASE + "/");
        String status = text(browser);
        assertThat(status).contains("Session active", "SI**01", "until 06:00 IST").containsPattern("\\d+ h \\d+ min left")
                .doesNotContain(KiteSimulator.USER_ID, KiteSimulator.USER_NAME);
        chromium.checkConsole(browser);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200);
    }

    /** Issue 21: F5 on "Logged in", or Back to Kite and Log in again, must not start a second exchange. */
    @Test
    void refreshingTheLoggedInPageOrLoggingInAgainAtKiteKeepsTheFirstOutcome() {
        WebDriver browser = chromium.openWindow();
        browser.get(BASE + "/login");
        browser.findElement(By.id("approve")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        String tokenId = currentTokenId();
        String callback = browser.getCurrentUrl();

        browser.navigate().refresh();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        assertThat(text(browser)).contains("This login is complete", "until 06:00 IST")
                .doesNotContain("another browser");
        assertThat(browser.findElements(By.linkText("Log in with Kite"))).as("no button that logs in again unannounced").isEmpty();
        chromium.checkConsole(browser);
        assertThat(currentTokenId()).as("a refresh exchanges nothing").isEqualTo(tokenId);

        browser.navigate().back();
        assertThat(browser.getCurrentUrl()).startsWith(BASE + "/kite-sim/connect/login");
        browser.findElement(By.id("approve")).click();
        assertThat(browser.getCurrentUrl()).startsWith(BASE + "/callback?").isNotEqualTo(callback);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        assertThat(text(browser)).contains("This login is complete");
        chromium.checkConsole(browser);
        assertThat(currentTokenId()).as("Log in again on Kite's page with a used login link exchanges nothing").isEqualTo(tokenId);

        WebDriver someoneElse = chromium.openWindow();
        someoneElse.get(callback);
        assertThat(someoneElse.findElement(By.tagName("h1")).getText()).isEqualTo("Login started in another browser");
        assertThat(text(someoneElse)).contains("replaces the session");
        chromium.checkConsole(someoneElse);
        assertThat(currentTokenId()).isEqualTo(tokenId);
    }

    @Test
    void everyLoginButtonSaysWhenItReplacesTheActiveSession() {
        Browser.logIn().then().statusCode(200);
        WebDriver browser = chromium.openWindow();
        for (String path : List.of("/", "/callback", "/callback?status=cancelled", "/callback?request_token=x&state=" + "y".repeat(43))) {
            browser.get(BASE + path);
            List<org.openqa.selenium.WebElement> buttons = browser.findElements(By.cssSelector("a.button"));
            assertThat(buttons).as(path).isNotEmpty();
            assertThat(buttons).as(path).allSatisfy(button -> assertThat(button.getText()).isEqualTo("Log in again"));
            assertThat(text(browser)).as(path).contains("replaces the session the trading pods use");
            chromium.checkConsole(browser);
        }
    }

    /** Issue 21: every page a person meets, on a phone and on a desktop: viewport, width, contrast, spacing. */
    @Test
    void everyPageIsReadableOnAPhoneAndOnADesktop() throws IOException {
        for (int[] size : new int[][] { { 390, 844 }, { 1280, 900 } }) {
            ChromeDriver browser = chromium.openWindow(size[0], size[1]);
            browser.get(BASE + "/");
            readable(browser, "status-" + size[0]);
            browser.findElement(By.linkText("Log in with Kite")).click();
            readable(browser, "simulator-" + size[0]);
            browser.findElement(By.id("approve")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/callback?"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
            readable(browser, "logged-in-" + size[0]);
            browser.get(BASE + "/");
            readable(browser, "status-session-" + size[0]);
            browser.get(BASE + "/callback?status=cancelled");
            readable(browser, "cancelled-" + size[0]);
            browser.get(BASE + "/no-such-page");
            readable(browser, "not-found-" + size[0]);
            redis.flushall();
            replica.endedHere();
        }
    }

    private void readable(ChromeDriver browser, String name) throws IOException {
        assertThat(Chromium.readabilityProblems(browser)).as("%s at %s", name, browser.getCurrentUrl()).isEmpty();
        Files.createDirectories(Chromium.SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Chromium.SCREENSHOTS.resolve("page-" + name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
        chromium.checkConsole(browser);
    }

    private String currentTokenId() {
        return given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(200)
                .extract().path("token_id");
    }

    @Test
    void cancellingAtKiteShowsAReadablePageAndChangesNothing() {
        WebDriver browser = chromium.openWindow();
        browser.get(BASE + "/login");
        browser.findElement(By.id("cancel")).click();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Login was cancelled");
        assertThat(browser.findElement(By.linkText("Log in with Kite")).getAttribute("href")).isEqualTo(BASE + "/login");
        chromium.checkConsole(browser);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);
    }

    @Test
    void aCallbackOpenedInAnotherBrowserIsRefusedWithAReadablePage() {
        WebDriver mine = chromium.openWindow();
        mine.get(BASE + "/login");
        chromium.checkConsole(mine);
        // Press "Log in" on Kite's page without following the redirect: the callback URL a person could leak.
        String redirectParams = mine.findElement(By.name("redirect_params")).getAttribute("value");
        URI callback = URI.create(given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("api_key", DevSimulatorProfile.API_KEY).formParam("redirect_params", redirectParams)
                .post(BASE + "/kite-sim/connect/approve").then().statusCode(303).extract().header("Location"));

        WebDriver someoneElse = chromium.openWindow();
        someoneElse.get(callback.toString());
        assertThat(someoneElse.findElement(By.tagName("h1")).getText()).isEqualTo("Login started in another browser");
        chromium.checkConsole(someoneElse);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get("/token").then().statusCode(404);

        mine.get(callback.toString());
        assertThat(mine.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        chromium.checkConsole(mine);
    }

    @Test
    void theErrorPagesLoadCleanly() {
        WebDriver browser = chromium.openWindow();
        for (String path : List.of("/callback", "/callback?request_token=bad-token", "/no-such-page", "/token")) {
            browser.get(BASE + path);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(path).isNotBlank();
            chromium.checkConsole(browser);
        }
    }

    @Test
    void theStatusPageReadsAtAGlanceOnAPhoneAndOnADesktop() throws IOException {
        Browser.logIn().then().statusCode(200);
        Browser.logIn().then().statusCode(200);
        for (int[] size : new int[][] { { 390, 844 }, { 1280, 900 } }) {
            ChromeDriver browser = chromium.openWindow(size[0], size[1]);
            browser.get(BASE + "/");
            assertThat(text(browser)).contains("Session active", "SI**01", "until 06:00 IST", "Recent events",
                    "Logged in", "Replaced by a new login", "IST today").doesNotContain(KiteSimulator.USER_ID);
            assertThat(browser.findElements(By.cssSelector(".events li"))).hasSize(3);
            assertThat(((Number) browser.executeScript("return window.innerWidth")).intValue()).isEqualTo(size[0]);
            assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("nothing scrolls sideways at %d px", size[0]).isTrue();
            Files.createDirectories(Chromium.SCREENSHOTS);
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                    Chromium.SCREENSHOTS.resolve("status-" + size[0] + "x" + size[1] + ".png"), StandardCopyOption.REPLACE_EXISTING);
            chromium.checkConsole(browser);
        }
    }

    private static String text(WebDriver browser) {
        return browser.findElement(By.tagName("body")).getText();
    }
}
