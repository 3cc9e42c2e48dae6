package io.patchbay.engine.internal.leaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Fails the build when the distribution ships a Felix framework or Felix Log that
 * {@link UninstalledBundleCleaner} was not checked against: it reads the jars the distribution
 * copied and compares their Bundle-Version with the ranges the cleaner declares. A unit test of
 * this module (it runs after the distribution is assembled), in the cleaner's package to read them.
 */
class CleanerCheckedVersionsTest {

    static final Path DISTRIBUTION = Path.of(System.getProperty("patchbay.distribution",
            "../runtime/distribution/target/patchbay"));

    @Test
    void theDistributionShipsAFrameworkTheCleanerWasCheckedAgainst() throws IOException {
        assertShippedWithin(UninstalledBundleCleaner.FRAMEWORK, UninstalledBundleCleaner.FRAMEWORK_VERSIONS);
    }

    @Test
    void theDistributionShipsAFelixLogTheCleanerWasCheckedAgainst() throws IOException {
        assertShippedWithin(UninstalledBundleCleaner.FELIX_LOG, UninstalledBundleCleaner.FELIX_LOG_VERSIONS);
    }

    private static void assertShippedWithin(String symbolicName, VersionRange checked) throws IOException {
        List<Version> shipped = shippedVersions(symbolicName);
        assertEquals(1, shipped.size(), "the distribution in " + DISTRIBUTION + " ships " + symbolicName
                + " once: " + shipped);
        assertTrue(checked.includes(shipped.get(0)), "the distribution ships " + symbolicName + " " + shipped.get(0)
                + ", outside " + checked + ", the versions UninstalledBundleCleaner was checked against: check the"
                + " cleaner against it and widen the range there");
    }

    /** @return the Bundle-Version of every jar under the distribution with that symbolic name */
    static List<Version> shippedVersions(String symbolicName) throws IOException {
        assertTrue(Files.isDirectory(DISTRIBUTION), "no distribution at " + DISTRIBUTION + ": build it first");
        try (Stream<Path> files = Files.walk(DISTRIBUTION)) {
            return files.filter(p -> p.toString().endsWith(".jar")).map(CleanerCheckedVersionsTest::mainAttributes)
                    .filter(a -> a != null && symbolicName.equals(bareName(a.getValue("Bundle-SymbolicName"))))
                    .map(a -> Version.parseVersion(a.getValue("Bundle-Version"))).toList();
        }
    }

    private static Attributes mainAttributes(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            return file.getManifest() == null ? null : file.getManifest().getMainAttributes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    private static String bareName(String symbolicName) {
        return symbolicName == null ? null : symbolicName.split(";")[0].trim();
    }
}
