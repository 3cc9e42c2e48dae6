package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Status reads with a leaked revision in memory (policy 1.0.9 applied and rolled back), on the
 * built distribution with the JVM's GC log on: they report the leak found by the check after the
 * last swap and never ask the JVM for a collection themselves, however many run at once; the
 * swaps are where the collections happen.
 */
class LeakStatusIT extends ProcessTest {

    static final String LEAKED = "{\"symbolicName\":\"io.patchbay.demo.policy\",\"version\":\"1.0.9\"";
    static final int READERS = 20;

    @Test
    void statusReadsReportTheLastLeakCheckAndNeverCollect() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path gcLog = logs.resolve("leak-status-gc-" + System.nanoTime() + ".log");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Xlog:gc:file=" + gcLog))) {
            ApiClient api = ApiClient.of(runtime);
            ApiClient.Response leaky = api.post("/api/v1/patches?name=policy-leaky.dp",
                    PatchbayTestConfiguration.patch("policy-leaky.dp"));
            assertEquals("COMMITTED", leaky.string("result"), leaky.body());
            ApiClient.Response back = api.send("POST", "/api/v1/rollback?level=0");
            assertEquals("COMMITTED", back.string("result"), back.body());
            long afterSwaps = explicitCollections(gcLog);

            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            try {
                List<Future<ApiClient.Response>> reads = new ArrayList<>();
                for (int i = 0; i < READERS; i++) {
                    reads.add(pool.submit(() -> api.get("/api/v1/status")));
                }
                RuntimeProcess.Result console = runtime.console(logs, "patch:status");
                assertTrue(console.out().contains("io.patchbay.demo.policy 1.0.9, retired by rollback to level 0"),
                        console.out());
                for (Future<ApiClient.Response> read : reads) {
                    ApiClient.Response status = read.get(60, TimeUnit.SECONDS);
                    assertEquals(200, status.status(), status.body());
                    assertTrue(status.body().contains(LEAKED), status.body());
                    assertTrue(status.body().contains("thread 'patchbay-demo-leaky-worker'"), status.body());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(afterSwaps, explicitCollections(gcLog), "status reads asked for garbage collections");
            assertTrue(afterSwaps > 0, "the check after a swap collects");

            ApiClient.Response fix = api.post("/api/v1/patches?name=policy-fix.dp",
                    PatchbayTestConfiguration.patch("policy-fix.dp"));
            assertEquals("COMMITTED", fix.string("result"), fix.body());
            assertTrue(explicitCollections(gcLog) > afterSwaps, "the swap checked again");
            assertTrue(api.get("/api/v1/status").body().contains(LEAKED), "still leaked");
        }
    }

    /** Collections the JVM logged as asked for by {@code System.gc()}. */
    private static long explicitCollections(Path gcLog) throws Exception {
        return Files.readAllLines(gcLog).stream().filter(line -> line.contains("(System.gc())")).count();
    }
}
