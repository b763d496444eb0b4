package dev.roster.cache.internal.entry;

import dev.roster.cache.Tag;

/**
 * Changes of stamp components (the epoch, a tag's generation) made by any instance, pushed by the store as they
 * happen: what lets an in-process copy of entries stay coherent without asking the store on every read.
 * Components are named by opaque strings that the store chooses and its notices repeat.
 */
public interface StampChanges {

    /** Whether the store can push changes at all (a store spread over several servers cannot). */
    boolean supported();

    /** The name of the epoch in notices: a change of it changes every entry's stamp. */
    String epoch();

    /** The name of {@code tag}'s generation in notices. */
    String generation(Tag tag);

    /** Starts following, reconnecting by itself whenever the notices break; the listener hears of each step. */
    void follow(Listener listener);

    /** What a follower hears, from the store's own threads. */
    interface Listener {

        /** Notices flow from now on; nothing said before can be trusted. */
        void following();

        /** The component named {@code name} changed (the epoch: everything did). */
        void changed(String name);

        /** Everything changed (the store was flushed). */
        void everything();

        /** Notices may be missing from now until the next {@link #following()}. */
        void lost();
    }
}
