package dev.roster.membership.rest;

import dev.roster.cache.CacheStatus;
import dev.roster.cache.CachedBody;
import dev.roster.error.Problem;
import io.vertx.core.http.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;

/**
 * Turns a cached body into the HTTP answer: 200 with ETag, 304 for a current If-None-Match, 404 for absent. A
 * body stored gzip-encoded is sent as stored to a client whose Accept-Encoding allows gzip, with its own entity
 * tag, and inflated for the others; every answer varies on Accept-Encoding.
 */
final class CachedAnswers {

    static final String CACHE_STATUS = "Cache-Status";
    static final String VARY = "Vary";
    static final String ACCEPT_ENCODING = "Accept-Encoding";
    /** How the OpenAPI document describes the request header. */
    static final String ACCEPT_ENCODING_DOC =
            "Codings the client accepts; gzip (q-values honoured) gets a compressed body as stored.";

    private static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");
    private static final CharSequence ETAG_NAME = HttpHeaders.createOptimized("ETag");
    private static final CharSequence STATUS_NAME = HttpHeaders.createOptimized(CACHE_STATUS);
    private static final CharSequence VARY_NAME = HttpHeaders.createOptimized(VARY);
    private static final CharSequence VARY_VALUE = HttpHeaders.createOptimized(ACCEPT_ENCODING);
    private static final CharSequence ENCODING_NAME = HttpHeaders.createOptimized("Content-Encoding");
    private static final CharSequence GZIP_VALUE = HttpHeaders.createOptimized("gzip");

    private CachedAnswers() {}

    static Response of(CachedBody body, String ifNoneMatch, String acceptEncoding, String path, String absentDetail) {
        String status = body.status() == null
                ? CacheStatus.bypass("uncached").toHeader()
                : body.status().toHeader();
        if (!body.present()) {
            body.discard();
            return Response.fromResponse(Problem.of("not-found", "Not Found", 404, absentDetail, path)
                            .toResponse())
                    .header(CACHE_STATUS, status)
                    .header(VARY, ACCEPT_ENCODING)
                    .build();
        }
        boolean gzip = body.gzip() && ContentCodings.allowsGzip(acceptEncoding);
        CachedBody sent = gzip ? body : body.identity();
        String etag = "\"" + (gzip ? body.gzipTag() : body.etag()) + "\"";
        if (matches(ifNoneMatch, etag)) {
            sent.discard();
            return Response.notModified()
                    .header("ETag", etag)
                    .header(CACHE_STATUS, status)
                    .header(VARY, ACCEPT_ENCODING)
                    .build();
        }
        // The 200's headers go with the body, written by its writer: no JAX-RS header map on the hit path.
        CachedBody answer = gzip
                ? sent.withHeaders(
                        ETAG_NAME, etag, STATUS_NAME, status, VARY_NAME, VARY_VALUE, ENCODING_NAME, GZIP_VALUE)
                : sent.withHeaders(ETAG_NAME, etag, STATUS_NAME, status, VARY_NAME, VARY_VALUE);
        return Response.ok(answer, JSON).build();
    }

    /** Weak comparison, as RFC 9110 prescribes for If-None-Match. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }
}
