package dev.kitetoken.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import dev.kitetoken.login.CallbackResource;
import dev.kitetoken.login.LoginResource;
import dev.kitetoken.simulator.KiteSimulatorResource;
import dev.kitetoken.status.StatusResource;
import dev.kitetoken.token.TokenResource;

/** The Allow table of a 405 against the resources' own annotations: a method added without its entry fails here. */
class AllowedMethodsTest {

    @Test
    void theTableIsWhatTheResourcesAccept() {
        Map<String, TreeSet<String>> declared = new HashMap<>();
        for (Class<?> resource : List.of(StatusResource.class, LoginResource.class, CallbackResource.class, PingResource.class,
                TokenResource.class, KiteSimulatorResource.class)) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST"
                        : method.isAnnotationPresent(DELETE.class) ? "DELETE" : method.isAnnotationPresent(PUT.class) ? "PUT" : null;
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = (base + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                TreeSet<String> verbs = declared.computeIfAbsent(path, p -> new TreeSet<>(List.of("OPTIONS")));
                verbs.add(verb);
                if (verb.equals("GET")) {
                    verbs.add("HEAD");
                }
            }
        }
        Map<String, TreeSet<String>> table = new HashMap<>();
        AllowedMethods.all().forEach((path, allow) -> table.put(path, new TreeSet<>(Arrays.asList(allow.split(", ")))));
        assertThat(table).isEqualTo(declared);
    }
}
