package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runtime's log file, {@code DATA/log/patchbay.log}: an entry written before a restart is
 * still there after it, {@code patch:log} shows the entries, and the file rotates at its size bound
 * keeping the configured number of files. The entries are the watched folder's warnings about
 * folders in {@code incoming/} it cannot move ({@code failed/} is made a file), one per folder.
 */
class LogFileIT extends ProcessTest {

    @Test
    void anEntryWrittenBeforeARestartIsStillInTheLogAfterItAndPatchLogShowsIt() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path log = data.resolve("log/patchbay.log");
        String warning;
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            warning = stuckFolders(data, "before-restart").get(0);
            Await.until("the warning in the log file", TIMEOUT, () -> logged(log).contains(warning));
            assertEquals(0, runtime.terminate());
        }
        long before = Files.size(log);
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            Await.until("the restarted runtime to add to the log", TIMEOUT, () -> Files.size(log) > before);
            assertTrue(logged(log).contains(warning), "kept across the restart: " + logged(log));

            RuntimeProcess.Result all = restarted.console(logs, "patch:log -n 100000");
            assertEquals(0, all.exitStatus(), all.out() + all.err());
            assertTrue(all.out().lines().anyMatch(line -> line.contains(warning) && line.contains(" WARN ")),
                    all.out());
            RuntimeProcess.Result lastTwo = restarted.console(logs, "patch:log -n 2");
            List<String> shown = lastTwo.out().strip().lines().toList();
            assertEquals(2, shown.size(), lastTwo.out());
            List<String> file = logged(log).lines().toList();
            assertTrue(file.containsAll(shown), "the shown lines are the file's: " + shown);
            assertTrue(file.indexOf(shown.get(0)) > file.indexOf(file.stream().filter(l -> l.contains(warning))
                    .findFirst().orElseThrow()), "the last lines, after the earlier warning");
        }
    }

    @Test
    void theLogRotatesAtItsSizeBoundAndKeepsTheConfiguredNumberOfFiles() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path log = data.resolve("log/patchbay.log");
        int maxBytes = 2048;
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.log.maxBytes=" + maxBytes + " -Dpatchbay.log.files=3"))) {
            List<String> warnings = stuckFolders(data, "rotation");
            Path first = log.resolveSibling("patchbay.log.1");
            Path second = log.resolveSibling("patchbay.log.2");
            // 30 warnings of some 200 bytes each are more than three files of 2 KB hold.
            Await.until("the log to rotate twice", TIMEOUT, () -> Files.exists(second)
                    && warnings.stream().anyMatch(w -> logged(log).contains(w)));
            assertTrue(Files.exists(first) && Files.exists(second), "rotated twice at least");
            assertFalse(Files.exists(log.resolveSibling("patchbay.log.3")), "at most 3 files are kept");
            for (Path file : List.of(log, first, second)) {
                assertTrue(Files.size(file) <= maxBytes, file + " is " + Files.size(file) + " bytes");
            }
        }
    }

    /**
     * Makes {@code failed/} a file and puts 30 folders in {@code incoming/}: the watched folder
     * warns once about each.
     *
     * @return the warnings, one per folder
     */
    private static List<String> stuckFolders(Path data, String prefix) throws Exception {
        Path patches = data.resolve("patches");
        Await.until("the watched folder", TIMEOUT, () -> Files.isDirectory(patches.resolve("failed")));
        Files.delete(patches.resolve("failed"));
        Files.writeString(patches.resolve("failed"), "not a folder");
        List<String> warnings = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Path folder = Files.createDirectory(patches.resolve("incoming/" + prefix + "-" + i + ".dp"));
            warnings.add("the patch folder cannot move " + folder + " to failed/");
        }
        return warnings;
    }

    private static String logged(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
