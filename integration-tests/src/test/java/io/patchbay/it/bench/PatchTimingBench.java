package io.patchbay.it.bench;

import static org.junit.Assert.assertEquals;

import io.patchbay.it.InFrameworkTest;
import io.patchbay.it.PatchbayTestConfiguration;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Benchmark (profile {@code bench}, not part of the normal test run): how long each stage of a
 * patch takes for 1 and for 10 bundles, next to the plain Felix path (Bundle.update of each,
 * then FrameworkWiring.refreshBundles and wait) for the same bundles in the same run. Prints a
 * table; asserts only that every patch committed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PatchTimingBench extends InFrameworkTest {

    static final int ROUNDS = 5;

    @Inject
    PatchManager patches;

    @Configuration
    @Override
    public Option[] configuration() {
        try {
            Path folder = Files.createTempDirectory("bench-patches");
            BenchPatches.signedPackage(folder, "bench-install-1.0.0", 10, "1.0.0");
            for (int round = 1; round <= ROUNDS; round++) {
                String version = "1.0." + round;
                BenchPatches.signedPackage(folder, "bench-one-" + version, 1, version);
                BenchPatches.signedPackage(folder, "bench-ten-" + version, 10, version);
            }
            System.setProperty("patchbay.bench.patches", folder.toString());
            return PatchbayTestConfiguration.application();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void stageTimesForOneAndTenBundlesAgainstPlainFelix() throws Exception {
        Path folder = Path.of(System.getProperty("patchbay.bench.patches"));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-34s %8s %8s %8s %8s %8s %8s %8s", "run", "receive", "verify", "plan",
                "apply", "health", "commit", "total"));
        // The ten bench bundles come in through Patchbay too, so their jars are in its store.
        PatchOutcome install = patches.apply(folder.resolve("bench-install-1.0.0.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(install.reason(), PatchOutcome.Result.COMMITTED, install.result());
        // Round 1 warms the JIT; its line is printed but marked.
        for (int round = 1; round <= ROUNDS; round++) {
            String version = "1.0." + round;
            for (String kind : List.of("one", "ten")) {
                Map<Stage, Long> millis = new EnumMap<>(Stage.class);
                long start = System.nanoTime();
                PatchOutcome outcome = patches.apply(folder.resolve("bench-" + kind + "-" + version + ".dp"),
                        PatchOptions.DEFAULT, (stage, took, summary) -> millis.put(stage, took.toMillis()));
                long total = (System.nanoTime() - start) / 1_000_000;
                assertEquals(outcome.reason(), PatchOutcome.Result.COMMITTED, outcome.result());
                lines.add(String.format(Locale.ROOT, "%-34s %8d %8d %8d %8d %8d %8d %8d",
                        "patchbay " + kind + " bundle" + (kind.equals("one") ? "" : "s") + " r" + round
                                + (round == 1 ? " (warm-up)" : ""),
                        millis.get(Stage.RECEIVE), millis.get(Stage.VERIFY), millis.get(Stage.PLAN),
                        millis.get(Stage.APPLY), millis.get(Stage.HEALTH), millis.get(Stage.COMMIT), total));
            }
        }
        for (int round = 1; round <= ROUNDS; round++) {
            for (int count : List.of(1, 10)) {
                long start = System.nanoTime();
                plainUpdateAndRefresh(count, "2.0." + round);
                long total = (System.nanoTime() - start) / 1_000_000;
                lines.add(String.format(Locale.ROOT, "%-34s %8s %8s %8s %8d %8s %8s %8d",
                        "plain felix " + count + " r" + round + (round == 1 ? " (warm-up)" : ""), "-", "-", "-", total,
                        "-", "-", total));
            }
        }
        System.out.println("\nPatch timing, milliseconds (health includes the 1000 ms settle window):");
        lines.forEach(System.out::println);
    }

    /** Updates bench bundles 1..count to {@code version} the plain Felix way. */
    private void plainUpdateAndRefresh(int count, String version) throws Exception {
        Map<Bundle, byte[]> jars = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            jars.put(InFrameworkTest.installed(context, BenchPatches.symbolicName(i)), BenchPatches.bundle(i, version));
        }
        FelixSwap.updateAndRefresh(context, jars);
    }
}
