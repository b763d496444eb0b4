/**
 * Method plans, resolved once per method: key parameters, tags, TTLs and the result kind; entry ids ({@link
 * dev.roster.cache.internal.plan.KeyEncoder}, {@link dev.roster.cache.internal.plan.Hashing}); {@link
 * dev.roster.cache.internal.plan.Lookup}, one request's view of one entry. Depends on the API only.
 */
package dev.roster.cache.internal.plan;
