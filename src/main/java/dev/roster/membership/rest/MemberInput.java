package dev.roster.membership.rest;

import dev.roster.membership.service.MemberFields;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Email;

/**
 * The body of POST and PUT and of each bulk line. {@code joinedAt} and {@code version} are not fields here:
 * a client that sends them is told they are read-only.
 */
@RegisterForReflection
public record MemberInput(
        @MemberText(max = MemberFields.NAME_MAX, pathSegment = true)
        String name,

        @MemberText(max = MemberFields.TEAM_MAX) String team,
        @Email(message = "must be a valid email address") String email,

        @MemberText(max = MemberFields.ROLE_MAX, required = false)
        String role) {}
