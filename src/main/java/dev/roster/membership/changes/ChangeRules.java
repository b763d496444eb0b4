package dev.roster.membership.changes;

import dev.roster.cache.Tag;
import dev.roster.membership.repository.ChangeIds;
import dev.roster.membership.service.CacheTags;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * What a change of the members collection may have changed in the cache: never less than every view it can
 * alter. Views are a member ({@code member:<name>}), a team's listings and pages ({@code team:<team>}) and the
 * list of teams ({@code teams}).
 *
 * <ul>
 *   <li>An insert names its member and team (and an insert by the API is skipped once its writer evicted it).
 *   <li>A change with a pre-image (MongoDB 6.0+ with {@code changeStreamPreAndPostImages} on the collection)
 *       names the views before and after it.
 *   <li>A change made by the API was announced before it was sent, under a write id stored in the document (an
 *       update) or the document's id (a delete): the announced tags, which the writer declared from the document
 *       it changed.
 *   <li>An update that touches neither name nor team changes only its member and team, as looked up now.
 *   <li>Anything else (a move or delete made outside the API on a server without pre-images, a dropped
 *       collection) may have changed any view: everything is evicted.
 * </ul>
 */
final class ChangeRules {

    private static final String NAME = "name";
    private static final String TEAM = "team";

    private ChangeRules() {}

    /** What to evict for one change. */
    sealed interface Resolution {
        /** These tags, known from the event. */
        record Exact(List<Tag> tags) implements Resolution {}

        /**
         * What was announced under {@code changeId}, with {@code known}; nothing when the writer applied it itself;
         * when nothing was announced, {@code known} if it is {@code complete}, else everything.
         */
        record Announced(String changeId, List<Tag> known, boolean complete) implements Resolution {}

        /** Every entry. */
        record Everything(String reason) implements Resolution {}
    }

    static Resolution resolve(ChangeEvent e) {
        return switch (e.kind()) {
            case INSERT -> inserted(e);
            case DELETE -> deleted(e);
            case UPDATE, REPLACE -> changed(e);
            case OTHER -> new Resolution.Everything("a change of the collection itself");
        };
    }

    private static Resolution inserted(ChangeEvent e) {
        if (e.after() == null) {
            return new Resolution.Everything("an insert without its document");
        }
        List<Tag> views = views(e.after(), null);
        return e.writeId() == null
                ? new Resolution.Exact(views)
                : new Resolution.Announced(ChangeIds.written(e.writeId()), views, true);
    }

    private static Resolution deleted(ChangeEvent e) {
        if (e.before() != null) {
            return new Resolution.Exact(views(e.before(), null));
        }
        if (e.documentId() != null) {
            return new Resolution.Announced(ChangeIds.deleted(e.documentId()), List.of(Tag.of(CacheTags.TEAMS)), false);
        }
        return new Resolution.Everything("a delete without document id or pre-image");
    }

    private static Resolution changed(ChangeEvent e) {
        if (e.before() != null) {
            return new Resolution.Exact(views(e.before(), e.after()));
        }
        if (e.writeId() != null) {
            return new Resolution.Announced(
                    ChangeIds.written(e.writeId()), e.after() == null ? List.of() : views(e.after(), null), false);
        }
        boolean keepsViews = e.kind() == ChangeEvent.Kind.UPDATE
                && e.changed() != null
                && !e.changed().contains(NAME)
                && !e.changed().contains(TEAM);
        if (keepsViews && e.after() != null) {
            return new Resolution.Exact(memberAndTeam(e.after()));
        }
        return new Resolution.Everything(
                "a change outside the API that may move a member, without pre-image (or of a document since deleted)");
    }

    /** The views of {@code doc} (and of {@code other}, when not null): member, team, and the list of teams. */
    private static List<Tag> views(Document doc, Document other) {
        Set<Tag> tags = new LinkedHashSet<>(memberAndTeam(doc));
        if (other != null) {
            tags.addAll(memberAndTeam(other));
        }
        tags.add(Tag.of(CacheTags.TEAMS));
        return new ArrayList<>(tags);
    }

    private static List<Tag> memberAndTeam(Document doc) {
        List<Tag> tags = new ArrayList<>(2);
        if (doc.get(NAME) instanceof String name) {
            tags.add(Tag.of(CacheTags.MEMBER, name));
        }
        if (doc.get(TEAM) instanceof String team) {
            tags.add(Tag.of(CacheTags.TEAM, team));
        }
        return tags;
    }
}
