package io.patchbay.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The demo appliance comes up in a real Felix: every bundle and component active, HTTP answering. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApplicationIT extends InFrameworkTest {

    private static final String ENGINE = "io.patchbay.engine";

    static final List<String> DEMO_BUNDLES = List.of("io.patchbay.demo.api", "io.patchbay.demo.control",
            "io.patchbay.demo.policy", "io.patchbay.demo.sensor", "io.patchbay.demo.web");

    @Test
    public void everyBundleIsActive() {
        String notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState())
                .collect(Collectors.joining(", "));
        assertEquals("bundles not active", "", notActive);
        for (String bsn : DEMO_BUNDLES) {
            assertTrue(bsn + " is installed", Arrays.stream(context.getBundles())
                    .anyMatch(b -> bsn.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE));
        }
    }

    /**
     * Application bundles take Patchbay's API from the API bundle, never from the engine, so a new
     * engine never refreshes the application; and the engine exports no package anyone could wire to.
     */
    @Test
    public void noApplicationBundleIsWiredToTheEngine() {
        List<String> toEngine = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() == null || !bundle.getSymbolicName().startsWith("io.patchbay.demo.")) {
                continue;
            }
            for (BundleWire wire : bundle.adapt(BundleWiring.class).getRequiredWires(null)) {
                if (ENGINE.equals(wire.getProvider().getSymbolicName())) {
                    toEngine.add(bundle.getSymbolicName() + " -> " + wire.getCapability());
                }
            }
        }
        assertEquals("application bundles wired to the engine", List.of(), toEngine);
        assertTrue("io.patchbay.demo.control imports Patchbay's API from io.patchbay.api",
                installed(context, "io.patchbay.demo.control").adapt(BundleWiring.class)
                        .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                        .anyMatch(w -> "io.patchbay.api".equals(w.getProvider().getSymbolicName())));
        assertEquals("packages the engine exports", List.of(), installed(context, ENGINE)
                .adapt(BundleWiring.class).getCapabilities(PackageNamespace.PACKAGE_NAMESPACE));
    }

    @Test
    public void everyDemoComponentIsActive() throws Exception {
        String components = Await.until("all demo components active", STARTUP, () -> {
            Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
            List<String> demo = descriptions.stream()
                    .filter(d -> d.bundle.symbolicName.startsWith("io.patchbay.demo."))
                    .map(d -> d.name)
                    .sorted()
                    .toList();
            boolean allActive = descriptions.stream()
                    .filter(d -> d.bundle.symbolicName.startsWith("io.patchbay.demo."))
                    .allMatch(d -> {
                        Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
                        return !configs.isEmpty()
                                && configs.stream().allMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE);
                    });
            return allActive ? String.join(",", demo) : null;
        });
        assertEquals("io.patchbay.demo.control.HeatingControlLoop,io.patchbay.demo.policy.ThresholdPolicy,"
                + "io.patchbay.demo.sensor.SimulatedSensor,io.patchbay.demo.web.DecideServlet,"
                + "io.patchbay.demo.web.StatusServlet", components);
    }

    @Test
    public void statusShowsTheTotalsAndEveryDemoBundle() throws Exception {
        int port = port();
        Http.Response first = Await.until("GET /status", STARTUP, () -> okOrNull(port, "/status"));
        for (String bsn : DEMO_BUNDLES) {
            assertTrue(first.body(), first.body().contains(
                    "{\"symbolicName\":\"" + bsn + "\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\"}"));
        }
        long readings = first.number("readings");
        // The control loop runs all the time: its totals keep growing.
        Await.until("the control loop to take more readings", STARTUP,
                () -> Http.get(port, "/status").number("readings") > readings);
    }

    @Test
    public void decideAnswersWithTheHeaterCommand() throws Exception {
        int port = port();
        Await.until("GET /decide", STARTUP, () -> okOrNull(port, "/decide?celsius=25"));
        assertEquals("{\"celsius\":25.0,\"heater\":\"OFF\"}\n", Http.get(port, "/decide?celsius=25").body());
        assertEquals("{\"celsius\":5.0,\"heater\":\"ON\"}\n", Http.get(port, "/decide?celsius=5").body());
        // Policy 1.0.0's known bug, fixed by the 1.0.1 patch (see LiveSwapIT).
        assertEquals("{\"celsius\":-5.0,\"heater\":\"OFF\"}\n", Http.get(port, "/decide?celsius=-5").body());
    }

    @Test
    public void badQueryInputIsA400WithAJsonError() throws Exception {
        int port = port();
        Await.until("GET /decide", STARTUP, () -> okOrNull(port, "/decide?celsius=1"));
        for (String query : List.of("/decide", "/decide?celsius=", "/decide?celsius=warm", "/decide?celsius=NaN",
                "/decide?celsius=Infinity", "/decide?celsius=1e999", "/decide?celsius=%00")) {
            Http.Response response = Http.get(port, query);
            assertEquals(query + " -> " + response.body(), 400, response.status());
            assertTrue(query + " -> " + response.body(), response.body().startsWith("{\"error\":\"query parameter 'celsius'"));
        }
    }

}
