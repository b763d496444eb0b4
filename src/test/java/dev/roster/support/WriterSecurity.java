package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/**
 * The prod security rules in a test: the {@code secured} profile switches on exactly the permissions that
 * {@code prod} uses ({@code %prod,secured.…} in application.properties), not a copy of them. Tokens are signed
 * with the test-only key in {@code src/test/resources/test-privateKey.pem}, whose public half the test profile
 * verifies with.
 */
public class WriterSecurity implements QuarkusTestProfile {

    private static final String ISSUER = "https://roster.dev";

    @Override
    public String getConfigProfile() {
        return "secured,test";
    }

    public static String token(String... groups) {
        return Jwt.issuer(ISSUER).subject("tester").groups(Set.of(groups)).sign("test-privateKey.pem");
    }
}
