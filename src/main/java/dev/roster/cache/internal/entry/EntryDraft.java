package dev.roster.cache.internal.entry;

/**
 * What the rules decided about an entry before the store lays it out: the stamp it is valid for, what it
 * holds, when it stops being fresh ({@code ttlMillis} after {@code createdAtMillis}) and how long the store
 * keeps it ({@code keepMillis}, the TTL plus the stale grace).
 */
public record EntryDraft(
        Stamp stamp,
        boolean present,
        boolean empty,
        String etag,
        long createdAtMillis,
        long ttlMillis,
        long keepMillis,
        long loadMicros) {

    /** The head of this draft, once the store knows its layout (and, for a stream, how long it took). */
    public Entry head(String loadId, int chunkCount, long totalLength, byte[] inline, long tookMicros, boolean gzip) {
        return new Entry(
                stamp,
                present,
                empty,
                createdAtMillis,
                ttlMillis,
                tookMicros,
                etag,
                loadId,
                chunkCount,
                totalLength,
                inline,
                gzip);
    }
}
