package bench.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One member as stored in collection {@code members}; {@code joinedAt} is kept as its ISO-8601 text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Member(String name, String team, String email, String role, String joinedAt, long version) {}
