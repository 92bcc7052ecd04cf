package dev.kitetoken.web;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.kitetoken.config.KiteConfig;
import dev.kitetoken.json.JsonCodec;
import dev.kitetoken.redis.RedisUnavailableException;

/**
 * Every error leaves the service through here: problem JSON for API clients, a readable page for
 * browsers, never a stack trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private final KiteConfig config;
    private final JsonCodec json;
    private final ActiveSession activeSession;

    ProblemMapper(KiteConfig config, JsonCodec json, ActiveSession activeSession) {
        this.config = config;
        this.json = json;
        this.activeSession = activeSession;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException problem, HttpHeaders headers, UriInfo uri) {
        return render(problem, headers, uri);
    }

    @ServerExceptionMapper
    public Response redisUnavailable(RedisUnavailableException e, HttpHeaders headers, UriInfo uri) {
        LOG.warn(e.getMessage());
        return render(new ProblemException(503, "Redis is unavailable",
                "The service cannot reach Redis right now. Try again in a few seconds.", false,
                Map.of("Retry-After", "5")), headers, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not accept this method; see the Allow header.";
            case 406 -> "This address cannot answer in any of the media types listed in Accept.";
            case 415 -> "This address does not accept a body of this media type.";
            default -> status >= 500 ? "The service could not handle the request." : "The request was not understood.";
        };
        String allow = original.getHeaderString("Allow");
        if (allow == null && status == 405) {
            allow = AllowedMethods.at(path(uri)).orElse(null);
        }
        ProblemException problem = new ProblemException(status, title, detail, false, allow == null ? Map.of() : Map.of("Allow", allow));
        return render(problem, headers, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpHeaders headers, UriInfo uri) {
        // Our own exceptions never carry secrets; third-party ones might, so only the type is logged.
        LOG.errorf("Unexpected %s while handling %s", e.getClass().getName(), uri.getPath());
        LOG.debug("Unexpected exception", e);
        return render(new ProblemException(500, "Internal error",
                "The service hit an unexpected error. It has been logged; try again."), headers, uri);
    }

    private static String path(UriInfo uri) {
        return uri.getPath().startsWith("/") ? uri.getPath() : "/" + uri.getPath();
    }

    private Response render(ProblemException problem, HttpHeaders headers, UriInfo uri) {
        String path = path(uri);
        String loginUrl = problem.offerLogin() ? config.loginPageUrl().toString() : null;
        Response.ResponseBuilder response = Response.status(problem.status()).header("Cache-Control", "no-store");
        problem.headers().forEach(response::header);
        response.cookie(problem.cookies().toArray(NewCookie[]::new));
        if (ResponseFormat.prefersHtml(headers, path)) {
            return response.type(HTML)
                    .entity(Pages.error(problem.status(), problem.title(), problem.detail(), loginUrl,
                            loginUrl == null ? null : activeSession.until().orElse(null)).render())
                    .build();
        }
        return response.type(Problem.MEDIA_TYPE)
                .entity(json.write(new Problem("about:blank", problem.title(), problem.status(), problem.detail(), path, loginUrl)))
                .build();
    }

}
