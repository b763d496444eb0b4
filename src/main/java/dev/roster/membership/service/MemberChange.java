package dev.roster.membership.service;

/** A member before and after a write (after is null for a delete). */
public record MemberChange(Member before, Member after) {}
