package dev.kitetoken.notify;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A JSON POST to a channel's URL (Telegram's sendMessage, or a webhook), built per URL. */
public interface NotificationApi {

    /** {@code signature} null sends no signature header. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    CompletionStage<Response> post(@HeaderParam("X-Kite-Signature") String signature, String body);
}
