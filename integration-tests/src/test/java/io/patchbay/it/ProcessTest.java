package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run the built distribution as real processes: a temp folder and a log folder. */
abstract class ProcessTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static Path logs;

    @TempDir
    Path temp;

    @BeforeAll
    static void logFolder() throws Exception {
        logs = RuntimeProcess.logFolder();
    }

    static String heater(int port) throws Exception {
        String body = Http.get(port, "/decide?celsius=-5").body();
        return body.contains("\"heater\":\"ON\"") ? "ON" : body.contains("\"heater\":\"OFF\"") ? "OFF" : body;
    }

    /**
     * A test that needs something of the machine (root, a tool) is skipped without it, saying why;
     * where every test must run (CI sets {@code PATCHBAY_REQUIRE_ALL_TESTS=true}, see .ci/run) the
     * missing need fails the test instead, so nothing is skipped silently.
     */
    static void needs(boolean present, String what) {
        if ("true".equals(System.getenv("PATCHBAY_REQUIRE_ALL_TESTS"))) {
            assertTrue(present, what + " (PATCHBAY_REQUIRE_ALL_TESTS=true: this test may not be skipped)");
        } else {
            assumeTrue(present, what);
        }
    }
}
