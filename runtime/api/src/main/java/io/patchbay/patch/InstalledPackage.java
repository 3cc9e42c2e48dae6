package io.patchbay.patch;

import org.osgi.framework.Version;

/**
 * A deployment package installed at the current level.
 *
 * @param symbolicName the package's symbolic name
 * @param version      its version
 * @param level        the level that installed it
 */
public record InstalledPackage(String symbolicName, Version version, int level) {
}
