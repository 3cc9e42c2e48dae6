package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * End-to-end tests of the built distribution ({@code runtime/distribution/target/patchbay}) as
 * real processes: headless start, the attached console, SIGTERM, restart, and every refusal
 * with its one-line error, its exit status, and a data folder left exactly as it was.
 */
class DistributionIT extends ProcessTest {

    static final List<String> DEMO_BUNDLES = List.of("io.patchbay.demo.api", "io.patchbay.demo.control",
            "io.patchbay.demo.policy", "io.patchbay.demo.sensor", "io.patchbay.demo.web");
    static final Duration SWAP_TIMEOUT = Duration.ofSeconds(20);


    @Test
    void headlessRuntimeServesHttpAndAnAttachedConsoleAndStopsCleanlyOnSigterm() throws Exception {
        Path data = temp.resolve("data");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, FreePort.pick(), logs)) {
            assertTrue(runtime.out().contains("first boot, installed"), runtime.out());
            assertTrue(runtime.out().contains("headless"), runtime.out());

            RuntimeProcess.Result lb = runtime.console(logs, "lb -s");
            assertEquals(0, lb.exitStatus(), lb.err());
            for (String bsn : DEMO_BUNDLES) {
                Matcher line = Pattern.compile("\\|Active\\s*\\|\\s*2\\|" + Pattern.quote(bsn) + " \\(1\\.0\\.0\\)").matcher(lb.out());
                assertTrue(line.find(), bsn + " active at start level 2 in:\n" + lb.out());
            }
            assertTrue(lb.out().contains("io.patchbay.console"), lb.out());

            RuntimeProcess.Result components = runtime.console(logs, "scr:list");
            assertEquals(0, components.exitStatus(), components.err());
            assertTrue(components.out().contains("io.patchbay.demo.control.HeatingControlLoop"), components.out());
            assertFalse(components.out().contains("State:FAILED"), components.out());
            assertFalse(components.out().contains("State:UNSATISFIED"), components.out());

            RuntimeProcess.Result unknown = runtime.console(logs, "no-such-command");
            assertEquals(1, unknown.exitStatus());
            assertEquals("Error: Command not found: no-such-command", unknown.err().strip());

            RuntimeProcess.Result failing = runtime.console(logs, "stop 9999");
            assertTrue(failing.exitStatus() != 0, "a failing command is a failed exit status: " + failing);

            // Safe defaults, as the kernel sees them: two TCP ports, HTTP and the management API,
            // both on loopback only; the console has no network port.
            assertEquals(List.of("127.0.0.1:" + runtime.apiPort(), "127.0.0.1:" + runtime.port()).stream().sorted().toList(),
                    ListeningSockets.of(runtime.pid()).stream().sorted().toList());

            // Only the owner can reach the console: owner-only socket in an owner-only folder.
            Path socket = data.resolve("run/console.sock");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

            assertEquals(0, runtime.terminate(), "SIGTERM is an orderly stop");
            assertTrue(runtime.out().contains("Patchbay stopped."), runtime.out());
            assertFalse(Files.exists(socket), "the console socket is removed on stop");
        }
    }

    @Test
    void aBundleUpdatedWhileRunningIsStillUpdatedAfterARestart() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path fix = PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY_FIX);
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            assertTrue(Http.get(port, "/decide?celsius=-5").body().contains("\"heater\":\"OFF\""), "1.0.0 has the bug");

            long policyId = bundleId(runtime, "io.patchbay.demo.policy");
            RuntimeProcess.Result update = runtime.console(logs, "update " + policyId + " " + fix.toUri());
            assertEquals(0, update.exitStatus(), update.err());
            RuntimeProcess.Result refresh = runtime.console(logs, "refresh " + policyId);
            assertEquals(0, refresh.exitStatus(), refresh.err());
            Await.until("the fixed policy to answer", SWAP_TIMEOUT,
                    () -> Http.get(port, "/decide?celsius=-5").body().contains("\"heater\":\"ON\""));
            assertEquals(0, runtime.terminate());
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertFalse(restarted.out().contains("first boot"), "a later boot starts what the cache holds");
            String status = Http.get(port, "/status").body();
            assertTrue(status.contains("{\"symbolicName\":\"io.patchbay.demo.policy\",\"version\":\"1.0.1\",\"state\":\"ACTIVE\"}"),
                    status);
            Await.until("the fixed policy to answer after the restart", SWAP_TIMEOUT,
                    () -> Http.get(port, "/decide?celsius=-5").body().contains("\"heater\":\"ON\""));
            assertEquals(0, restarted.terminate());
        }
    }

    @Test
    void aDataFolderInUseIsRefusedAndLeftAsItWas() throws Exception {
        Path data = temp.resolve("data");
        try (RuntimeProcess owner = RuntimeProcess.start(data, FreePort.pick(), logs)) {
            Map<String, String> before = FolderSnapshot.of(data);
            RuntimeProcess.Result second = RuntimeProcess.run(logs, "--data", data.toString(),
                    "--http-port", Integer.toString(FreePort.pick()), "--api-port", Integer.toString(FreePort.pick()));
            assertEquals(3, second.exitStatus());
            assertOneLine("patchbay: data folder " + data.toAbsolutePath() + " is in use by a running instance (pid "
                    + owner.pid() + ")", second.err());
            FolderSnapshot.assertUnchanged(before, data);
            assertEquals(200, Http.get(owner.port(), "/status").status(), "the owner runs on, undisturbed");
        }
    }

    @Test
    void aTakenHttpPortIsRefusedAndTheDataFolderLeftAsItWas() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            assertEquals(0, runtime.terminate());
        }
        Map<String, String> before = FolderSnapshot.of(data);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", port));
            RuntimeProcess.Result result = RuntimeProcess.run(logs, "--data", data.toString(), "--http-port",
                    Integer.toString(port));
            assertEquals(3, result.exitStatus());
            assertOneLine("patchbay: HTTP port " + port + " on 127.0.0.1 is already in use; stop what holds it or "
                    + "choose another with --http-port", result.err());
            Path fresh = temp.resolve("fresh-data");
            RuntimeProcess.Result refusedFresh = RuntimeProcess.run(logs, "--data", fresh.toString(), "--http-port",
                    Integer.toString(port));
            assertEquals(3, refusedFresh.exitStatus());
            assertFalse(Files.exists(fresh), "a refused start creates no data folder");
        }
        FolderSnapshot.assertUnchanged(before, data);
    }

    @Test
    void aTakenApiPortIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", 0));
            int apiPort = squatter.getLocalPort();
            RuntimeProcess.Result result = RuntimeProcess.run(logs, "--data", data.toString(), "--http-port",
                    Integer.toString(port == apiPort ? FreePort.pickOtherThan(apiPort) : port), "--api-port",
                    Integer.toString(apiPort));
            assertEquals(3, result.exitStatus());
            assertOneLine("patchbay: management API port " + apiPort + " on 127.0.0.1 is already in use; stop what"
                    + " holds it or choose another with --api-port", result.err());
        }
        assertFalse(Files.exists(data), "a refused start creates no data folder");
    }

    @Test
    void unknownOptionsAndBadValuesAreRefusedBeforeAnythingIsCreated() throws Exception {
        Path data = temp.resolve("data");
        RuntimeProcess.Result unknown = RuntimeProcess.run(logs, "--data", data.toString(), "--frobnicate");
        assertEquals(2, unknown.exitStatus());
        assertOneLine("patchbay: unknown option '--frobnicate'; usage: patchbay [--data DIR] [--http-port N] [--api-port N]   |   "
                + "patchbay console [--data DIR] [-c COMMAND]", unknown.err());

        RuntimeProcess.Result badPort = RuntimeProcess.run(logs, "--data", data.toString(), "--http-port", "eighty");
        assertEquals(2, badPort.exitStatus());
        assertOneLine("patchbay: --http-port needs a port number from 1 to 65535, not 'eighty'", badPort.err());

        RuntimeProcess.Result missing = RuntimeProcess.run(logs, "--data");
        assertEquals(2, missing.exitStatus());
        assertTrue(missing.err().startsWith("patchbay: option --data needs a value"), missing.err());

        RuntimeProcess.Result consoleOption = RuntimeProcess.run(logs, "console", "--data", data.toString(), "--bogus");
        assertEquals(2, consoleOption.exitStatus());
        assertOneLine("patchbay: unknown option '--bogus'; usage: patchbay console [--data DIR] [-c COMMAND]",
                consoleOption.err());

        assertFalse(Files.exists(data), "a refused command line creates nothing");
    }

    @Test
    void aDataFolderThatCannotBeWrittenIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-folder"), "operator notes\n");
        Map<String, String> before = FolderSnapshot.of(temp);

        RuntimeProcess.Result isFile = RuntimeProcess.run(logs, "--data", file.toString(), "--http-port",
                Integer.toString(FreePort.pick()), "--api-port", Integer.toString(FreePort.pick()));
        assertEquals(3, isFile.exitStatus());
        assertOneLine("patchbay: data folder " + file + " is not a directory", isFile.err());

        Path below = file.resolve("data");
        RuntimeProcess.Result cannotCreate = RuntimeProcess.run(logs, "--data", below.toString(), "--http-port",
                Integer.toString(FreePort.pick()), "--api-port", Integer.toString(FreePort.pick()));
        assertEquals(3, cannotCreate.exitStatus());
        assertOneLine("patchbay: cannot create data folder " + below + " (FileSystemException: " + below
                + ": Not a directory)", cannotCreate.err());

        FolderSnapshot.assertUnchanged(before, temp);
    }

    @Test
    void aConsoleWithNoRuntimeToAttachToSaysSo() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        RuntimeProcess.Result result = RuntimeProcess.run(logs, "console", "--data", data.toString(), "-c", "lb");
        assertEquals(3, result.exitStatus());
        assertOneLine("patchbay: no running Patchbay owns data folder " + data + " (no console socket at "
                + data.resolve("run/console.sock") + ")", result.err());
    }

    /**
     * Another OS user who tries to attach is told that file permissions refuse them, naming the file
     * and its owner: first the owner-only data folder hides the socket, then (with the folders
     * opened) the owner-only socket itself refuses the connection. Needs root, to run the console
     * as {@code nobody}.
     */
    @Test
    void anotherUserAttachingIsToldThePermissionsRefuseThem() throws Exception {
        needs("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "needs root and runuser to run the console as another user");
        // The folder above the data folder is open to all, as a home or /srv folder is.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = temp.resolve("data");
        Path socket = data.resolve("run/console.sock");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, FreePort.pick(), logs)) {
            RuntimeProcess.Result hidden = RuntimeProcess.runAs("nobody", logs, "console", "--data", data.toString(),
                    "-c", "lb");
            assertEquals(3, hidden.exitStatus(), hidden.err());
            assertOneLine("patchbay: not allowed to attach to " + socket + ": the permissions of " + data
                    + " (owner root, rwx------) refuse user nobody; only root, who runs Patchbay, may attach", hidden.err());

            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            RuntimeProcess.Result refused = RuntimeProcess.runAs("nobody", logs, "console", "--data", data.toString(),
                    "-c", "lb");
            assertEquals(3, refused.exitStatus(), refused.err());
            assertOneLine("patchbay: not allowed to attach to " + socket + ": the permissions of the socket (owner"
                    + " root, rw-------) refuse user nobody; only root, who runs Patchbay, may attach", refused.err());
            assertEquals(0, runtime.console(logs, "lb").exitStatus(), "the owner still attaches");
        }
    }

    private static long bundleId(RuntimeProcess runtime, String bsn) throws Exception {
        RuntimeProcess.Result lb = runtime.console(logs, "lb -s");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\|[^|]*\\|[^|]*\\|" + Pattern.quote(bsn) + " ").matcher(lb.out());
        assertTrue(m.find(), bsn + " in\n" + lb.out());
        return Long.parseLong(m.group(1));
    }

    private static void assertOneLine(String expected, String stderr) {
        assertEquals(expected + "\n", stderr, "one line on standard error");
    }
}
