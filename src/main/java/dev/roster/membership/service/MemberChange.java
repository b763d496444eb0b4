package dev.roster.membership.service;

import dev.roster.membership.Member;

/** A member before and after a write (after is null for a delete). */
public record MemberChange(Member before, Member after) {}
