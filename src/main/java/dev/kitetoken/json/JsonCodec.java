package dev.kitetoken.json;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON this service writes, and reads back from Redis: what it builds always serialises (a failure is a bug
 * and throws), and what it reads that is not its own is ignored with a warning that never quotes the text.
 */
@ApplicationScoped
public class JsonCodec {

    private static final Logger LOG = Logger.getLogger(JsonCodec.class);

    private final ObjectMapper json;

    JsonCodec(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + value.getClass().getSimpleName() + " did not serialise", e);
        }
    }

    /**
     * The {@code type} in {@code text}; empty when there is none, or (with a warning naming {@code what})
     * when someone else wrote it: one odd value must not fail every reader.
     */
    public <T> Optional<T> read(String text, Class<T> type, String what) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(text, type));
        } catch (JsonProcessingException e) {
            // The parser's message quotes the text, which may hold a token: it is not logged.
            LOG.warnf("Ignoring %s: it is not JSON written by this service", what);
            return Optional.empty();
        }
    }
}
