package io.patchbay.it;

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
}
