package dev.roster.cache.internal.entry;

/**
 * What a lookup read: the current stamp, the entry if it is valid for that stamp (else null), and the answer
 * about the lease: {@code leaseTaken} after a {@link LeaseRequest#take}, {@code leaseHeld} after a {@link
 * LeaseRequest#check}.
 */
public record Found(Stamp current, Entry entry, boolean leaseTaken, boolean leaseHeld) {

    /** The valid entry, if it is still fresh at {@code now}; else null. */
    public Entry freshEntry(long now) {
        return entry != null && entry.remainingMillis(now) > 0 ? entry : null;
    }
}
