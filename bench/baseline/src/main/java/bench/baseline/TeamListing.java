package bench.baseline;

import java.util.List;

/** The answer of {@code GET /teams/{team}/members}: the whole team in name order. */
public record TeamListing(String team, long count, List<Member> members) {}
