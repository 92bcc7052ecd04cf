package dev.kitetoken.kite;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

/**
 * Kite Connect v3, as far as this service uses it. Calls answer a raw {@link Response} because Kite's
 * errors carry the detail we need (error_type, message) and a broken body must become a clear 502, not a
 * deserialisation stack trace.
 */
@Path("/")
@ClientHeaderParam(name = "X-Kite-Version", value = "3")
public interface KiteApi {

    @POST
    @Path("session/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response createSession(@FormParam("api_key") String apiKey,
            @FormParam("request_token") String requestToken,
            @FormParam("checksum") String checksum);

    @GET
    @Path("user/profile")
    @Produces(MediaType.APPLICATION_JSON)
    Response profile(@HeaderParam("Authorization") String authorization);

    @DELETE
    @Path("session/token")
    @Produces(MediaType.APPLICATION_JSON)
    Response deleteSession(@QueryParam("api_key") String apiKey, @QueryParam("access_token") String accessToken);
}
