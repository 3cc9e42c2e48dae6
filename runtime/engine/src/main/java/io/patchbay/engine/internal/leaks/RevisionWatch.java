package io.patchbay.engine.internal.leaks;

import io.patchbay.patch.PinnedRevision;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleRevisions;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Leak detection: remembers, through weak references only, the class loader of every revision a
 * swap retires, and when asked to check (after every swap) tells which of them are still in
 * memory after a garbage collection and what seems to hold them. A retired revision whose class loader stays reachable
 * keeps all its classes (metaspace) and everything they reference; repeated swaps then grow the
 * heap until the box has to be restarted, which is what Patchbay is there to avoid.
 *
 * <p>What holds a revision is found where Patchbay can see it: bundles still wired to it (the
 * framework keeps it "pending removal"), threads it started that still run or that have its class
 * loader as their context class loader, and otherwise the bundles that used its services before
 * it was retired, named as suspects.
 *
 * <p>Only {@link #check()} asks for collections, and it holds no lock that {@link #retiring} or
 * {@link #lastFound()} needs while it does: reading the result of the last check never collects
 * and never waits, and a swap never waits for a check.
 */
public final class RevisionWatch {

    /** Retired revisions remembered at most; the oldest are forgotten first. */
    static final int MAX_WATCHED = 1_000;
    /** Garbage collections asked for before a revision counts as pinned. */
    static final int COLLECTIONS = 8;

    private record Retired(WeakReference<ClassLoader> loader, long bundleId, String symbolicName, Version version,
            String retiredBy, List<String> usersBefore) {
    }

    private final BundleContext context;
    /** Guarded by itself, held only for a moment. */
    private final List<Retired> watched = new ArrayList<>();
    /** One check at a time; never taken by anything else. */
    private final Object checking = new Object();
    private volatile List<PinnedRevision> lastFound = List.of();

    public RevisionWatch(BundleContext context) {
        this.context = context;
    }

    /** Call before the bundle's current revision is replaced or removed. */
    public void retiring(Bundle bundle, String retiredBy) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader == null) {
            return; // never resolved, or a fragment: no class loader of its own to leak
        }
        Set<String> users = new TreeSet<>();
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        if (registered != null) {
            for (ServiceReference<?> reference : registered) {
                Bundle[] using = reference.getUsingBundles();
                if (using != null) {
                    for (Bundle user : using) {
                        if (user.getBundleId() != bundle.getBundleId()) {
                            users.add(user.getSymbolicName());
                        }
                    }
                }
            }
        }
        Retired retired = new Retired(new WeakReference<>(loader), bundle.getBundleId(), bundle.getSymbolicName(),
                bundle.getVersion(), retiredBy, List.copyOf(users));
        synchronized (watched) {
            forgetCollected(); // without asking for a collection: keeps the list as short as the heap allows
            watched.add(retired);
            while (watched.size() > MAX_WATCHED) {
                watched.remove(0);
            }
        }
    }

    /**
     * Asks for garbage collections until every retired class loader is gone, or gives up (up to a
     * second), then records and returns the revisions still in memory.
     */
    public List<PinnedRevision> check() {
        synchronized (checking) {
            for (int i = 0; i < COLLECTIONS && forgetCollected() > 0; i++) {
                System.gc();
                try {
                    Thread.sleep(20L * (i + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            forgetCollected();
            List<Retired> remaining;
            synchronized (watched) {
                remaining = List.copyOf(watched);
            }
            List<PinnedRevision> pinned = new ArrayList<>();
            for (Retired retired : remaining) {
                List<String> heldBy = heldBy(retired);
                pinned.add(new PinnedRevision(retired.symbolicName(), retired.version(), retired.retiredBy(), heldBy));
            }
            lastFound = List.copyOf(pinned);
            return lastFound;
        }
    }

    /** @return what the last {@link #check()} found; at once, without collecting */
    public List<PinnedRevision> lastFound() {
        return lastFound;
    }

    /** @return how many are still watched */
    private int forgetCollected() {
        synchronized (watched) {
            watched.removeIf(r -> r.loader().get() == null);
            return watched.size();
        }
    }

    private List<String> heldBy(Retired retired) {
        Set<String> holders = new LinkedHashSet<>();
        FrameworkWiring frameworkWiring = context.getBundle(0).adapt(FrameworkWiring.class);
        for (Bundle pending : frameworkWiring.getRemovalPendingBundles()) {
            if (pending.getBundleId() != retired.bundleId()) {
                continue;
            }
            BundleRevisions revisions = pending.adapt(BundleRevisions.class);
            for (BundleRevision revision : revisions == null ? List.<BundleRevision>of() : revisions.getRevisions()) {
                BundleWiring wiring = revision.getWiring();
                if (wiring == null || wiring.isCurrent()) {
                    continue;
                }
                for (BundleWire wire : wiring.getProvidedWires(null)) {
                    Bundle requirer = wire.getRequirer().getBundle();
                    if (requirer.getBundleId() != retired.bundleId()) {
                        holders.add("bundle " + requirer.getSymbolicName() + " " + requirer.getVersion()
                                + " is still wired to it (" + wire.getCapability().getNamespace()
                                + "); the framework keeps it until that bundle is refreshed");
                    }
                }
            }
            holders.add("the framework keeps it pending removal");
        }
        ClassLoader loader = retired.loader().get();
        if (loader != null) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getClass().getClassLoader() == loader) {
                    holders.add("thread '" + thread.getName() + "', an instance of its class " + thread.getClass().getName()
                            + ", is still running");
                } else if (thread.getContextClassLoader() == loader) {
                    holders.add("thread '" + thread.getName() + "' still has its class loader as context class loader");
                }
            }
        }
        loader = null; // not held past this point
        if (holders.isEmpty()) {
            holders.add(retired.usersBefore().isEmpty()
                    ? "not found: something outside the bundles (a static cache, a JDK registry) holds it"
                    : "not found for certain; bundles that used its services: " + String.join(", ", retired.usersBefore()));
        }
        return List.copyOf(holders);
    }
}
