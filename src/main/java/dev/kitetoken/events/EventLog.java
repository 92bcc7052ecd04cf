package dev.kitetoken.events;

import static dev.kitetoken.redis.RedisCalls.call;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.kitetoken.json.JsonCodec;
import dev.kitetoken.redis.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;

/** Reads the events stream: what happened while this replica was not listening. */
@ApplicationScoped
public class EventLog {

    /** A login a day makes a handful of events a day; this reaches far back. */
    private static final int LOOKBACK = 100;

    private final StreamCommands<String, String, String> streams;
    private final RedisKeys keys;
    private final JsonCodec json;

    EventLog(RedisDataSource redis, RedisKeys keys, JsonCodec json) {
        this.streams = redis.stream(String.class);
        this.keys = keys;
        this.json = json;
    }

    /** The newest {@code issued} event, with its JSON as written, unless a later event already ended it. */
    public Optional<Entry> latestIssued() {
        List<StreamMessage<String, String, String>> recent = call("read events",
                // XREVRANGE takes the range end first: newest (+) to oldest (-).
                () -> streams.xrevrange(keys.eventsStream(), StreamRange.of("+", "-"), LOOKBACK));
        Set<String> ended = new HashSet<>();
        for (StreamMessage<String, String, String> message : recent) {
            Optional<TokenEvent> event = parse(message.payload().get("event"));
            if (event.isPresent() && event.get().endsToken()) {
                ended.add(event.get().tokenId());
            } else if (event.isPresent() && TokenEvent.ISSUED.equals(event.get().type())) {
                return ended.contains(event.get().tokenId()) ? Optional.empty()
                        : Optional.of(new Entry(event.get(), message.payload().get("event")));
            }
        }
        return Optional.empty();
    }

    /** The newest events, newest first: what the status page lists. */
    public List<TokenEvent> recent(int count) {
        return call("read events", () -> streams.xrevrange(keys.eventsStream(), StreamRange.of("+", "-"), count)).stream()
                .map(message -> parse(message.payload().get("event")))
                .flatMap(Optional::stream)
                .toList();
    }

    /** An event and the JSON it was stored as. */
    public record Entry(TokenEvent event, String json) {
    }

    public Optional<TokenEvent> parse(String eventJson) {
        return json.read(eventJson, TokenEvent.class, "an event");
    }
}
