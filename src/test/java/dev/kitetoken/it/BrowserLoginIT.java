package dev.kitetoken.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import dev.kitetoken.simulator.KiteSimulator;
import dev.kitetoken.support.Chromium;
import dev.kitetoken.support.FakeKiteServer;
import dev.kitetoken.support.KiteTestEnvironment;
import dev.kitetoken.support.RedisServer;
import dev.kitetoken.support.ServiceProcess;

/**
 * The packaged service (prod profile) logged into from Chromium, with Kite's login page on another origin
 * (the fake Kite) redirecting back to the callback, as Zerodha's does.
 */
class BrowserLoginIT {

    @RegisterExtension
    final Chromium chromium = new Chromium();

    private RedisServer redis;
    private FakeKiteServer kite;
    private ServiceProcess service;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        int port = ServiceProcess.freePort();
        kite = new FakeKiteServer(KiteTestEnvironment.API_KEY, KiteTestEnvironment.API_SECRET,
                URI.create("http://localhost:" + port + "/callback"));
        service = ServiceProcess.start("browser-service", port, KiteTestEnvironment.replica(kite, port, redis.url()));
    }

    @AfterEach
    void stop() {
        service.close();
        kite.stop();
        redis.stop();
    }

    @Test
    void aPersonLogsInThroughKitesPageAndTheStatusPageShowsTheSession() {
        WebDriver browser = chromium.openWindow();
        browser.get(service.url() + "/");
        assertThat(text(browser)).contains("No session");
        chromium.checkConsole(browser);

        browser.findElement(By.linkText("Log in with Kite")).click();
        assertThat(browser.getCurrentUrl()).startsWith(kite.baseUrl() + "/connect/login");
        browser.findElement(By.id("approve")).click();

        assertThat(browser.getCurrentUrl()).startsWith(service.url() + "/callback?");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        assertThat(text(browser)).contains(KiteSimulator.USER_ID, "06:00 IST");
        assertThat(browser.manage().getCookieNamed("kite_login")).isNull();
        chromium.checkConsole(browser);

        browser.findElement(By.linkText("Status page")).click();
        assertThat(text(browser)).contains("Session active", "SI**01").doesNotContain(KiteSimulator.USER_ID);
        chromium.checkConsole(browser);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(service.url() + "/token").then().statusCode(200);
    }

    @Test
    void aStrangersLoginIsRefusedWithAReadablePageAndLeavesNoSession() {
        kite.nextLoginBy("XY9876", "A Stranger");
        WebDriver browser = chromium.openWindow();
        browser.get(service.url() + "/login");
        browser.findElement(By.id("approve")).click();

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This Kite user may not log in here");
        chromium.checkConsole(browser);
        browser.get(service.url() + "/");
        assertThat(text(browser)).contains("No session");
        assertThat(kite.currentAccessToken()).isNull();
        chromium.checkConsole(browser);
    }

    /** Issue 21: with Redis down the status page said "try again" with no button, although a login works then. */
    @Test
    void whileRedisIsDownTheStatusPageSaysSoAndOffersALoginThatWorks() {
        redis.stopForNow();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> service.dependencies() == 503);
        WebDriver browser = chromium.openWindow(390, 844);
        browser.get(service.url() + "/");
        assertThat(text(browser)).contains("Redis is unreachable right now", "No session known to this replica", "A login works meanwhile")
                .doesNotContain("Try again");
        assertThat(Chromium.readabilityProblems((org.openqa.selenium.JavascriptExecutor) browser)).isEmpty();
        chromium.checkConsole(browser);

        browser.findElement(By.linkText("Log in with Kite")).click();
        browser.findElement(By.id("approve")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(15))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/callback?"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in");
        assertThat(text(browser)).contains("Saved, replicating");
        chromium.checkConsole(browser);
        browser.navigate().refresh();
        assertThat(text(browser)).contains("This login is complete", "Saved, replicating");
        assertThat(kite.sessionCalls()).as("a refresh while Redis is down exchanges nothing").isEqualTo(1);

        browser.get(service.url() + "/");
        assertThat(text(browser)).contains("Redis is unreachable right now", "Session active", "SI**01", "Log in again",
                "replaces the session the trading pods use");
        chromium.checkConsole(browser);
        given().auth().oauth2(KiteTestEnvironment.READER_TOKEN).get(service.url() + "/token").then().statusCode(200);
    }

    private static String text(WebDriver browser) {
        return browser.findElement(By.tagName("body")).getText();
    }
}
