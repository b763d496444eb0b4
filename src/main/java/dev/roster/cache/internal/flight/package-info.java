/**
 * Single flight: callers in this process share one computation ({@link
 * dev.roster.cache.internal.flight.InProcessFlights}); across the fleet a lease lets one instance compute while the
 * others wait for its entry ({@link dev.roster.cache.internal.flight.FleetFlight}); {@link
 * dev.roster.cache.internal.flight.Computation} computes and stores under a stamp. Uses the store through the seam.
 */
package dev.roster.cache.internal.flight;
