package dev.kitetoken.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML pages; each template lives in {@code src/main/resources/templates/<method>.html}. */
@CheckedTemplate
public class Pages {

    private Pages() {
    }

    /** {@code activeUntil}: when a session is active, until when; a login button then says it replaces it. */
    public static native TemplateInstance error(int status, String title, String detail, String loginUrl, String activeUntil);

    /**
     * Seen only by the person who just logged in, so it may name them in full. {@code repeated}: a reload (or
     * a second Log in at Kite with the same link) in the browser that logged in, answered without an exchange.
     */
    public static native TemplateInstance loginComplete(String userId, String userName, ExpiryText expiry, String tokenId,
            boolean replicated, boolean repeated);

    /** Public through the Ingress: whether a session is active and until when, the user_id masked, no name. */
    /** {@code nextReminder} null: no notification channel is set up. */
    public static native TemplateInstance status(boolean redisUp, String maskedUserId, ExpiryText expiry, String loginUrl,
            String nextReminder, java.util.List<PageEvent> events);
}
