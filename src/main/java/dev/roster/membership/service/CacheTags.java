package dev.roster.membership.service;

/** Tag kinds of the membership caches. */
public final class CacheTags {
    public static final String TEAM = "team";
    public static final String TEAMS = "teams";
    public static final String MEMBER = "member";

    private CacheTags() {}
}
