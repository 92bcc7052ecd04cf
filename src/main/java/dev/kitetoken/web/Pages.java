package dev.kitetoken.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML pages; each template lives in {@code src/main/resources/templates/<method>.html}. */
@CheckedTemplate
public class Pages {

    private Pages() {
    }

    public static native TemplateInstance error(int status, String title, String detail, String loginUrl);

    public static native TemplateInstance loginComplete(String userId, String userName, String expiresAt, String tokenId,
            boolean replicated);

    public static native TemplateInstance status(boolean redisUp, String userId, String userName, String expiresAt,
            String tokenId, String loginUrl);
}
