/**
 * What the cache did, as Micrometer meters ({@link dev.roster.cache.internal.metrics.CacheMetrics}), OpenTelemetry
 * spans and MDC entries ({@link dev.roster.cache.internal.metrics.CacheSpans}) and the circuit's gauge.
 */
package dev.roster.cache.internal.metrics;
