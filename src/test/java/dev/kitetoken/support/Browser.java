package dev.kitetoken.support;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * A person logging in: opens {@code /login}, lands on Kite's page, presses "Log in" and is redirected to
 * the callback. Each hop is followed by hand, the way a browser does, so every redirect is checked.
 */
public final class Browser {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">(.*?)</form>");
    private static final Pattern REDIRECT_PARAMS = Pattern.compile("name=\"redirect_params\" value=\"([^\"]*)\"");
    private static final Pattern STATE = Pattern.compile("[?&]state=([A-Za-z0-9_-]+)");
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /** The states this browser was given by /login; its cookie jar, since the login cookie holds the state. */
    private static final Set<String> STATES = ConcurrentHashMap.newKeySet();

    static {
        installCookieJar();
    }

    private Browser() {
    }

    /**
     * Sends the login cookie with every callback whose state this browser got from /login, as a browser
     * does (REST Assured's own cookie store would not send a Secure cookie over plain http). A callback with
     * a state it never got, as from another browser, goes without.
     */
    public static void installCookieJar() {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof CookieJar)) {
            RestAssured.filters(new CookieJar());
        }
    }

    private static final class CookieJar implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
            Matcher state = STATE.matcher(request.getURI());
            if (request.getURI().contains("/callback?") && state.find() && STATES.contains(state.group(1))) {
                request.header("Cookie", "kite_login=" + state.group(1));
            }
            return context.next(request, response);
        }
    }

    /** Logs in and returns the service's answer to the callback, as a browser would see it. */
    public static Response logIn() {
        return given().urlEncodingEnabled(false).accept(HTML).redirects().follow(false).get(callbackAfterLogin());
    }

    /** Goes through /login and Kite's page and returns the callback URL Kite redirects to, without opening it. */
    public static URI callbackAfterLogin() {
        return pressButton(kiteLoginPage("/login"), 0);
    }

    /** The same, starting at the /login of the service at {@code serviceUrl} (one replica among several). */
    public static URI callbackAfterLogin(String serviceUrl) {
        return pressButton(kiteLoginPage(serviceUrl + "/login"), 0);
    }

    /**
     * A whole login through the replica at {@code serviceUrl} (Kite redirects to the first replica's public
     * URL; the callback is opened on this one), asking for JSON; the callback's status.
     */
    public static int logInThrough(String serviceUrl) {
        URI callback = callbackAfterLogin(serviceUrl);
        URI toReplica = URI.create(callback.toString().replaceFirst("^http://localhost:\\d+", serviceUrl));
        return given().urlEncodingEnabled(false).accept("application/json").get(toReplica).statusCode();
    }

    /** Goes through /login and Kite's page, presses "Cancel", and returns where Kite redirects to. */
    public static URI callbackAfterCancel() {
        return pressButton(kiteLoginPage("/login"), 1);
    }

    /** Where {@code GET /login} sends the browser. */
    public static URI kiteLoginUrl() {
        return kiteLoginUrl("/login");
    }

    private static URI kiteLoginUrl(String loginUrl) {
        Response login = given().accept(HTML).redirects().follow(false).get(loginUrl);
        if (login.statusCode() != 302) {
            throw new AssertionError("GET /login answered " + login.statusCode() + " instead of 302");
        }
        String cookie = login.getCookie("kite_login");
        if (cookie != null) {
            STATES.add(cookie);
        }
        return URI.create(login.header("Location"));
    }

    private static Page kiteLoginPage(String loginUrl) {
        URI kitePage = kiteLoginUrl(loginUrl);
        // The Location is already encoded; REST Assured would encode it a second time.
        Response page = given().urlEncodingEnabled(false).accept(HTML).redirects().follow(false).get(kitePage);
        if (page.statusCode() != 200) {
            throw new AssertionError("Kite's login page answered " + page.statusCode());
        }
        return new Page(kitePage, page.asString());
    }

    private static URI pressButton(Page page, int formIndex) {
        Matcher form = FORM.matcher(page.html());
        for (int i = 0; i < formIndex; i++) {
            form.find();
        }
        if (!form.find()) {
            throw new AssertionError("no form " + formIndex + " on Kite's login page");
        }
        Matcher params = REDIRECT_PARAMS.matcher(form.group(2));
        String redirectParams = params.find() ? params.group(1).replace("&amp;", "&") : "";
        Response redirect = given().accept(HTML).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("redirect_params", redirectParams)
                .post(page.url().resolve(form.group(1)));
        if (redirect.statusCode() / 100 != 3) {
            throw new AssertionError("Kite's form answered " + redirect.statusCode() + " instead of a redirect");
        }
        return URI.create(redirect.header("Location"));
    }

    private record Page(URI url, String html) {
    }
}
