package dev.roster.membership;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/** A member as stored and as answered; absent optional fields are omitted from JSON. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Member(String name, String team, String email, String role, Instant joinedAt, long version) {

    /** Whether replacing this member's team, email and role with {@code other}'s would change nothing. */
    public boolean sameContent(String newTeam, String newEmail, String newRole) {
        return team.equals(newTeam) && Objects.equals(email, newEmail) && Objects.equals(role, newRole);
    }
}
