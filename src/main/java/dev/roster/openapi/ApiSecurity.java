package dev.roster.openapi;

/** The names that operations use to require the security scheme declared in this package's OpenAPI definition. */
public final class ApiSecurity {

    /** The bearer JWT scheme, required by {@code @SecurityRequirement} on every write route. */
    public static final String BEARER = "bearer";

    private ApiSecurity() {}
}
