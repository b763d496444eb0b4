package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/**
 * The prod security rules in a test: the {@code secured} profile switches back on exactly the permissions that
 * every profile but dev, test and embedded uses (application.properties), not a copy of them. It comes last
 * because the last profile wins: {@code test} alone turns them off. Tokens are signed
 * with the test-only key in {@code src/test/resources/test-privateKey.pem}, whose public half the test profile
 * verifies with.
 */
public class WriterSecurity implements QuarkusTestProfile {

    private static final String ISSUER = "https://roster.dev";

    @Override
    public String getConfigProfile() {
        return "test,secured";
    }

    public static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("tester").groups(Set.of(groups)).sign("test-privateKey.pem");
    }
}
