package dev.roster.membership.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The member tests against the packaged application (started under the `embedded` profile). */
@QuarkusIntegrationTest
class MemberResourceIT extends MemberResourceTest {}
