package io.patchbay.it.bench;

import static org.junit.Assert.assertEquals;

import io.patchbay.it.InFrameworkTest;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.BundleContext;

/** Carries out one swap of a benchmark: by plain Felix, or by Patchbay with a given strategy. */
interface Swapper {

    /**
     * One swap: bring a bundle to another version. Felix uses {@code jar}; Patchbay applies
     * {@code patch}, or, where it is null, rolls back to the level before the latest apply.
     */
    record Step(String symbolicName, Path jar, Path patch) {
    }

    void swap(Step step) throws Exception;

    /** @return the scenario's name in the report */
    String name();

    /** @return the strategies the swaps were really carried out with, for the report */
    String strategiesUsed();

    /** @return whether Patchbay swaps, so that its own leak report applies */
    boolean byPatchbay();

    /** Bundle.update from the step's jar, then refresh and wait. */
    static Swapper felix(BundleContext context) {
        Map<Path, byte[]> jars = new HashMap<>();
        return new Swapper() {
            @Override
            public void swap(Step step) throws Exception {
                byte[] jar = jars.computeIfAbsent(step.jar(), Swapper::read);
                FelixSwap.updateAndRefresh(context, Map.of(InFrameworkTest.installed(context, step.symbolicName()), jar));
            }

            @Override
            public String name() {
                return "felix";
            }

            @Override
            public String strategiesUsed() {
                return "felix";
            }

            @Override
            public boolean byPatchbay() {
                return false;
            }
        };
    }

    /** PatchManager.apply or rollback with {@code strategy}; every swap must commit. */
    static Swapper patchbay(PatchManager patches, Strategy strategy) {
        PatchOptions options = new PatchOptions(false, false, "bench", strategy);
        Deque<Integer> levelsBefore = new ArrayDeque<>();
        Set<String> used = new TreeSet<>();
        return new Swapper() {
            @Override
            public void swap(Step step) throws Exception {
                PatchOutcome outcome;
                if (step.patch() != null) {
                    levelsBefore.push(patches.currentLevel().number());
                    outcome = patches.apply(step.patch(), options, ProgressListener.NONE);
                } else {
                    outcome = patches.rollback(levelsBefore.pop(), options, ProgressListener.NONE);
                }
                assertEquals(outcome.reason(), PatchOutcome.Result.COMMITTED, outcome.result());
                used.add(outcome.plan().strategy().toString());
            }

            @Override
            public String name() {
                return "patchbay-" + strategy;
            }

            @Override
            public String strategiesUsed() {
                return String.join("+", used);
            }

            @Override
            public boolean byPatchbay() {
                return true;
            }
        };
    }

    private static byte[] read(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
