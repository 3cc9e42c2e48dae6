package io.patchbay.management.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs the management API's own HTTP server: a second Felix HTTP (Jetty) instance, asked for
 * through a factory configuration of PID {@code org.apache.felix.http} named
 * {@value #INSTANCE}, on the configured host (loopback by default) and port. Only servlets that
 * target that name are served there ({@link ManagementApi}); the application's servlets target
 * the other instance. The instance is created or updated when this component activates and
 * removed when it deactivates, so the port is open exactly while the API is there.
 */
@Component(immediate = true, configurationPid = ManagementServer.PID)
@Designate(ocd = ManagementConfig.class)
public class ManagementServer {

    static final String PID = "io.patchbay.management";
    /** The Felix HTTP instance name; servlets select it with {@link #TARGET}. */
    static final String INSTANCE = "patchbay-management";
    static final String TARGET = "(org.apache.felix.http.name=" + INSTANCE + ")";
    static final String HTTP_FACTORY_PID = "org.apache.felix.http";
    /** Framework property set by the launcher's {@code --api-port}. */
    static final String PORT_PROPERTY = "patchbay.api.port";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8081;

    private final Configuration instance;

    @Activate
    public ManagementServer(@Reference ConfigurationAdmin admin, BundleContext context, ManagementConfig config)
            throws IOException {
        // Location "?": bound to no bundle, so Felix HTTP (not this bundle) receives it.
        this.instance = admin.getFactoryConfiguration(HTTP_FACTORY_PID, INSTANCE, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        // Every setting explicit: Felix HTTP falls back to framework properties for anything left
        // out, and those describe the application's server.
        properties.put("org.apache.felix.http.name", INSTANCE);
        properties.put("org.apache.felix.http.host", config.host());
        properties.put("org.osgi.service.http.port", port(config, context));
        properties.put("org.apache.felix.http.enable", true);
        properties.put("org.apache.felix.https.enable", false);
        properties.put("org.apache.felix.http.jetty.sendServerHeader", false);
        instance.updateIfDifferent(properties);
    }

    @Deactivate
    void stop() {
        try {
            instance.delete();
        } catch (IOException | IllegalStateException e) {
            // Configuration Admin is stopping too; the next activation updates what it kept.
        }
    }

    static int port(ManagementConfig config, BundleContext context) {
        if (config.port() > 0) {
            return config.port();
        }
        String launcher = context.getProperty(PORT_PROPERTY);
        if (launcher != null && !launcher.isBlank()) {
            try {
                return Integer.parseInt(launcher.trim());
            } catch (NumberFormatException e) {
                // the launcher checks its option; a hand-set bad property falls back to the default
            }
        }
        return DEFAULT_PORT;
    }
}
