package dev.roster.membership.rest;

import dev.roster.membership.service.MemberFields;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Email;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST and PUT and of each bulk line. {@code joinedAt} and {@code version} are not fields here:
 * a client that sends them is told they are read-only.
 */
@RegisterForReflection
@Schema(
        name = "MemberInput",
        description = "A member to create (POST, and each line of a bulk import). joinedAt and version are read-only"
                + " (400). Lengths count code points; no control characters. PUT reads it too, documented as"
                + " MemberReplacement.",
        additionalProperties = Schema.False.class)
public record MemberInput(
        @Schema(required = true, minLength = 1, maxLength = MemberFields.NAME_MAX, examples = "ada")
        @MemberText(max = MemberFields.NAME_MAX, pathSegment = true)
        String name,

        @Schema(required = true, minLength = 1, maxLength = MemberFields.TEAM_MAX, examples = "ALPHA")
        @MemberText(max = MemberFields.TEAM_MAX)
        String team,

        @Schema(format = "email", nullable = true, description = "null means absent.", examples = "ada@example.org")
        @Email(message = "must be a valid email address")
        String email,

        @Schema(minLength = 1, maxLength = MemberFields.ROLE_MAX, nullable = true, examples = "lead")
        @MemberText(max = MemberFields.ROLE_MAX, required = false)
        String role) {}
