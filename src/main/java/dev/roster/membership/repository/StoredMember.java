package dev.roster.membership.repository;

import dev.roster.membership.Member;

/** A member as read, with its document's {@code _id} as {@link ChangeIds#of} writes it. */
public record StoredMember(String documentId, Member member) {}
