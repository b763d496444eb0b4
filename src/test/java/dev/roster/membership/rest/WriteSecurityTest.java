package dev.roster.membership.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import dev.roster.support.WriterSecurity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** With the prod security rules: writes need role roster-writer; reads stay open; refusals are problem+json. */
@QuarkusTest
@TestProfile(WriterSecurity.class)
class WriteSecurityTest {

    @Test
    void shouldAnswer401WhenWritingWithoutToken() {
        Api.create(Unique.name("anon"), "T")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        given().contentType("application/x-ndjson")
                .body("{\"name\":\"x\",\"team\":\"T\"}\n".getBytes(StandardCharsets.UTF_8))
                .post("/members/bulk")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().delete("/teams/T").then().statusCode(401);
    }

    @Test
    void shouldAnswer403WhenTokenLacksTheWriterRole() {
        given().auth()
                .oauth2(WriterSecurity.token("reader"))
                .contentType(ContentType.JSON)
                .body(Api.member(Unique.name("reader"), "T"))
                .post("/members")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void shouldWriteWithWriterTokenAndReadWithout() {
        String name = Unique.name("writer");
        given().auth()
                .oauth2(WriterSecurity.token("roster-writer"))
                .contentType(ContentType.JSON)
                .body(Api.member(name, "T"))
                .post("/members")
                .then()
                .statusCode(201);
        Api.memberView(name).then().statusCode(200);
    }

    @Test
    void shouldAnswer401WhenTokenIsForged() {
        given().header("Authorization", "Bearer not.a.token")
                .contentType(ContentType.JSON)
                .body(Api.member(Unique.name("forged"), "T"))
                .post("/members")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
