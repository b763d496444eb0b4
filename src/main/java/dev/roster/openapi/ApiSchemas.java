package dev.roster.openapi;

import dev.roster.membership.service.MemberFields;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of the JSON bodies Roster answers, and of the PUT body, for the OpenAPI document only. The resources
 * write most bodies as bytes or streams (cached, ETagged), so nothing else tells the document what they hold;
 * OpenApiContractTest checks real answers against these schemas, and GeneratedClientIT drives every route through a
 * client generated from them, so they cannot drift unnoticed.
 */
public final class ApiSchemas {

    private ApiSchemas() {}

    /** A member as answered by every member and listing route. */
    @Schema(
            name = "Member",
            description = "A member; absent optional fields are omitted.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"name", "team", "joinedAt", "version"})
    public record MemberView(
            @Schema(
                    description = "The member's id: no control characters, not '.' or '..'; unique.",
                    minLength = 1,
                    maxLength = MemberFields.NAME_MAX,
                    examples = "ada")
            String name,

            @Schema(
                    description = "Case-sensitive team name, no control characters.",
                    minLength = 1,
                    maxLength = MemberFields.TEAM_MAX,
                    examples = "ALPHA")
            String team,

            @Schema(format = "email", examples = "ada@example.org")
            String email,

            @Schema(minLength = 1, maxLength = MemberFields.ROLE_MAX, examples = "lead")
            String role,

            @Schema(
                    implementation = String.class,
                    format = "date-time",
                    readOnly = true,
                    description = "Set by the server on create.",
                    examples = "2026-01-05T09:30:00.123Z")
            Instant joinedAt,

            @Schema(minimum = "1", readOnly = true, description = "Starts at 1, +1 on every change.")
            long version) {}

    /**
     * {@code PUT /members/{name}}: read into {@code MemberInput} like a create, but {@code name} may be left out (the
     * path names the member), so the document needs a schema of its own.
     */
    @Schema(
            name = "MemberReplacement",
            description = "A member's new team, email and role; email and role left out (or null) are removed."
                    + " joinedAt and version are read-only (400). Lengths count code points; no control characters.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"team"})
    public record MemberReplacement(
            @Schema(
                    description = "Optional; when present it must equal the name in the path (400 otherwise).",
                    minLength = 1,
                    maxLength = MemberFields.NAME_MAX,
                    examples = "ada")
            String name,

            @Schema(minLength = 1, maxLength = MemberFields.TEAM_MAX, examples = "ALPHA")
            String team,

            @Schema(format = "email", nullable = true, description = "null means absent.", examples = "ada@example.org")
            String email,

            @Schema(minLength = 1, maxLength = MemberFields.ROLE_MAX, nullable = true, examples = "lead")
            String role) {}

    /** {@code GET /teams/{team}/members}, whole or one page. */
    @Schema(
            name = "TeamListing",
            description = "A team's members in name order (binary, by code point): the whole team, the rest after"
                    + " 'after', or one page of at most 'limit'.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"team", "count", "members"})
    public record TeamListing(
            @Schema(examples = "ALPHA") String team,

            @Schema(minimum = "0", description = "The whole team's size, not the number listed.")
            long count,

            List<MemberView> members,

            @Schema(description = "Present only when more members follow: pass it as 'after' for the next page.")
            String next) {}

    /** One row of {@code GET /teams}. */
    @Schema(
            name = "TeamSize",
            additionalProperties = Schema.False.class,
            requiredProperties = {"team", "count"})
    public record TeamSize(
            @Schema(examples = "ALPHA") String team,
            @Schema(minimum = "1") long count) {}

    /** {@code GET /teams}. */
    @Schema(
            name = "Teams",
            description = "Every team with its size, ordered by team.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"teams", "count"})
    public record Teams(
            List<TeamSize> teams,

            @Schema(minimum = "0", description = "The number of teams.")
            long count) {}

    /** {@code DELETE /teams/{team}}. */
    @Schema(
            name = "TeamDeletion",
            additionalProperties = Schema.False.class,
            requiredProperties = {"deleted"})
    public record TeamDeletion(
            @Schema(minimum = "0", description = "Members deleted; 0 for an unknown team.")
            long deleted) {}

    /** One broken rule of a 400. */
    @Schema(
            name = "Violation",
            additionalProperties = Schema.False.class,
            requiredProperties = {"field", "message"})
    public record Violation(
            @Schema(examples = "team") String field,
            @Schema(examples = "must not be blank") String message) {}

    /** RFC 9457 problem details, the body of every 4xx and 5xx. */
    @Schema(
            name = "Problem",
            description = "RFC 9457 problem details (application/problem+json). Never carries a class name, stack"
                    + " trace or driver message.",
            additionalProperties = Schema.False.class,
            requiredProperties = {"type", "title", "status"})
    public record ProblemView(
            @Schema(format = "uri", examples = "https://roster.dev/problems/validation")
            String type,

            @Schema(examples = "Validation Failed") String title,

            @Schema(minimum = "400", maximum = "599", examples = "400")
            int status,

            @Schema(description = "What went wrong, in words a client can act on.")
            String detail,

            @Schema(description = "The request path.", examples = "/members")
            String instance,

            @Schema(description = "Present on 400s for broken validation rules, one per rule.")
            List<Violation> violations) {}
}
