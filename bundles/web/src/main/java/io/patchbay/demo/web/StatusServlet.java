package io.patchbay.demo.web;

import io.patchbay.demo.api.ControlLoop;
import io.patchbay.demo.api.ControlTotals;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

/**
 * {@code GET /status}: the control loop's running totals and the symbolic name, version and
 * state of every demo bundle, so an operator sees at a glance which versions are live.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/status")
@HttpWhiteboardTarget(StatusServlet.APPLICATION_SERVER)
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String DEMO_BUNDLE_PREFIX = "io.patchbay.demo.";
    /**
     * Every HTTP server but Patchbay's management one, which serves only its API: a servlet
     * without a target would be served on both.
     */
    static final String APPLICATION_SERVER = "(!(org.apache.felix.http.name=patchbay-management))";

    private final transient BundleContext context;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlLoop controlLoop;

    @Activate
    public StatusServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ControlLoop loop = controlLoop;
        String totals = loop == null ? "null" : totalsJson(loop.totals());
        String bundles = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(DEMO_BUNDLE_PREFIX))
                .sorted(Comparator.comparing(Bundle::getSymbolicName))
                .map(StatusServlet::bundleJson)
                .collect(Collectors.joining(",", "[", "]"));
        Json.send(response, 200, "{\"totals\":" + totals + ",\"bundles\":" + bundles + "}");
    }

    static String totalsJson(ControlTotals t) {
        return "{\"readings\":" + t.readings()
                + ",\"heaterOn\":" + t.heaterOn()
                + ",\"heaterOff\":" + t.heaterOff()
                + ",\"withoutPolicy\":" + t.withoutPolicy()
                + ",\"policyFailures\":" + t.policyFailures()
                + ",\"lastCelsius\":" + Json.number(t.lastCelsius())
                + ",\"lastDecision\":" + Json.string(t.lastDecision() == null ? null : t.lastDecision().name())
                + "}";
    }

    private static String bundleJson(Bundle bundle) {
        return "{\"symbolicName\":" + Json.string(bundle.getSymbolicName())
                + ",\"version\":" + Json.string(bundle.getVersion().toString())
                + ",\"state\":" + Json.string(stateName(bundle.getState()))
                + "}";
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN";
        };
    }
}
