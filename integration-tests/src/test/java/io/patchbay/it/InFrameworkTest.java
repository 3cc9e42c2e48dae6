package io.patchbay.it;

import java.time.Duration;
import java.util.Arrays;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Base of the Pax Exam tests: the demo appliance in a real Felix ({@link PatchbayTestConfiguration}),
 * with the framework and SCR injected.
 */
public abstract class InFrameworkTest {

    protected static final Duration STARTUP = Duration.ofSeconds(20);

    @Inject
    protected BundleContext context;

    @Inject
    protected ServiceComponentRuntime scr;

    @Configuration
    public Option[] configuration() {
        return PatchbayTestConfiguration.application();
    }

    /** @return the port the framework's HTTP server listens on */
    protected int port() {
        return Integer.parseInt(context.getProperty(PatchbayTestConfiguration.HTTP_PORT));
    }

    /** @return the installed bundle with this symbolic name (tests keep one version of each at a time) */
    public static Bundle installed(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no bundle " + symbolicName + " is installed"));
    }

    /** @return the response when it is a 200, else null (to poll with {@link Await}) */
    protected static Http.Response okOrNull(int port, String path) throws InterruptedException {
        Http.Response response = Http.tryGet(port, path);
        return response != null && response.status() == 200 ? response : null;
    }
}
