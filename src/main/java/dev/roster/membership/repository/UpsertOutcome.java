package dev.roster.membership.repository;

/** What an upsert did to one member: inserted, updated, or failed with a client-facing reason. */
public record UpsertOutcome(boolean inserted, String error) {

    public static final UpsertOutcome INSERTED = new UpsertOutcome(true, null);
    public static final UpsertOutcome UPDATED = new UpsertOutcome(false, null);

    public static UpsertOutcome failed(String error) {
        return new UpsertOutcome(false, error);
    }
}
