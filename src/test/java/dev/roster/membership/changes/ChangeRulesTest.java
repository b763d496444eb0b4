package dev.roster.membership.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.Tag;
import dev.roster.membership.changes.ChangeEvent.Kind;
import dev.roster.membership.changes.ChangeRules.Resolution;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What each kind of change evicts, never less than every view it can alter; no servers. */
class ChangeRulesTest {

    private static final Tag TEAMS = Tag.of("teams");

    @Test
    void anInsertOutsideTheApiEvictsItsMemberTeamAndTheTeamList() {
        Resolution r = ChangeRules.resolve(event(Kind.INSERT, "oid:1", doc("ada", "A"), null, null, null));
        assertEquals(new Resolution.Exact(List.of(member("ada"), team("A"), TEAMS)), r);
    }

    @Test
    void anInsertByTheApiDefersToItsAnnouncementAndKnowsItsViewsCompletely() {
        Resolution r = ChangeRules.resolve(event(Kind.INSERT, "oid:1", doc("ada", "A"), null, null, "w1"));
        assertEquals(new Resolution.Announced("w:w1", List.of(member("ada"), team("A"), TEAMS), true), r);
    }

    @Test
    void aDeleteWithAPreImageEvictsItsViews() {
        Resolution r = ChangeRules.resolve(event(Kind.DELETE, "oid:1", null, doc("ada", "A"), null, null));
        assertEquals(new Resolution.Exact(List.of(member("ada"), team("A"), TEAMS)), r);
    }

    @Test
    void aDeleteWithoutPreImageIsResolvedByTheWritersAnnouncementOrElseEverything() {
        Resolution r = ChangeRules.resolve(event(Kind.DELETE, "oid:1", null, null, null, null));
        assertEquals(new Resolution.Announced("d:oid:1", List.of(TEAMS), false), r);
    }

    @Test
    void anUpdateByTheApiIsResolvedByItsWriteId() {
        Resolution r =
                ChangeRules.resolve(event(Kind.UPDATE, null, null, null, Set.of("team", "writeId", "version"), "w2"));
        assertEquals(new Resolution.Announced("w:w2", List.of(), false), r);
    }

    @Test
    void anUpdateOutsideTheApiThatKeepsNameAndTeamEvictsOnlyItsMemberAndTeam() {
        Resolution r = ChangeRules.resolve(event(Kind.UPDATE, "oid:1", doc("ada", "A"), null, Set.of("email"), null));
        assertEquals(new Resolution.Exact(List.of(member("ada"), team("A"))), r);
    }

    @Test
    void aMoveOutsideTheApiWithoutPreImageEvictsEverything() {
        Resolution r = ChangeRules.resolve(event(Kind.UPDATE, "oid:1", doc("ada", "B"), null, Set.of("team"), null));
        assertInstanceOf(Resolution.Everything.class, r);
    }

    @Test
    void aMoveWithAPreImageEvictsBothTeams() {
        Resolution r = ChangeRules.resolve(
                event(Kind.UPDATE, "oid:1", doc("ada", "B"), doc("ada", "A"), Set.of("team"), null));
        assertInstanceOf(Resolution.Exact.class, r);
        List<Tag> tags = ((Resolution.Exact) r).tags();
        assertTrue(tags.containsAll(List.of(member("ada"), team("A"), team("B"), TEAMS)), tags.toString());
    }

    @Test
    void anUpdateWhoseFieldsAreUnknownEvictsEverything() {
        // The development server's update events carry neither the document's id nor, without a write id, a
        // way to tell which member moved.
        assertInstanceOf(
                Resolution.Everything.class,
                ChangeRules.resolve(event(Kind.UPDATE, null, null, null, Set.of("email"), null)));
    }

    @Test
    void aReplaceOutsideTheApiWithoutPreImageEvictsEverything() {
        assertInstanceOf(
                Resolution.Everything.class,
                ChangeRules.resolve(event(Kind.REPLACE, "oid:1", doc("ada", "B"), null, null, null)));
    }

    @Test
    void aCollectionEventEvictsEverything() {
        assertInstanceOf(
                Resolution.Everything.class, ChangeRules.resolve(event(Kind.OTHER, null, null, null, null, null)));
    }

    private static ChangeEvent event(
            Kind kind, String id, Document after, Document before, Set<String> changed, String writeId) {
        return new ChangeEvent(kind, id, after, before, changed, writeId, "{}", null);
    }

    private static Document doc(String name, String team) {
        return new Document("name", name).append("team", team);
    }

    private static Tag member(String name) {
        return Tag.of("member", name);
    }

    private static Tag team(String team) {
        return Tag.of("team", team);
    }
}
