package dev.roster.membership.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The team tests against the packaged application (started under the `embedded` profile). */
@QuarkusIntegrationTest
class TeamResourceIT extends TeamResourceTest {}
