package dev.roster.membership.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many writers at once: counts stay exact, names stay unique, If-Match prevents lost updates. */
@QuarkusTest
class ConcurrentWritesTest {

    private static List<Integer> concurrently(int n, Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shouldCreateExactlyOneWhenTheSameNameIsCreatedConcurrently() throws Exception {
        String name = Unique.name("race");
        List<Integer> statuses = concurrently(20, () -> Api.create(name, "T").statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    }

    @Test
    void shouldCountExactlyWhenManyWritersFillOneTeam() throws Exception {
        String team = Unique.name("crowd");
        Api.listing(team).then().body("count", equalTo(0));
        int[] next = {0};
        List<Integer> statuses = concurrently(60, () -> {
            int i;
            synchronized (next) {
                i = next[0]++;
            }
            return Api.create(team + "-" + i, team).statusCode();
        });
        assertEquals(60, statuses.stream().filter(s -> s == 201).count());
        Api.listing(team).then().body("count", equalTo(60)).body("members.size()", equalTo(60));
        given().get("/teams").then().body("teams.find { it.team == '" + team + "' }.count", equalTo(60));
    }

    @Test
    void shouldLetOnlyOneOfTwoUpdatesWithTheSameEtagWin() throws Exception {
        String name = Unique.name("lost");
        String etag = Api.create(name, "T").header("ETag");
        int[] role = {0};
        List<Integer> statuses = concurrently(8, () -> {
            int r;
            synchronized (role) {
                r = role[0]++;
            }
            return given().contentType(ContentType.JSON)
                    .header("If-Match", etag)
                    .body(Map.of("team", "T", "role", "r" + r))
                    .put("/members/" + name)
                    .statusCode();
        });
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        Api.memberView(name).then().body("version", equalTo(2));
    }
}
