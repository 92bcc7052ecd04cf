package dev.kitetoken.support;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;

/** Reads the events stream the way a consumer that replays it would. */
public final class EventStream {

    public static final String STREAM = "kite:events-log:" + KiteTestEnvironment.API_KEY;
    public static final String CHANNEL = "kite:events:" + KiteTestEnvironment.API_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventStream() {
    }

    /** Every event in the stream, oldest first, as parsed JSON. */
    public static List<JsonNode> read(RedisDataSource redis) {
        return redis.stream(String.class).xrange(STREAM, StreamRange.of("-", "+")).stream()
                .map(message -> parse(message.payload().get("event")))
                .toList();
    }

    /** "type/reason" of every event, oldest first: the shape most tests compare. */
    public static List<String> summary(RedisDataSource redis) {
        return read(redis).stream().map(e -> e.get("type").asText() + "/" + e.get("reason").asText()).toList();
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("an event is not JSON: " + json, e);
        }
    }
}
