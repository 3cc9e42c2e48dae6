package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Writes under a temporary name and renames into place, as a careful writer does. */
    private static void drop(Path patch, Path patches) throws Exception {
        Path part = patches.resolve("incoming/" + patch.getFileName() + ".part");
        Files.copy(patch, part);
        Files.move(part, patches.resolve("incoming/" + patch.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

}
