package io.patchbay.patch;

import java.util.List;
import org.osgi.framework.Version;

/**
 * An old revision of a bundle that a swap retired but that is still in memory: its class loader
 * is still reachable, or the framework still keeps it because a bundle is wired to it. Each
 * one is a leak that grows with every swap.
 *
 * @param symbolicName the bundle
 * @param version      the retired revision's version
 * @param retiredBy    the operation that replaced it ("apply ... at level N")
 * @param heldBy       what holds it, as far as Patchbay can tell, one line each
 */
public record PinnedRevision(String symbolicName, Version version, String retiredBy, List<String> heldBy) {

    public PinnedRevision {
        heldBy = List.copyOf(heldBy);
    }
}
