/**
 * Black-box fault tests against the packaged application: two prod-profile instances A and B
 * ({@link dev.roster.faults.FaultFleet}) sharing one MongoDB wire-protocol server, reached through a
 * {@link dev.roster.support.TcpProxy} that can delay, swallow or refuse MongoDB's replies, and one real Redis that
 * can be frozen, have its keys deleted behind the application's back, or be killed and restarted from an older
 * snapshot.
 *
 * <p>Each test describes the correct behaviour as a client sees it over HTTP (plus {@code /q/health} and
 * {@code /q/metrics} on the management port where the behaviour is about health or waiting): the faults are
 * injected underneath, never in the application. Where a fault makes the outcome of a write uncertain (did an
 * aborted request land?), MongoDB read directly is the oracle of what the instances must serve.
 *
 * <p>Run only these: {@code ./mvnw verify -Dit.test='dev/roster/faults/*IT' -Dtest=skip
 * -Dsurefire.failIfNoSpecifiedTests=false}. The instances' logs are {@code target/fleet-fault-a.log} and
 * {@code target/fleet-fault-b.log}.
 */
package dev.roster.faults;
