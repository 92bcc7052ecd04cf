package dev.kitetoken.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A constant answer on the service port, with no Redis, no authentication and no body to render: lets a
 * sidecar or a load balancer tell "the service answers" from "the token is there", and gives the benchmark
 * the framework's own ceiling to measure GET /token against.
 */
@Path("/ping")
@Tag(name = "Status")
public class PingResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Answers pong", description = "Whether the service port answers; says nothing about Redis or the token.")
    public String ping() {
        return "pong";
    }
}
