package io.patchbay.it.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.patchbay.it.Await;
import io.patchbay.it.InFrameworkTest;
import io.patchbay.it.PatchbayTestConfiguration;
import io.patchbay.it.RuntimeState;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/**
 * A full disk, simulated by the engine's test hook for one kind of write: the patch is refused
 * with one line naming the cause, and the runtime and its level are exactly as before.
 */
public abstract class DiskFullTest extends InFrameworkTest {

    @Inject
    PatchManager patches;

    /** @return "journal" or "store" */
    abstract String failingWrite();

    @Configuration
    @Override
    public Option[] configuration() {
        List<Option> options = new ArrayList<>(Arrays.asList(super.configuration()));
        options.add(frameworkProperty("patchbay.test.failWrite").value(failingWrite()));
        return options.toArray(new Option[0]);
    }

    @Test
    public void aPatchIsRefusedAndNothingChanges() throws Exception {
        int port = port();
        Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=5"));
        Await.until("every demo component active", STARTUP, () -> RuntimeState.of(context, scr).components()
                .entrySet().stream().filter(e -> e.getKey().startsWith("io.patchbay.demo.")).allMatch(e -> e.getValue().equals("8")));
        RuntimeState before = RuntimeState.of(context, scr);
        try {
            patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT, ProgressListener.NONE);
            fail("expected the patch to be refused");
        } catch (PatchException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
            assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
        }
        assertEquals(0, patches.currentLevel().number());
        assertEquals(before, RuntimeState.of(context, scr));
        assertEquals("1.0.0", before.version("io.patchbay.demo.policy"));
    }
}
