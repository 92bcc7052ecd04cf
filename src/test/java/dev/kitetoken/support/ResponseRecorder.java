package dev.kitetoken.support;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Records the headers and body of every answer the service gives the tests, for the leak check. Only the
 * one answer that is meant to carry the token, a successful {@code GET /token}, is left out.
 */
public final class ResponseRecorder implements Filter {

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        if (!request.getURI().startsWith(KiteTestEnvironment.PUBLIC_URL + "/")
                && !request.getURI().startsWith(KiteTestEnvironment.MANAGEMENT_URL + "/")) {
            return response; // the fake Kite's own answers carry request_tokens by design
        }
        String path = request.getURI().replaceFirst("^https?://[^/]+", "").replaceFirst("\\?.*$", "");
        boolean carriesToken = request.getMethod().equals("GET") && path.equals("/token") && response.statusCode() == 200;
        if (!carriesToken) {
            SecretLedger.recordResponse(request.getMethod() + " " + path + " -> " + response.statusCode()
                    + " " + response.getHeaders().asList(), response.asString());
        }
        return response;
    }
}
