package dev.roster.support;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.util.OptionalDouble;

/** One series of the Prometheus scrape on the management interface. */
public final class ScrapedMetrics {

    private ScrapedMetrics() {}

    /** The value of {@code series} (name and labels as scraped) on {@code management}/metrics, if it is there. */
    public static OptionalDouble value(URL management, String series) {
        String body = given().get(management + "metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return body.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]))
                .findFirst();
    }
}
