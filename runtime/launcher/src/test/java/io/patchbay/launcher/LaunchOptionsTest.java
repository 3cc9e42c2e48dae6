package io.patchbay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static final Path HOME = Path.of("/opt/patchbay");

    @Test
    void defaultsAreDataInTheWorkingFolderAndLoopbackPort8080() throws Exception {
        LaunchOptions options = LaunchOptions.parse(List.of(), HOME, true);
        assertEquals(Path.of("data").toAbsolutePath(), options.data());
        assertEquals("127.0.0.1", options.httpHost());
        assertEquals(8080, options.httpPort());
        assertEquals(8081, options.apiPort());
        assertTrue(options.interactive());
    }

    @Test
    void readsDataFolderAndPort() throws Exception {
        LaunchOptions options = LaunchOptions.parse(List.of("--http-port", "9090", "--data", "/var/lib/pb",
                "--api-port", "9091"), HOME, false);
        assertEquals(Path.of("/var/lib/pb"), options.data());
        assertEquals(9090, options.httpPort());
        assertEquals(9091, options.apiPort());
        assertFalse(options.interactive());
    }

    @Test
    void headlessOverridesATerminal() throws Exception {
        assertFalse(LaunchOptions.parse(List.of("--headless"), HOME, true).interactive());
    }

    @Test
    void refusesUnknownOptionsWithUsageStatus() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(List.of("--dta", "x"), HOME, false));
        assertEquals(LaunchException.USAGE, e.exitStatus());
        assertTrue(e.getMessage().startsWith("unknown option '--dta'"), e.getMessage());
    }

    @Test
    void refusesMissingAndBadValues() {
        assertEquals("option --data needs a value; " + LaunchOptions.USAGE,
                assertThrows(LaunchException.class, () -> LaunchOptions.parse(List.of("--data"), HOME, false)).getMessage());
        assertEquals("option --data needs a value; " + LaunchOptions.USAGE, assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(List.of("--data", "--http-port", "1"), HOME, false)).getMessage());
        for (String port : List.of("0", "65536", "-1", "http", "")) {
            LaunchException e = assertThrows(LaunchException.class,
                    () -> LaunchOptions.parse(List.of("--http-port", port), HOME, false));
            assertEquals(LaunchException.USAGE, e.exitStatus());
            assertEquals("--http-port needs a port number from 1 to 65535, not '" + port + "'", e.getMessage());
            assertEquals("--api-port needs a port number from 1 to 65535, not '" + port + "'", assertThrows(
                    LaunchException.class, () -> LaunchOptions.parse(List.of("--api-port", port), HOME, false)).getMessage());
        }
    }

    @Test
    void refusesTheSamePortForHttpAndTheApi() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchOptions.parse(List.of("--http-port", "9000", "--api-port", "9000"), HOME, false));
        assertEquals(LaunchException.USAGE, e.exitStatus());
        assertEquals("--api-port and --http-port must differ (both are 9000): the management API has a server of its own",
                e.getMessage());
    }

    @Test
    void helpIsNotAnError() {
        LaunchException e = assertThrows(LaunchException.class, () -> LaunchOptions.parse(List.of("--help"), HOME, false));
        assertEquals(0, e.exitStatus());
        assertEquals(LaunchOptions.USAGE, e.getMessage());
    }
}
