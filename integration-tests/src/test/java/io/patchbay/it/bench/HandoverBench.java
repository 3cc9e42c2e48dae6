package io.patchbay.it.bench;

import static org.junit.Assert.assertNotNull;

import io.patchbay.demo.api.HeatingPolicy;
import io.patchbay.it.Await;
import io.patchbay.it.InFrameworkTest;
import io.patchbay.it.PatchbayTestConfiguration;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.Strategy;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Benchmark (profile {@code bench}): what callers see while a bundle is swapped under them, by
 * plain Felix ({@code Bundle.update} + {@code refreshBundles}, as Gogo and Karaf do it) and by
 * Patchbay with strategy {@code refresh} and {@code handover}, all in one framework and one run.
 *
 * <p>Service load: {@code patchbay.bench.threads} threads (default 8) call
 * {@code tracker.getService().decide(..)} on a {@link ServiceTracker} of {@link HeatingPolicy}
 * without pause, while the policy is swapped 1.0.0 to 1.0.1 and back, {@code patchbay.bench.swaps}
 * times (default 100) per scenario. HTTP load: {@code patchbay.bench.httpClients} clients
 * (default 4, keep-alive) send {@code GET /decide} over loopback while the web bundle and the
 * policy are swapped in turn. A baseline scenario runs each load without swaps. Between two swaps
 * the harness pauses {@code patchbay.bench.pauseMillis} (default 20 ms). For the definitions of
 * failed call and stall see {@link CallLoad}; for the leak count see {@link RetiredRevisions}.
 *
 * <p>Soak mode ({@code -Dpatchbay.bench.mode=soak}): {@code patchbay.bench.soakSwaps} handover
 * swaps (default 1,000) under the service load, with heap and metaspace after full GC at the
 * start and the end, pinned revisions, bundles pending removal and the growth of the engine's
 * journal.
 *
 * <p>The engine's settle window is set to {@code patchbay.bench.settleMillis} (default 100 ms)
 * through Configuration Admin, since its 1 s default would make up most of a Patchbay swap. Every
 * swap must commit; the figures are reported, not asserted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandoverBench extends InFrameworkTest {

    static final String POLICY = "io.patchbay.demo.policy";
    static final String WEB = "io.patchbay.demo.web";
    static final String ENGINE_PID = "io.patchbay.engine";
    /** Built by patch-bundles/web, set by the failsafe configuration. */
    static final String WEB_FIX = "patchbay.patch.web";
    /** Load before the first swap and after the last one, so that both ends of a stall are seen. */
    static final long LEAD_MILLIS = 300;

    private final boolean soak = "soak".equals(System.getProperty("patchbay.bench.mode", "swaps"));
    private final int threads = Integer.getInteger("patchbay.bench.threads", 8);
    private final int swaps = Integer.getInteger("patchbay.bench.swaps", 100);
    private final int soakSwaps = Integer.getInteger("patchbay.bench.soakSwaps", 1000);
    private final int httpClients = Integer.getInteger("patchbay.bench.httpClients", 4);
    private final long pauseMillis = Long.getLong("patchbay.bench.pauseMillis", 20);
    private final long settleMillis = Long.getLong("patchbay.bench.settleMillis", 100);
    /** The engine's handover overlap window; negative keeps the engine's default. */
    private final long overlapMillis = Long.getLong("patchbay.bench.overlapMillis", -1);
    private final int soakWarmUp = Integer.getInteger("patchbay.bench.soakWarmUp", 500);

    private PatchManager patches;
    private ServiceTracker<HeatingPolicy, HeatingPolicy> policy;

    /** One scenario's figures, and each swap's time for the soak's first-versus-last comparison. */
    private record Run(ScenarioResult result, List<Long> swapNanos) {
    }

    @Test
    public void swapsUnderLoad() throws Exception {
        patches = configuredEngine(settleMillis, overlapMillis);
        policy = new ServiceTracker<>(context, HeatingPolicy.class, null);
        policy.open();
        int port = port();
        Await.until("the policy service", STARTUP, policy::getService);
        Await.until("GET /decide", STARTUP, () -> okOrNull(port, "/decide?celsius=-5"));

        Swapper.Step policyFix = new Swapper.Step(POLICY,
                PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY_FIX),
                PatchbayTestConfiguration.patch("policy-fix.dp"));
        Swapper.Step policyBack = new Swapper.Step(POLICY,
                PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY), null);
        Swapper.Step webFix = new Swapper.Step(WEB, PatchbayTestConfiguration.builtJar(WEB_FIX),
                PatchbayTestConfiguration.patch("web-fix.dp"));
        Swapper.Step webBack = new Swapper.Step(WEB, PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.WEB),
                null);
        List<Swapper.Step> policySteps = List.of(policyFix, policyBack);
        List<Swapper.Step> httpSteps = List.of(webFix, webBack, policyFix, policyBack);

        BenchReport report = new BenchReport();
        report.parameter("mode", soak ? "soak" : "swaps");
        report.parameter("threads", threads);
        report.parameter(soak ? "soakSwaps" : "swaps", soak ? soakSwaps : swaps);
        report.parameter("httpClients", httpClients);
        report.parameter("pauseBetweenSwapsMillis", pauseMillis);
        report.parameter("engineSettleMillis", settleMillis);
        report.parameter("engineHandoverOverlapMillis", overlapMillis < 0 ? "default" : overlapMillis);
        if (soak) {
            report.parameter("soakWarmUpSwaps", soakWarmUp);
        }

        // Untimed, without load: the first swap of each path pays for class loading and the JIT.
        for (Swapper warmUp : List.of(Swapper.felix(context), Swapper.patchbay(patches, Strategy.REFRESH),
                Swapper.patchbay(patches, Strategy.HANDOVER))) {
            for (Swapper.Step step : httpSteps) {
                warmUp.swap(step);
            }
        }

        if (soak) {
            soak(report, policySteps);
        } else {
            Load service = new Load("service", this::serviceCall, threads, policySteps);
            Load http = new Load("http", i -> httpCall(port), httpClients, httpSteps);
            for (Load load : List.of(service, http)) {
                // The baseline runs last and as long as the longest swap scenario of its load: the
                // longer a run, the longer the longest scheduling gap a caller meets, swaps or not.
                long longestMillis = 0;
                for (Swapper swapper : List.of(Swapper.felix(context), Swapper.patchbay(patches, Strategy.REFRESH),
                        Swapper.patchbay(patches, Strategy.HANDOVER))) {
                    Run run = scenario(report, load, swapper, swaps, 0, done -> { });
                    longestMillis = Math.max(longestMillis, Math.round(run.result().seconds() * 1000));
                }
                scenario(report, load, null, 0, longestMillis - 2 * LEAD_MILLIS, done -> { });
            }
        }
        policy.close();
        System.out.println(report.table());
        report.writeJson(Path.of(System.getProperty("patchbay.bench.output", "target/bench"),
                soak ? "soak.json" : "results.json"));
    }

    private void soak(BenchReport report, List<Swapper.Step> policySteps) throws Exception {
        // The first handovers load the engine's handover classes, and for a few hundred swaps the
        // JIT keeps profiling more of the live code, whose profiles live in metaspace; measured
        // from before that, the soak would count a one-off cost as if every swap caused it. The
        // warm-up's own samples (negative swap counts) show it level off.
        MemoryAfterGc beforeWarmUp = MemoryAfterGc.measure();
        Swapper handover = Swapper.patchbay(patches, Strategy.HANDOVER);
        int every = Math.max(policySteps.size(), soakSwaps / 10 / policySteps.size() * policySteps.size());
        int warmUp = (soakWarmUp + policySteps.size() - 1) / policySteps.size() * policySteps.size();
        List<Map<String, Object>> samples = new ArrayList<>();
        samples.add(sample(-warmUp, beforeWarmUp));
        for (int i = 0; i < warmUp; i++) {
            handover.swap(policySteps.get(i % policySteps.size()));
            if ((i + 1) % every == 0 && i + 1 < warmUp) {
                samples.add(sample(i + 1 - warmUp, MemoryAfterGc.measure()));
            }
        }
        MemoryAfterGc start = MemoryAfterGc.measure();
        int levelsBefore = patches.levels().size();
        long journalBefore = journalBytes();
        samples.add(sample(0, start));
        Run run = scenario(report, new Load("service", this::serviceCall, threads, policySteps), handover, soakSwaps, 0,
                done -> {
                    if (done % every == 0) {
                        samples.add(sample(done, MemoryAfterGc.measure()));
                    }
                });
        MemoryAfterGc end = MemoryAfterGc.measure();
        int levelsAdded = patches.levels().size() - levelsBefore;
        long heapGrowth = end.heapUsed() - start.heapUsed();
        int window = Math.min(100, run.swapNanos().size() / 2);
        List<Long> nanos = run.swapNanos();
        report.soak("swaps", run.result().swaps());
        report.soak("strategy", run.result().strategy());
        report.soak("failedCalls", run.result().failed());
        report.soak("longestStallMillis", run.result().stallMillis());
        report.soak("longestOutageMillis", run.result().outageMillis());
        report.soak("warmUpSwaps", warmUp);
        report.soak("heapUsedBeforeWarmUpBytes", beforeWarmUp.heapUsed());
        report.soak("metaspaceUsedBeforeWarmUpBytes", beforeWarmUp.metaspaceUsed());
        report.soak("heapUsedStartBytes", start.heapUsed());
        report.soak("heapUsedEndBytes", end.heapUsed());
        report.soak("heapChangePercent", round(MemoryAfterGc.percentChange(start.heapUsed(), end.heapUsed())));
        report.soak("metaspaceUsedStartBytes", start.metaspaceUsed());
        report.soak("metaspaceUsedEndBytes", end.metaspaceUsed());
        report.soak("metaspaceChangePercent",
                round(MemoryAfterGc.percentChange(start.metaspaceUsed(), end.metaspaceUsed())));
        report.soak("patchLevelsAdded", levelsAdded);
        report.soak("heapGrowthPerLevelBytes", levelsAdded == 0 ? 0 : heapGrowth / levelsAdded);
        report.soak("journalBytesAdded", journalBefore < 0 ? -1 : journalBytes() - journalBefore);
        report.soak("retiredClassLoadersReachable", run.result().reachable());
        report.soak("pinnedRevisions", run.result().pinned());
        report.soak("removalPendingBundles",
                context.getBundle(0).adapt(FrameworkWiring.class).getRemovalPendingBundles().size());
        report.soak("memoryAfterGcBySwap", samples);
        report.soak("swapMedianFirst" + window + "Millis", ScenarioResult.medianAndP99(nanos.subList(0, window))[0]);
        report.soak("swapMedianLast" + window + "Millis",
                ScenarioResult.medianAndP99(nanos.subList(nanos.size() - window, nanos.size()))[0]);
    }

    /** What the soak does after each swap, given how many are done. */
    private interface AfterSwap {
        void after(int swapsDone) throws Exception;
    }

    private static Map<String, Object> sample(int swapsDone, MemoryAfterGc memory) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("swaps", swapsDone);
        sample.put("heapUsedBytes", memory.heapUsed());
        sample.put("metaspaceUsedBytes", memory.metaspaceUsed());
        // Metaspace can grow without a leak: the JIT's profile of live code is kept there too.
        // A constant class count and a JIT time that levels off with it tell the two apart.
        sample.put("loadedClasses", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        sample.put("jitCompileMillis", jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime() : -1);
        return sample;
    }

    /** A load on the policy: its name, one caller's calls by thread number, how many callers, the swaps to make. */
    private record Load(String name, IntFunction<CallLoad.Call> calls, int callers, List<Swapper.Step> steps) {
    }

    /**
     * Runs one load for one scenario: a lead-in, the swaps (or, for the baseline, the same load
     * for {@code baselineMillis} without any), a tail, then the leak counts and where the longest
     * stalls lay.
     */
    private Run scenario(BenchReport report, Load load, Swapper swapper, int requested, long baselineMillis,
            AfterSwap afterSwap) throws Exception {
        String name = swapper == null ? "baseline" : swapper.name();
        List<Swapper.Step> steps = load.steps();
        // Whole cycles only, so that every scenario ends at the versions it started from.
        int count = swapper == null ? 0 : (requested + steps.size() - 1) / steps.size() * steps.size();
        RetiredRevisions retired = new RetiredRevisions();
        // Each swap's start and end; its time is the difference.
        List<long[]> windows = new ArrayList<>();
        long start = System.nanoTime();
        CallLoad.Totals totals;
        try (GcPauses gc = new GcPauses(); ServiceEvents events = new ServiceEvents(context)) {
            CallLoad running = new CallLoad(load.name() + "-" + name, load.callers(), load.calls());
            try {
                Thread.sleep(LEAD_MILLIS);
                Thread.sleep(Math.max(0, baselineMillis));
                for (int i = 0; i < count; i++) {
                    Swapper.Step step = steps.get(i % steps.size());
                    retired.retiring(InFrameworkTest.installed(context, step.symbolicName()));
                    long before = System.nanoTime();
                    swapper.swap(step);
                    windows.add(new long[] {before, System.nanoTime()});
                    afterSwap.after(i + 1);
                    Thread.sleep(pauseMillis);
                }
                Thread.sleep(LEAD_MILLIS);
            } finally {
                totals = running.stop();
            }
            long end = System.nanoTime();
            List<Long> nanos = windows.stream().map(w -> w[1] - w[0]).toList();
            List<GcPauses.Pause> pauses = gc.between(start, end);
            StallAnalysis.Stall serviceStall = StallAnalysis.longestServiceStall(totals.gaps());
            for (StallAnalysis.Stall stall : StallAnalysis.longestStalls(totals.gaps(), 3)) {
                System.out.println("bench: " + load.name() + " " + name + " stall "
                        + StallAnalysis.placed(stall, windows, pauses, events));
            }
            System.out.println("bench: " + load.name() + " " + name + " service stall "
                    + StallAnalysis.placed(serviceStall, windows, pauses, events));
            double seconds = Math.round((end - start) / 1e7) / 100.0;
            boolean engine = swapper != null && swapper.byPatchbay();
            double[] times = ScenarioResult.medianAndP99(nanos);
            ScenarioResult result = new ScenarioResult(load.name(), name,
                    swapper == null ? "-" : swapper.strategiesUsed(), nanos.size(), totals.calls(), totals.failed(),
                    ScenarioResult.millis(totals.longestStallNanos()), ScenarioResult.millis(serviceStall.nanos()),
                    ScenarioResult.millis(totals.longestOutageNanos()), pauses.size(),
                    ScenarioResult.millis(pauses.stream().mapToLong(GcPauses.Pause::nanos).max().orElse(0)), times[0],
                    times[1], retired.reachable(), engine ? patches.pinnedRevisions().size() : -1, seconds);
            report.add(result);
            if (!failureCauses.isEmpty()) {
                // Why calls failed, so that a failure can be traced to its cause.
                System.out.println("bench: " + load.name() + " " + name + " failed calls by cause: " + failureCauses);
                failureCauses.clear();
            }
            return new Run(result, nanos);
        }
    }

    /** Failed calls and requests by cause, for the scenario running now. */
    private final Map<String, LongAdder> failureCauses = new ConcurrentHashMap<>();

    private void failed(String cause) {
        failureCauses.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }

    private CallLoad.Call serviceCall(int thread) {
        int[] n = {thread};
        return () -> {
            HeatingPolicy current = policy.getService();
            if (current == null) {
                failed(whyNoService());
                return false;
            }
            try {
                // Readings from -10 to 29 C, so both branches of the policy run.
                return current.decide(n[0]++ % 40 - 10) != null;
            } catch (RuntimeException | LinkageError e) {
                failed(e.getClass().getName() + ": " + e.getMessage());
                throw e;
            }
        };
    }

    /**
     * Tells apart a tracker that tracks no policy from one whose cached reference is to a service
     * already gone: {@code ServiceTracker} chooses and caches its reference without a lock, so a
     * caller descheduled in between can cache a reference that was removed meanwhile, and the tracker
     * answers null until its next service event.
     */
    private String whyNoService() {
        ServiceReference<HeatingPolicy> chosen = policy.getServiceReference();
        if (chosen == null) {
            return "no service tracked";
        }
        return chosen.getBundle() == null ? "tracker cached a reference to a service already gone"
                : "tracked service gave no object";
    }

    private CallLoad.Call httpCall(int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        List<HttpRequest> requests = new ArrayList<>();
        for (int celsius = -10; celsius < 30; celsius += 5) {
            requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/decide?celsius=" + celsius))
                    .timeout(Duration.ofSeconds(5)).GET().build());
        }
        int[] n = {0};
        return () -> {
            HttpResponse<String> response;
            try {
                response = client.send(requests.get(n[0]++ % requests.size()), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failed(e.getClass().getName() + ": " + e.getMessage());
                throw e;
            }
            if (response.statusCode() == 200 && response.body().contains("\"heater\"")) {
                return true;
            }
            // The first line of the body only: the cause is printed on one line of the report.
            String body = response.body().strip().lines().findFirst().orElse("");
            failed("HTTP " + response.statusCode() + " " + body.substring(0, Math.min(100, body.length())));
            return false;
        };
    }

    /**
     * Sets the engine's settle window (and its handover overlap, unless negative) and returns the
     * engine once it runs with them: Declarative Services recreates the component for the new
     * configuration, whose properties its service carries.
     */
    private PatchManager configuredEngine(long millis, long overlap) throws Exception {
        ServiceReference<ConfigurationAdmin> admin = context.getServiceReference(ConfigurationAdmin.class);
        assertNotNull("Configuration Admin runs in the test framework", admin);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("settle.millis", millis);
        if (overlap >= 0) {
            properties.put("handover.overlap.millis", overlap);
        }
        context.getService(admin).getConfiguration(ENGINE_PID, "?").update(properties);
        ServiceTracker<PatchManager, PatchManager> engine = new ServiceTracker<>(context, context.createFilter(
                "(&(" + Constants.OBJECTCLASS + "=" + PatchManager.class.getName() + ")(settle.millis=" + millis + "))"),
                null);
        engine.open();
        PatchManager configured = engine.waitForService(STARTUP.toMillis());
        assertNotNull("the patch engine with settle.millis=" + millis, configured);
        return configured;
    }

    /** @return the size of the engine's journal in the framework's bundle cache, or -1 where it is not found */
    private long journalBytes() throws Exception {
        String storage = context.getProperty(Constants.FRAMEWORK_STORAGE);
        Path journal = Path.of(storage == null ? "felix-cache" : storage,
                "bundle" + InFrameworkTest.installed(context, "io.patchbay.engine").getBundleId(), "data", "patchbay",
                "journal.log");
        return Files.isRegularFile(journal) ? Files.size(journal) : -1;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
