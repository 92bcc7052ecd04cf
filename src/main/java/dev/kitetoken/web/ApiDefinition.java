package dev.kitetoken.web;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's frame (served on the management port at /q/openapi). */
@OpenAPIDefinition(
        info = @Info(title = "kite-token-service", version = "1.0",
                description = "Runs the Zerodha Kite Connect login once a day and hands the access token to trading pods."),
        tags = {
                @Tag(name = "Login", description = "The pages a person opens in a browser"),
                @Tag(name = "Token", description = "The token, for the sidecars of trading pods") })
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = ApiDefinition.READER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "One of KITE_READER_TOKENS"),
        @SecurityScheme(securitySchemeName = ApiDefinition.ADMIN, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "One of KITE_ADMIN_TOKENS") })
public class ApiDefinition extends Application {

    public static final String READER = "reader";
    public static final String ADMIN = "admin";
    public static final String PROBLEM_EXAMPLE = """
            {"type":"about:blank","title":"No valid token","status":404,
             "detail":"No one has logged in to Kite since the last cutoff, or the token was invalidated. Log in at https://kite-token.example.com/login.",
             "instance":"/token","login_url":"https://kite-token.example.com/login"}""";
}
