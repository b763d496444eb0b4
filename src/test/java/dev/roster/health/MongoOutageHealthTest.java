package dev.roster.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.roster.support.Api;
import dev.roster.support.ControlledMongo;
import dev.roster.support.TestServers;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health across MongoDB outages, starting with none at all: started waits for MongoDB and the indexes once,
 * then stays UP; ready stays UP (this pod still answers) with MongoDB's state in its data; live never looks
 * at MongoDB.
 */
@QuarkusTest
@TestProfile(MongoOutageHealthTest.NoMongoAtStart.class)
class MongoOutageHealthTest {

    @BeforeEach
    void controllableMongoOnly() {
        ControlledMongo.assumeControllable();
    }

    private static final Duration PATIENCE = Duration.ofSeconds(40);

    /** The application starts while its MongoDB is down. */
    public static class NoMongoAtStart implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(ControlledMongo.class, Map.of("stopped", "true")), TestServers.onlyRedis());
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @AfterEach
    void mongoIsBack() {
        ControlledMongo.stopServer();
        ControlledMongo.startServer();
    }

    @Test
    void shouldStartOnceMongoWasReachedAndStayReadyAndAliveThroughItsOutages() {
        given().get(health + "/started")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'mongodb-indexes' }.status", equalTo("DOWN"));
        ready().body("checks.find { it.name == 'mongodb' }.data.state", equalTo("unreachable"));
        live();

        ControlledMongo.startServer();
        await().atMost(PATIENCE).until(() -> given().get(health + "/started").statusCode() == 200);
        ready().body("checks.find { it.name == 'mongodb' }.data.state", equalTo("reachable"))
                .body("checks.find { it.name == 'mongodb' }.data.indexes", equalTo(true));

        ControlledMongo.stopServer();
        given().get(health + "/started").then().statusCode(200).body("status", equalTo("UP"));
        ready().body("checks.find { it.name == 'mongodb' }.data.state", equalTo("unreachable"));
        live();

        ControlledMongo.startServer(); // empty: the indexes are gone and must be re-created
        await().atMost(PATIENCE)
                .until(() -> Boolean.TRUE.equals(given().get(health + "/ready")
                        .then()
                        .extract()
                        .path("checks.find { it.name == 'mongodb' }.data.indexes")));
        String name = Unique.name("unique-after-outage");
        Api.create(name, "T").then().statusCode(201);
        Api.create(name, "T").then().statusCode(409);
    }

    private ValidatableResponse ready() {
        return given().get(health + "/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'mongodb' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis-cache' }.status", equalTo("UP"));
    }

    private void live() {
        given().get(health + "/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.data.loops", org.hamcrest.Matchers.greaterThan(0));
    }
}
