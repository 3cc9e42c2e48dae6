package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watched patch folder of the built distribution: a patch dropped into
 * {@code data/patches/incoming} goes through the same pipeline as one from the console, and
 * ends in {@code applied/} or in {@code failed/} with the console's one-line reason; across a
 * restart nothing is lost and nothing is applied twice.
 */
class PatchFolderIT extends ProcessTest {


    @Test
    void aDroppedPatchIsAppliedAndARefusedOneFailsWithTheConsolesReason() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Path patches = data.resolve("patches");
            drop(PatchbayTestConfiguration.patch("policy-fix.dp"), patches);
            Await.until("the patch to be applied", TIMEOUT,
                    () -> Files.exists(patches.resolve("applied/policy-fix.dp")));
            assertEquals("ON", heater(port));
            RuntimeProcess.Result history = runtime.console(logs, "patch:history");
            assertTrue(history.out().contains("folder:policy-fix.dp"), "who asked is the file: " + history.out());

            String before = runtime.console(logs, "lb -s").out();
            drop(PatchbayTestConfiguration.patch("policy-fix-unsigned.dp"), patches);
            Path reason = patches.resolve("failed/policy-fix-unsigned.dp.reason.txt");
            Await.until("the unsigned patch to fail", TIMEOUT, () -> Files.exists(reason));
            assertTrue(Files.exists(patches.resolve("failed/policy-fix-unsigned.dp")));
            RuntimeProcess.Result console = runtime.console(logs, "patch:verify "
                    + PatchbayTestConfiguration.patch("policy-fix-unsigned.dp"));
            assertEquals(console.err().strip(), "Error: " + Files.readString(reason).strip(),
                    "the same one line as the console");
            assertEquals(before, runtime.console(logs, "lb -s").out());
            assertFalse(Files.list(patches.resolve("incoming")).findAny().isPresent());
            assertFalse(Files.list(patches.resolve("processing")).findAny().isPresent());
        }
    }

    @Test
    void aPatchWaitingOrInProgressAcrossARestartIsNeitherLostNorAppliedTwice() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            RuntimeProcess.Result apply = runtime.console(logs, "patch:apply "
                    + PatchbayTestConfiguration.patch("appliance-1.0.0.dp"));
            assertEquals(0, apply.exitStatus(), apply.err());
            assertEquals(0, runtime.terminate());
        }
        Path patches = data.resolve("patches");
        // While the runtime is down: one patch already claimed (as if a crash came after the
        // claim, and after it was applied) and one waiting.
        Files.copy(PatchbayTestConfiguration.patch("appliance-1.0.0.dp"), patches.resolve("processing/appliance-1.0.0.dp"));
        Files.copy(PatchbayTestConfiguration.patch("appliance-1.0.1-fixpack.dp"),
                patches.resolve("incoming/appliance-1.0.1-fixpack.dp"));
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Await.until("both files to be settled", TIMEOUT,
                    () -> Files.exists(patches.resolve("applied/appliance-1.0.0.dp"))
                            && Files.exists(patches.resolve("applied/appliance-1.0.1-fixpack.dp")));
            RuntimeProcess.Result status = runtime.console(logs, "patch:status");
            assertTrue(status.out().startsWith("Patch level 2: apply io.patchbay.demo.appliance 1.0.1"),
                    "the already-applied patch was not applied again: " + status.out());
        }
    }

    /**
     * What is not a regular file is no patch: a symbolic link is not followed (here it leads out of
     * the folder to a patch that would apply), and it, a directory and a FIFO each move to
     * {@code failed/} with a one-line reason instead of staying in {@code incoming/}. A newline in a
     * file name is written escaped, so every reason stays one line.
     */
    @Test
    void linksDirectoriesAndSpecialFilesFailWithAReasonAndEveryReasonIsOneLine() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Path patches = data.resolve("patches");
            Path incoming = patches.resolve("incoming");
            Path outside = Files.copy(PatchbayTestConfiguration.patch("policy-fix.dp"), temp.resolve("policy-fix.dp"));
            Files.createSymbolicLink(incoming.resolve("linked.dp"), outside);
            Files.createDirectory(incoming.resolve("folder.dp"));
            Process mkfifo = new ProcessBuilder("mkfifo", incoming.resolve("pipe.dp").toString()).start();
            assertEquals(0, mkfifo.waitFor(), "mkfifo");
            String newline = "two\nlines.dp";
            Path part = incoming.resolve("newline.part");
            Files.writeString(part, "not an archive");
            Files.move(part, incoming.resolve(newline), StandardCopyOption.ATOMIC_MOVE);

            Path failed = patches.resolve("failed");
            List<String> names = List.of("linked.dp", "folder.dp", "pipe.dp", newline);
            Await.until("every entry to fail with a reason", TIMEOUT,
                    () -> names.stream().allMatch(n -> Files.exists(failed.resolve(n + ".reason.txt"))));
            assertEquals(List.of(), Files.list(incoming).toList(), "nothing is left in incoming/");
            assertTrue(Files.isSymbolicLink(failed.resolve("linked.dp")), "the link itself was moved");
            assertTrue(Files.isDirectory(failed.resolve("folder.dp"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(failed.resolve("pipe.dp"), LinkOption.NOFOLLOW_LINKS));
            assertEquals("linked.dp is a symbolic link, which the patch folder does not follow; only regular files"
                    + " are taken as patches\n", Files.readString(failed.resolve("linked.dp.reason.txt")));
            assertTrue(Files.readString(failed.resolve("folder.dp.reason.txt")).startsWith("folder.dp is a directory;"));
            assertTrue(Files.readString(failed.resolve("pipe.dp.reason.txt")).startsWith("pipe.dp is a special file"));
            String reason = Files.readString(failed.resolve(newline + ".reason.txt"));
            assertEquals(1, reason.lines().count(), reason);
            assertTrue(reason.contains("two\\nlines.dp"), "the newline is written escaped: " + reason);

            assertEquals("OFF", heater(port), "the patch behind the link was not applied");
            assertTrue(runtime.console(logs, "patch:status").out().startsWith("Patch level 0:"));
            assertTrue(Files.exists(outside), "what the link pointed to is untouched");
        }
    }

    /**
     * What cannot be moved out of {@code incoming/} (here {@code failed/} is a file, so a directory
     * has nowhere to go) is reported once in the runtime's log and then left alone, and the folder
     * goes on taking patches.
     */
    @Test
    void whatCannotBeMovedIsReportedOnceAndTheFolderGoesOn() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Path patches = data.resolve("patches");
            Files.delete(patches.resolve("failed"));
            Files.writeString(patches.resolve("failed"), "not a folder");
            Files.createDirectory(patches.resolve("incoming/a-folder.dp"));
            String report = "the patch folder cannot move " + patches.resolve("incoming/a-folder.dp") + " to failed/";
            Path log = data.resolve("log/patchbay.log");
            Await.until("the folder that cannot be moved to be reported", TIMEOUT,
                    () -> Files.exists(log) && Files.readString(log).contains(report));

            // Two looks at least pass before a patch is taken: the stuck folder is not reported again.
            drop(PatchbayTestConfiguration.patch("policy-fix.dp"), patches);
            Await.until("the patch to be applied", TIMEOUT, () -> Files.exists(patches.resolve("applied/policy-fix.dp")));
            assertEquals(1, Files.readString(log).lines().filter(line -> line.contains(report)).count(),
                    Files.readString(log));
            assertTrue(Files.isDirectory(patches.resolve("incoming/a-folder.dp")), "left where it is");
        }
    }

    /** Writes under a temporary name and renames into place, as a careful writer does. */
    private static void drop(Path patch, Path patches) throws Exception {
        Path part = patches.resolve("incoming/" + patch.getFileName() + ".part");
        Files.copy(patch, part);
        Files.move(part, patches.resolve("incoming/" + patch.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

}
