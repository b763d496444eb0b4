package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;
import java.util.Map;
import java.util.Set;

/**
 * The prod security rules in a test. Tokens are signed with the test-only key in
 * {@code src/test/resources/test-privateKey.pem}, whose public half the test profile verifies with.
 */
public class WriterSecurity implements QuarkusTestProfile {

    private static final String ISSUER = "https://roster.dev";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.auth.permission.roster-writes.paths", "/members,/members/*,/teams/*",
                "quarkus.http.auth.permission.roster-writes.methods", "POST,PUT,DELETE",
                "quarkus.http.auth.permission.roster-writes.policy", "roster-writer",
                "quarkus.http.auth.policy.roster-writer.roles-allowed", "roster-writer",
                "quarkus.http.auth.permission.roster-reads.paths", "/members,/members/*,/teams,/teams/*",
                "quarkus.http.auth.permission.roster-reads.methods", "GET,HEAD,OPTIONS",
                "quarkus.http.auth.permission.roster-reads.policy", "permit");
    }

    public static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("tester").groups(Set.of(groups)).sign("test-privateKey.pem");
    }
}
