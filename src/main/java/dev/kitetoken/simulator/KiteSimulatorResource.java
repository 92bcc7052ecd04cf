package dev.kitetoken.simulator;

import java.time.Clock;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.kitetoken.config.KiteConfig;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The Kite simulator that dev mode logs in against, so a newcomer sees the whole flow without a Kite
 * account. Built only in the dev and test profiles: a production build does not contain these endpoints.
 */
@Path("/kite-sim")
@IfBuildProfile(anyOf = { "dev", "test" })
public class KiteSimulatorResource {

    private static final String KITE_VERSION = "X-Kite-Version";

    private final KiteSimulator simulator;
    private final KiteConfig config;

    KiteSimulatorResource(KiteConfig config, Clock clock) {
        this.config = config;
        this.simulator = new KiteSimulator(config.requiredApiKey(), config.requiredApiSecret(), clock);
    }

    @GET
    @Path("connect/login")
    @Produces(MediaType.TEXT_HTML)
    public String loginPage(@QueryParam("api_key") String apiKey, @QueryParam("redirect_params") String redirectParams) {
        return simulator.loginPage(apiKey, redirectParams, "/kite-sim/connect/approve", "/kite-sim/connect/cancel");
    }

    @POST
    @Path("connect/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@FormParam("redirect_params") String redirectParams) {
        return Response.seeOther(simulator.approve(config.callbackUrl(), redirectParams)).build();
    }

    @POST
    @Path("connect/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel() {
        return Response.seeOther(simulator.cancel(config.callbackUrl())).build();
    }

    @POST
    @Path("session/token")
    @Consumes(MediaType.WILDCARD)
    public Response createSession(@HeaderParam(KITE_VERSION) String kiteVersion, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            String body) {
        return reply(simulator.createSession(kiteVersion, contentType, body));
    }

    @GET
    @Path("user/profile")
    public Response profile(@HeaderParam(KITE_VERSION) String kiteVersion, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return reply(simulator.profile(kiteVersion, authorization));
    }

    @DELETE
    @Path("session/token")
    public Response deleteSession(@HeaderParam(KITE_VERSION) String kiteVersion, @QueryParam("api_key") String apiKey,
            @QueryParam("access_token") String accessToken) {
        return reply(simulator.deleteSession(kiteVersion, apiKey, accessToken));
    }

    private static Response reply(KiteSimulator.Reply reply) {
        return Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(reply.json()).build();
    }
}
