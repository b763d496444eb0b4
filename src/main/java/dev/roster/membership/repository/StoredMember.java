package dev.roster.membership.repository;

import dev.roster.membership.Member;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A member as read, with its document's {@code _id} as {@link ChangeIds#of} writes it. */
@RegisterForReflection
public record StoredMember(String documentId, Member member) {}
