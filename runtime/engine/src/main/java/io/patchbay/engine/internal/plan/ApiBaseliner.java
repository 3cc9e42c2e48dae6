package io.patchbay.engine.internal.plan;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.service.diff.Diff;
import java.io.ByteArrayInputStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * Compares the exported API of a bundle's new jar with the installed one, with bnd's baselining:
 * the same check bnd runs at build time, here run on the jars actually being swapped.
 */
final class ApiBaseliner {

    private static final Set<Delta> API_CHANGES = EnumSet.of(Delta.MAJOR, Delta.MINOR, Delta.ADDED, Delta.REMOVED,
            Delta.CHANGED);

    /** @return null when no exported package changes its API, else the first change, described */
    String apiChange(byte[] installed, byte[] patched) throws Exception {
        try (Processor processor = new Processor();
                Jar older = new Jar("installed", new ByteArrayInputStream(installed));
                Jar newer = new Jar("patched", new ByteArrayInputStream(patched))) {
            Baseline baseline = new Baseline(processor, new DiffPluginImpl());
            for (Baseline.Info info : baseline.baseline(newer, older, null)) {
                Delta delta = info.packageDiff.getDelta();
                if (API_CHANGES.contains(delta)) {
                    Diff leaf = firstChange(info.packageDiff);
                    return "package " + info.packageName + " changes (" + delta.name().toLowerCase()
                            + (leaf == null ? "" : ": " + leaf.getType().name().toLowerCase() + " " + leaf.getName()
                                    + " " + leaf.getDelta().name().toLowerCase())
                            + "); bnd suggests version " + info.suggestedVersion;
                }
            }
            return null;
        }
    }

    private static Diff firstChange(Diff diff) {
        for (Diff child : diff.getChildren()) {
            if (API_CHANGES.contains(child.getDelta())) {
                Diff deeper = firstChange(child);
                return deeper == null ? child : deeper;
            }
        }
        return null;
    }
}
