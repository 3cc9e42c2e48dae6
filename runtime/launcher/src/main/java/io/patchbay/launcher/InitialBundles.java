package io.patchbay.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The bundle set a runtime is first provisioned with (patch level 0), read from the
 * distribution's {@code bundles/} folder:
 * <ul>
 * <li>{@code bundles/system/}: the platform (SCR, Gogo, HTTP, Patchbay's own bundles), start level 1;</li>
 * <li>{@code bundles/app/}: the application, start level 2, so the platform can act before
 *     any application bundle starts.</li>
 * </ul>
 * Each bundle is installed from a stream under the location {@code patchbay:initial/<BSN>}, so
 * the framework keeps its own copy and the distribution folder may later move or be replaced.
 * Installing is idempotent: a first boot that died half-way installs the rest on the next boot.
 */
final class InitialBundles {

    static final int SYSTEM_START_LEVEL = 1;
    static final int APPLICATION_START_LEVEL = 2;
    static final String LOCATION_PREFIX = "patchbay:initial/";

    private final Path bundlesFolder;

    InitialBundles(Path home) {
        this.bundlesFolder = home.resolve("bundles");
    }

    /** @return the number of bundles installed now (0 when all were there already) */
    int installMissing(BundleContext context) throws LaunchException {
        Set<String> installed = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            installed.add(bundle.getLocation());
        }
        List<Bundle> toStart = new ArrayList<>();
        int count = 0;
        count += install(context, bundlesFolder.resolve("system"), SYSTEM_START_LEVEL, installed, toStart);
        count += install(context, bundlesFolder.resolve("app"), APPLICATION_START_LEVEL, installed, toStart);
        // A first boot that died half-way installed some bundles without starting them: every
        // initial bundle is marked started here, not only the ones installed now.
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getLocation().startsWith(LOCATION_PREFIX) && !toStart.contains(bundle)
                    && bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                toStart.add(bundle);
            }
        }
        for (Bundle bundle : toStart) {
            try {
                // Persistent start: the framework starts it when its start level is reached,
                // now and on every later boot.
                bundle.start();
            } catch (BundleException e) {
                throw new LaunchException(LaunchException.FAILED,
                        "cannot start initial bundle " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
        return count;
    }

    private int install(BundleContext context, Path folder, int startLevel, Set<String> installed,
            List<Bundle> toStart) throws LaunchException {
        if (!Files.isDirectory(folder)) {
            throw new LaunchException(LaunchException.FAILED,
                    "distribution is incomplete: " + folder + " is missing");
        }
        int count = 0;
        for (Path jar : jars(folder)) {
            Manifest manifest = manifest(jar);
            String bsn = symbolicName(manifest, jar);
            String location = LOCATION_PREFIX + bsn;
            if (installed.contains(location)) {
                continue;
            }
            Bundle bundle;
            try (InputStream in = Files.newInputStream(jar)) {
                bundle = context.installBundle(location, in);
            } catch (IOException | BundleException e) {
                throw new LaunchException(LaunchException.FAILED,
                        "cannot install initial bundle " + jar.getFileName() + ": " + e.getMessage(), e);
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
            if (manifest.getMainAttributes().getValue(Constants.FRAGMENT_HOST) == null) {
                toStart.add(bundle);
            }
            count++;
        }
        return count;
    }

    private static List<Path> jars(Path folder) throws LaunchException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException(LaunchException.FAILED, "cannot list " + folder + ": " + e.getMessage(), e);
        }
        jars.sort(null);
        return jars;
    }

    private static Manifest manifest(Path jar) throws LaunchException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest != null) {
                return manifest;
            }
        } catch (IOException e) {
            throw new LaunchException(LaunchException.FAILED, "cannot read " + jar + ": " + e.getMessage(), e);
        }
        throw new LaunchException(LaunchException.FAILED, jar + " has no manifest, so it is not a bundle");
    }

    private static String symbolicName(Manifest manifest, Path jar) throws LaunchException {
        String header = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (header == null || header.isBlank()) {
            throw new LaunchException(LaunchException.FAILED, jar + " has no Bundle-SymbolicName, so it is not a bundle");
        }
        int directives = header.indexOf(';');
        return (directives < 0 ? header : header.substring(0, directives)).trim();
    }
}
