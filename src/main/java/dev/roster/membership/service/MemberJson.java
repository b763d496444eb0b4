package dev.roster.membership.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.CachedBody;
import dev.roster.membership.Member;
import dev.roster.membership.TeamSize;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exact bytes of every representation, written once and kept as bytes by the cache. Listings are written
 * by hand around Jackson-encoded members, so that a listing of any size can be streamed:
 * {@code {"team":…,"count":N,"members":[…]}} plus {@code "next"} on pages with more to follow.
 */
@Singleton
public class MemberJson {

    private static final byte COMMA = ',';
    private final ObjectMapper mapper;

    public MemberJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] member(Member member) {
        return write(member);
    }

    /** The entity tag of a member's representation, as a cached GET would carry it. */
    public String etagOf(Member member) {
        return CachedBody.of(member(member), false).etag();
    }

    public byte[] page(String team, long count, List<Member> members, String next) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(team, count));
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.write(COMMA);
            }
            out.writeBytes(write(members.get(i)));
        }
        out.writeBytes(tail(next));
        return out.toByteArray();
    }

    /** A listing as a stream of buffers of up to {@code perBuffer} members each. */
    public Multi<Buffer> listing(String team, long count, Multi<Member> members, int perBuffer) {
        Multi<Buffer> body = members.group().intoLists().of(perBuffer).map(new java.util.function.Function<>() {
            private boolean first = true;

            @Override
            public Buffer apply(List<Member> batch) {
                Buffer buffer = Buffer.buffer(batch.size() * 160);
                for (Member m : batch) {
                    if (!first) {
                        buffer.appendByte(COMMA);
                    }
                    first = false;
                    buffer.appendBytes(write(m));
                }
                return buffer;
            }
        });
        return Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().item(() -> Buffer.buffer(head(team, count))),
                        body,
                        Multi.createFrom().item(() -> Buffer.buffer(tail(null))));
    }

    public byte[] teams(List<TeamSize> teams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"teams\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(write(teams));
        out.writeBytes((",\"count\":" + teams.size() + "}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private byte[] head(String team, long count) {
        return ("{\"team\":" + new String(write(team), StandardCharsets.UTF_8) + ",\"count\":" + count
                        + ",\"members\":[")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] tail(String next) {
        String end = next == null ? "]}" : "],\"next\":" + new String(write(next), StandardCharsets.UTF_8) + "}";
        return end.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
