package io.patchbay.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The one base configuration of every in-framework test: the platform bundles exactly as the
 * distribution ships them ({@code bundles/system/}), and the demo bundles as their modules built
 * them. Pax Exam fails the test when a bundle does not resolve or start.
 *
 * <p>Left out on purpose: the Gogo JLine shell, JLine and Patchbay's terminal console, which would
 * try to take the test JVM's terminal. The console bundle stays; without a socket property it
 * serves nothing.
 */
public final class PatchbayTestConfiguration {

    /** Framework property the tests read to reach the HTTP server. */
    public static final String HTTP_PORT = "org.osgi.service.http.port";

    public static final String API = "patchbay.bundle.api";
    public static final String SENSOR = "patchbay.bundle.sensor";
    public static final String POLICY = "patchbay.bundle.policy";
    public static final String CONTROL = "patchbay.bundle.control";
    public static final String WEB = "patchbay.bundle.web";
    /** The patched policy 1.0.1 built by patch-bundles/policy. */
    public static final String POLICY_FIX = "patchbay.patch.policy";

    private static final List<String> NOT_IN_FRAMEWORK_TESTS = List.of("org.apache.felix.gogo.jline", "jline-",
            "io.patchbay.terminal");

    private PatchbayTestConfiguration() {
    }

    /** Platform plus the whole demo application, HTTP on a free loopback port. */
    public static Option[] application() {
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(junitBundles());
        int httpPort = FreePort.pick();
        options.add(frameworkProperty(HTTP_PORT).value(Integer.toString(httpPort)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        // The management API's own server, on a free port too; its token goes to its bundle storage.
        options.add(frameworkProperty("patchbay.api.port").value(Integer.toString(FreePort.pickOtherThan(httpPort))));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        // The patch engine reads the trust store and the initial jars from the distribution, as
        // under the launcher; its journal goes to its bundle storage, fresh with every framework.
        options.add(frameworkProperty("patchbay.home").value(distribution().toString()));
        options.add(frameworkProperty("felix.startlevel.bundle").value("2"));
        for (Path jar : platformBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        for (String property : List.of(API, SENSOR, POLICY, CONTROL, WEB)) {
            options.add(bundle(builtJar(property).toUri().toString()));
        }
        return options.toArray(new Option[0]);
    }

    /** @return a patch the build produced in patch-bundles/target/patches */
    public static Path patch(String fileName) {
        String folder = System.getProperty("patchbay.patches");
        if (folder == null) {
            throw new IllegalStateException("system property patchbay.patches is not set: run the tests with mvn verify");
        }
        Path patch = Path.of(folder, fileName);
        if (!Files.isRegularFile(patch)) {
            throw new IllegalStateException(patch + " does not exist: build patch-bundles first");
        }
        return patch;
    }

    /** @return the jar a module of this build produced, named by a failsafe system property */
    public static Path builtJar(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests with mvn verify");
        }
        Path jar = Path.of(value);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(property + " names " + jar + ", which does not exist: build it first");
        }
        return jar;
    }

    public static Path distribution() {
        String value = System.getProperty("patchbay.distribution");
        if (value == null) {
            throw new IllegalStateException("system property patchbay.distribution is not set: run the tests with mvn verify");
        }
        Path home = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin/patchbay"))) {
            throw new IllegalStateException(home + " holds no built distribution: build runtime/distribution first");
        }
        return home;
    }

    /**
     * Platform bundles a benchmark leaves out to measure their share, named by file name prefix in
     * the system property {@code patchbay.bench.leaveOut} (comma-separated); none by default.
     */
    private static List<String> leftOut() {
        String names = System.getProperty("patchbay.bench.leaveOut", "");
        return names.isBlank() ? List.of() : List.of(names.split("\\s*,\\s*"));
    }

    private static List<Path> platformBundles() {
        List<String> leftOut = leftOut();
        try (Stream<Path> jars = Files.list(distribution().resolve("bundles/system"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> NOT_IN_FRAMEWORK_TESTS.stream().noneMatch(p.getFileName().toString()::startsWith))
                    .filter(p -> leftOut.stream().noneMatch(p.getFileName().toString()::startsWith))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
