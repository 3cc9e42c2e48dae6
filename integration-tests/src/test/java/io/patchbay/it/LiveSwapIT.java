package io.patchbay.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * The first live swap, by hand, the way Gogo {@code update} + {@code refresh} do it: policy
 * 1.0.0 is updated in place to the 1.0.1 fix and only its dependency closure is refreshed. The
 * bug disappears from {@code /decide}, and the control loop keeps running with its totals.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveSwapIT extends InFrameworkTest {

    static final String POLICY = "io.patchbay.demo.policy";
    static final String CONTROL_LOOP = "io.patchbay.demo.control.HeatingControlLoop";

    @Test
    public void updatingThePolicyAndRefreshingItsClosureFixesTheBugWhileTheLoopRuns() throws Exception {
        int port = port();
        Http.Response before = Await.until("GET /decide", STARTUP,
                () -> okOrNull(port, "/decide?celsius=-5"));
        assertEquals("the 1.0.0 bug is there before the swap", "OFF", heater(before));
        long controlLoopId = Await.until("the control loop to be active", STARTUP, this::controlLoopId);
        long readingsBefore = Await.until("the control loop to count", STARTUP,
                () -> {
                    long n = Http.get(port, "/status").number("readings");
                    return n > 0 ? n : null;
                });

        Bundle policy = Arrays.stream(context.getBundles()).filter(b -> POLICY.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        try (InputStream fix = Files.newInputStream(PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY_FIX))) {
            policy.update(fix);
        }
        Collection<Bundle> closure = wiring.getDependencyClosure(List.of(policy));
        assertEquals("nothing imports from the policy, so the closure is the policy alone", List.of(policy),
                List.copyOf(closure));
        BlockingQueue<FrameworkEvent> refreshed = new ArrayBlockingQueue<>(1);
        wiring.refreshBundles(closure, refreshed::offer);
        FrameworkEvent event = refreshed.poll(30, TimeUnit.SECONDS);
        assertTrue("refresh finished", event != null);
        assertEquals(FrameworkEvent.PACKAGES_REFRESHED, event.getType());

        assertEquals(new Version(1, 0, 1), policy.getVersion());
        assertEquals(Bundle.ACTIVE, policy.getState());
        Http.Response after = Await.until("/decide to answer ON below freezing", STARTUP, () -> {
            Http.Response r = okOrNull(port, "/decide?celsius=-5");
            return r != null && "ON".equals(heater(r)) ? r : null;
        });
        assertEquals("{\"celsius\":-5.0,\"heater\":\"ON\"}\n", after.body());

        // The control loop was neither restarted nor reset: same component instance, totals carried on.
        assertEquals(controlLoopId, (long) controlLoopId());
        long readingsAfter = Await.until("the control loop to keep counting", STARTUP, () -> {
            long n = Http.get(port, "/status").number("readings");
            return n > readingsBefore ? n : null;
        });
        assertTrue(readingsAfter > readingsBefore);
        assertTrue(Http.get(port, "/status").body().contains(
                "{\"symbolicName\":\"" + POLICY + "\",\"version\":\"1.0.1\",\"state\":\"ACTIVE\"}"));
    }

    /** @return the id of the control loop's active configuration, or null while there is none */
    private Long controlLoopId() {
        return scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.equals(CONTROL_LOOP))
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .filter(c -> c.state == ComponentConfigurationDTO.ACTIVE)
                .map(c -> c.id)
                .findFirst().orElse(null);
    }

    private static String heater(Http.Response response) {
        return response.body().contains("\"heater\":\"ON\"") ? "ON"
                : response.body().contains("\"heater\":\"OFF\"") ? "OFF" : response.body();
    }
}
