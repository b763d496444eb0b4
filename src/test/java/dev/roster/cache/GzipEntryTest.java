package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.redis.RedisKeys;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Large response bodies are stored gzip-compressed and sent as stored to clients that accept gzip, inflated
 * for the others, each representation with its own entity tag. Requests go through a plain JDK client, which
 * neither adds Accept-Encoding nor inflates on its own.
 */
@QuarkusTest
class GzipEntryTest {

    private static final int MEMBERS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "/roster/cache", management = true)
    URL admin;

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path, String acceptEncoding, String ifNoneMatch) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(api + path.substring(1))).timeout(WAIT);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static byte[] inflate(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void evict(String path) {
        given().queryParam("path", path).post(admin + "/evict").then().statusCode(200);
    }

    /** Bytes Redis holds for the entry of {@code path}: its head plus every chunk of its load. */
    private long storedBytes(String path) {
        String head = given().queryParam("path", path)
                .get(admin + "/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
        String id = head.substring(head.indexOf('{') + 1, head.lastIndexOf('}'));
        Response value = redis.send(Request.cmd(Command.GET).arg(head)).await().atMost(WAIT);
        Entry entry = Entry.decode(value.toBytes());
        assertTrue(entry.gzip(), "stored compressed");
        long total = value.toBytes().length;
        for (int i = 0; i < entry.chunkCount(); i++) {
            Response length = redis.send(Request.cmd(Command.STRLEN).arg(keys.chunk(id, entry.loadId(), i)))
                    .await()
                    .atMost(WAIT);
            assertTrue(length.toLong() > 0, "chunk " + i + " is there");
            total += length.toLong();
        }
        return total;
    }

    @Test
    void shouldSendAStoredGzipBodyAsStoredOnlyToClientsThatAcceptGzip() {
        String team = Unique.name("gzip");
        Api.bulkTeam(team, MEMBERS);
        String path = "/teams/" + Api.segment(team) + "/members";

        HttpResponse<byte[]> miss = get(path, "gzip", null);
        assertEquals(200, miss.statusCode());
        assertTrue(header(miss, "Cache-Status").contains("fwd=miss"), header(miss, "Cache-Status"));
        assertNull(header(miss, "Content-Encoding"), "a streamed miss is sent identity");
        assertEquals("Accept-Encoding", header(miss, "Vary"));
        byte[] identity = miss.body();
        assertTrue(new String(identity).contains(team + "-" + (MEMBERS - 1)), "the whole listing");

        HttpResponse<byte[]> gzip = get(path, "gzip, deflate", null);
        assertTrue(header(gzip, "Cache-Status").contains("hit"), header(gzip, "Cache-Status"));
        assertEquals("gzip", header(gzip, "Content-Encoding"));
        assertEquals("Accept-Encoding", header(gzip, "Vary"));
        assertTrue(
                gzip.body().length * 5 <= identity.length,
                "compressed " + gzip.body().length + " of " + identity.length);
        assertArrayEquals(identity, inflate(gzip.body()), "inflates to the identity body");
        assertTrue(storedBytes(path) * 4 <= identity.length, "Redis holds at most a quarter");

        HttpResponse<byte[]> plain = get(path, null, null);
        assertTrue(header(plain, "Cache-Status").contains("hit"));
        assertNull(header(plain, "Content-Encoding"));
        assertEquals("Accept-Encoding", header(plain, "Vary"));
        assertArrayEquals(identity, plain.body(), "inflated on the fly for a client without gzip");

        String gzipTag = header(gzip, "ETag");
        String identityTag = header(plain, "ETag");
        assertNotEquals(gzipTag, identityTag);
        assertEquals(identityTag, header(miss, "ETag"), "the miss and the identity hit are one representation");
        assertEquals(304, get(path, "gzip", gzipTag).statusCode());
        assertEquals(304, get(path, null, identityTag).statusCode());
        HttpResponse<byte[]> identityForGzipTag = get(path, null, gzipTag);
        assertEquals(200, identityForGzipTag.statusCode(), "a gzip tag does not validate the identity body");
        assertArrayEquals(identity, identityForGzipTag.body());
        HttpResponse<byte[]> gzipForIdentityTag = get(path, "gzip", identityTag);
        assertEquals(200, gzipForIdentityTag.statusCode(), "an identity tag does not validate the gzip body");
        assertEquals("gzip", header(gzipForIdentityTag, "Content-Encoding"));

        evict(path);
        HttpResponse<byte[]> coldWithoutGzip = get(path, null, null);
        assertTrue(header(coldWithoutGzip, "Cache-Status").contains("fwd=miss"));
        assertArrayEquals(identity, coldWithoutGzip.body(), "a cold miss with or without gzip: one identity body");
    }

    @Test
    void shouldHonourQualityValuesOfAcceptEncoding() {
        String team = Unique.name("gzip-q");
        Api.bulkTeam(team, 1_000);
        String page = "/teams/" + Api.segment(team) + "/members?limit=1000";
        byte[] identity = get(page, null, null).body();
        assertEquals("gzip", header(get(page, "gzip", null), "Content-Encoding"), "a whole page is stored gzip");
        assertArrayEquals(identity, inflate(get(page, "gzip", null).body()));
        for (String refuses : new String[] {"gzip;q=0", "identity", "br, *;q=0", "*;q=0, br", "gzip;q=0, *"}) {
            HttpResponse<byte[]> r = get(page, refuses, null);
            assertNull(header(r, "Content-Encoding"), refuses);
            assertEquals("Accept-Encoding", header(r, "Vary"), refuses);
            assertArrayEquals(identity, r.body(), refuses);
        }
        for (String allows : new String[] {"*", "GZIP", "deflate, gzip;q=0.5", "br;q=1.0, x-gzip;q=0.1", "*;q=0.2"}) {
            HttpResponse<byte[]> r = get(page, allows, null);
            assertEquals("gzip", header(r, "Content-Encoding"), allows);
            assertArrayEquals(identity, inflate(r.body()), allows);
        }
    }

    @Test
    void shouldKeepASmallBodyIdentityAndStillVary() {
        String name = Unique.name("gzip-small");
        Api.create(name, Unique.name("gzip-small-team")).then().statusCode(201);
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = get("/members/" + Api.segment(name), "gzip", null);
            assertEquals(200, r.statusCode());
            assertNull(header(r, "Content-Encoding"), "below the threshold, stored and sent as is");
            assertEquals("Accept-Encoding", header(r, "Vary"));
            assertTrue(new String(r.body()).contains(name));
        }
    }
}
