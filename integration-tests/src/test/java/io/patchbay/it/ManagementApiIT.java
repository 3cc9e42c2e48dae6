package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.it.hostile.HostileCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTP management API of the built distribution, over loopback with a real HTTP client: the
 * token, every endpoint, the same patch from all three surfaces, refusals that leave the runtime
 * as it was (a snapshot of bundles, versions, states, start levels and the level before and
 * after), the size limit, and a race between two surfaces.
 */
class ManagementApiIT extends ProcessTest {

    static final String FIX = "policy-fix.dp";
    static final String FIX_SUBJECT = "io.patchbay.demo.policy-fix 1.0.0";
    /** The documented default of maxBodyBytes. */
    static final long MAX_BODY_BYTES = 64L << 20;

    @Test
    void everyRequestNeedsTheOwnerOnlyTokenWhichIsKeptAcrossRestartsAndTheApiIsOnLoopbackOnly() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String token;
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            Path tokenFile = data.resolve("api.token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    data.resolve("run/console.sock"))));
            token = Files.readString(tokenFile).strip();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe: " + token);

            for (String path : List.of("/api/v1/status", "/api/v1/bundles", "/api/v1/patches", "/api/v1/nothing")) {
                ApiClient.Response missing = api.withToken(null).get(path);
                assertEquals(401, missing.status(), path + ": " + missing);
                assertEquals("Bearer realm=\"patchbay\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
                assertTrue(missing.string("error").startsWith("missing bearer token"), missing.body());
                ApiClient.Response wrong = api.withToken(token.substring(1) + "A").get(path);
                assertEquals(401, wrong.status(), path + ": " + wrong);
                assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                assertEquals("wrong bearer token", wrong.string("error"));
            }
            assertEquals(401, api.withToken(null).post("/api/v1/patches", PatchbayTestConfiguration.patch(FIX)).status());
            assertEquals("OFF", heater(port), "an unauthenticated POST changes nothing");
            assertEquals(200, api.get("/api/v1/status").status());

            // Each server serves only its own: the API is not on the application port and the
            // application is not on the API port.
            assertEquals(404, Http.get(port, "/api/v1/status").status());
            assertEquals(404, api.get("/decide?celsius=-5").status());
            assertEquals(404, api.get("/status").status());

            List<String> listening = ListeningSockets.of(runtime.pid());
            assertTrue(listening.contains("127.0.0.1:" + runtime.apiPort()), listening.toString());
            assertTrue(listening.stream().allMatch(s -> s.startsWith("127.0.0.1:")), "loopback only: " + listening);
            assertEquals(0, runtime.terminate());
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertEquals(token, Files.readString(data.resolve("api.token")).strip(), "the token is kept");
            assertEquals(200, ApiClient.of(restarted).get("/api/v1/status").status());
        }
    }

    @Test
    void simulateApplyAndRollBackThroughTheApiAndReadStatusBundlesAndHistory() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            ApiClient.Response status = api.get("/api/v1/status");
            assertEquals(200, status.status(), status.body());
            assertEquals("application/json;charset=utf-8",
                    status.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
            assertEquals(0, status.number("level"));
            assertTrue(status.body().contains("\"busy\":false"), status.body());
            assertTrue(status.body().contains("{\"symbolicName\":\"io.patchbay.demo.policy\",\"version\":\"1.0.0\"}"),
                    status.body());
            assertTrue(status.body().contains("\"installedPackages\":[]"), status.body());

            String bundles = api.get("/api/v1/bundles").body();
            for (String bsn : DistributionIT.DEMO_BUNDLES) {
                assertTrue(Pattern.compile("\\{\"id\":\\d+,\"symbolicName\":\"" + Pattern.quote(bsn)
                        + "\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\",\"startLevel\":2,\"location\":\"[^\"]+\","
                        + "\"managed\":true}").matcher(bundles).find(), bsn + " in " + bundles);
            }
            assertTrue(bundles.contains("{\"id\":0,\"symbolicName\":\"org.apache.felix.framework\""), bundles);
            assertTrue(Pattern.compile("\"symbolicName\":\"io.patchbay.management\",[^}]*\"startLevel\":1,[^}]*"
                    + "\"managed\":false").matcher(bundles).find(), "the runtime's own bundles are not patchable: "
                    + bundles);

            String before = snapshot(api);
            ApiClient.Response simulated = api.post("/api/v1/patches?simulate=true", PatchbayTestConfiguration.patch(FIX));
            assertEquals(200, simulated.status(), simulated.body());
            assertEquals("SIMULATED", simulated.string("result"));
            assertTrue(simulated.body().contains("{\"kind\":\"UPDATE\",\"symbolicName\":\"io.patchbay.demo.policy\","
                    + "\"from\":\"1.0.0\",\"to\":\"1.0.1\"}"), simulated.body());
            assertEquals("handover", simulated.string("strategy"));
            assertStages(simulated, "RECEIVE", "VERIFY", "PLAN");
            assertEquals(before, snapshot(api), "a simulation changes nothing");
            assertEquals("OFF", heater(port));

            ApiClient.Response applied = api.post("/api/v1/patches?simulate=false", PatchbayTestConfiguration.patch(FIX));
            assertEquals(200, applied.status(), applied.body());
            assertEquals("COMMITTED", applied.string("result"));
            assertEquals(1, applied.number("level"));
            assertStages(applied, "RECEIVE", "VERIFY", "PLAN", "APPLY", "HEALTH", "COMMIT");
            Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
            ApiClient.Response patched = api.get("/api/v1/status");
            assertEquals(1, patched.number("level"));
            assertTrue(patched.body().contains("{\"symbolicName\":\"io.patchbay.demo.policy-fix\",\"version\":\"1.0.0\","
                    + "\"level\":1}"), "installed packages: " + patched.body());

            ApiClient.Response rolledBack = api.send("POST", "/api/v1/rollback");
            assertEquals(200, rolledBack.status(), rolledBack.body());
            assertEquals("COMMITTED", rolledBack.string("result"));
            assertEquals(2, rolledBack.number("level"));
            assertEquals(0, rolledBack.number("restoredLevel"), "the default is the level before the current one");
            Await.until("the bug to be back", TIMEOUT, () -> heater(port).equals("OFF"));

            ApiClient.Response history = api.get("/api/v1/patches");
            assertEquals(200, history.status());
            assertTrue(history.body().contains(entry("apply", FIX_SUBJECT, api.operator(), "committed", 1)), history.body());
            assertTrue(history.body().contains(entry("rollback", "level 0", api.operator(), "committed", 2)),
                    history.body());
            assertTrue(history.body().contains("{\"level\":2,\"description\":\"rollback to level 0\""), history.body());
            RuntimeProcess.Result console = runtime.console(logs, "patch:history");
            assertTrue(console.out().contains(api.operator()), "patch:history shows the API's operator: " + console.out());
        }
    }

    @Test
    void theSamePatchFromTheConsoleTheFolderAndTheApiGivesTheSameLevelAndHistory() throws Exception {
        List<String> statuses = new ArrayList<>();
        for (String surface : List.of("console", "folder", "api")) {
            Path data = temp.resolve(surface);
            int port = FreePort.pick();
            try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
                ApiClient api = ApiClient.of(runtime);
                String operator;
                switch (surface) {
                    case "console" -> {
                        RuntimeProcess.Result apply = runtime.console(logs, "patch:apply "
                                + PatchbayTestConfiguration.patch(FIX));
                        assertEquals(0, apply.exitStatus(), apply.out() + apply.err());
                        operator = "console:" + System.getProperty("user.name");
                    }
                    case "folder" -> {
                        Path incoming = data.resolve("patches/incoming");
                        Files.copy(PatchbayTestConfiguration.patch(FIX), incoming.resolve(FIX + ".part"));
                        Files.move(incoming.resolve(FIX + ".part"), incoming.resolve(FIX), StandardCopyOption.ATOMIC_MOVE);
                        Await.until("the folder to apply it", TIMEOUT,
                                () -> Files.exists(data.resolve("patches/applied/" + FIX)));
                        operator = "folder:" + FIX;
                    }
                    default -> {
                        assertEquals(200, api.post("/api/v1/patches", PatchbayTestConfiguration.patch(FIX)).status());
                        operator = api.operator();
                    }
                }
                Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
                ApiClient.Response status = api.get("/api/v1/status");
                assertEquals(1, status.number("level"), surface);
                assertEquals("apply " + FIX_SUBJECT, status.string("description"));
                ApiClient.Response history = api.get("/api/v1/patches");
                assertTrue(history.body().contains(entry("apply", FIX_SUBJECT, operator, "committed", 1)),
                        surface + ": " + history.body());
                RuntimeProcess.Result console = runtime.console(logs, "patch:history");
                assertTrue(console.out().contains(operator), surface + ": " + console.out());
                // Everything but the times, which differ from run to run.
                statuses.add(status.body().replaceAll("\"(committedAt|at)\":\"[^\"]*\"", "")
                        .replace(operator, "OPERATOR"));
            }
        }
        assertEquals(statuses.get(0), statuses.get(1), "console and folder");
        assertEquals(statuses.get(0), statuses.get(2), "console and API");
    }

    @Test
    void refusedPatchesAndBadRequestsAre4xxWithOneLineAndChangeNothing() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path corpus = Files.createDirectories(temp.resolve("hostile"));
        List<HostileCorpus.Case> cases = HostileCorpus.generate(corpus);
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            String before = snapshot(api);

            // The console's one line, word for word.
            ApiClient.Response unsigned = api.post("/api/v1/patches?name=policy-fix-unsigned.dp",
                    PatchbayTestConfiguration.patch("policy-fix-unsigned.dp"));
            assertEquals(422, unsigned.status(), unsigned.body());
            assertEquals("VERIFY", unsigned.string("stage"));
            RuntimeProcess.Result console = runtime.console(logs, "patch:apply "
                    + PatchbayTestConfiguration.patch("policy-fix-unsigned.dp"));
            assertEquals(console.err().strip(), "Error: " + unsigned.string("error"));

            List<String> wrong = new ArrayList<>();
            for (HostileCorpus.Case c : cases) {
                if (c.file().equals("oversized.dp")) {
                    // 413 has its own checks below, over a raw socket: a client that writes a body
                    // over the limit may see the connection closed under it before it reads the 413.
                    continue;
                }
                String name = c.file().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") ? "?name=" + c.file() : "";
                ApiClient.Response answer;
                try {
                    answer = api.post("/api/v1/patches" + name, corpus.resolve(c.file()));
                } catch (IOException e) {
                    throw new AssertionError(c.file() + ": no answer: " + e, e);
                }
                // The API's own check of the request comes first: no body.
                int status = c.file().equals("empty.dp") ? 400 : 422;
                if (answer.status() != status || answer.string("error").contains("\\n") || status == 422
                        && (!answer.string("stage").equals(c.stage().name()) || !answer.string("error").contains(c.expected()))) {
                    wrong.add(c.file() + ": expected " + status + " " + c.stage() + " '" + c.expected() + "', got " + answer);
                }
            }
            assertEquals(List.of(), wrong, "hostile patches answered wrongly");

            assertError(api.post("/api/v1/patches", "not a zip at all".getBytes(StandardCharsets.UTF_8)), 422, null);
            assertError(api.post("/api/v1/patches", new byte[0]), 400, "the request body is empty");
            assertError(api.post("/api/v1/patches?simulate=yes", PatchbayTestConfiguration.patch(FIX)), 400,
                    "query parameter 'simulate' must be true or false, not 'yes'");
            assertError(api.post("/api/v1/patches?simulat=true", PatchbayTestConfiguration.patch(FIX)), 400,
                    "unknown query parameter 'simulat'");
            assertError(api.post("/api/v1/patches?strategy=sideways", PatchbayTestConfiguration.patch(FIX)), 400,
                    "unknown strategy 'sideways'; use one of auto, refresh, handover");
            assertError(api.post("/api/v1/patches?name=../x.dp", PatchbayTestConfiguration.patch(FIX)), 400,
                    "query parameter 'name' must be a plain file name");
            assertError(api.send("POST", "/api/v1/rollback?level=x"), 400,
                    "query parameter 'level' must be a patch level (0 or more), not 'x'");
            assertError(api.send("POST", "/api/v1/rollback"), 422,
                    "the runtime is at level 0; there is nothing to roll back");
            assertError(api.send("POST", "/api/v1/rollback?level=7"), 422, "there is no level 7; levels are 0 to 0");
            assertError(api.get("/api/v1/nothing"), 404, "no such endpoint: /api/v1/nothing");
            assertError(api.get("/"), 404, "no such endpoint: /");
            ApiClient.Response method = api.send("DELETE", "/api/v1/patches");
            assertError(method, 405, "method DELETE is not allowed on /api/v1/patches; use GET, POST");
            assertEquals("GET, POST", method.headers().firstValue("Allow").orElse(""));
            assertError(api.send("PUT", "/api/v1/status"), 405, null);
            assertError(api.get("/api/v1/rollback"), 405, null);

            // 413: a declared length over the limit is refused before the body is asked for (so a
            // client that waits for 100 Continue sends none of it), and a body without a length
            // stops being read at the first byte past the limit.
            assertEquals(413, declaredOversizedPost(runtime.apiPort(), Files.readString(data.resolve("api.token")).strip(),
                    1L << 40));
            assertError(api.postStreamed("/api/v1/patches", MAX_BODY_BYTES + 1), 413,
                    "the request body is larger than the limit of " + MAX_BODY_BYTES + " bytes");

            assertEquals(before, snapshot(api), "bad input leaves the runtime as it was");
            assertEquals("OFF", heater(port));
            try (var left = Files.list(data.resolve("api-uploads"))) {
                assertEquals(0, left.count(), "no upload left behind");
            }
        }
    }

    /**
     * An apply from the console, held by the test hook at its last journal step, and two requests
     * from the API meanwhile: both 409. The held apply is then finished by recovery (the hook waits to
     * be killed; the level was recorded): exactly one level was added, and the API's attempts
     * are in the journal as refused.
     */
    @Test
    void anOperationWhileAnotherSurfaceRunsOneIs409AndOnlyOneLevelIsAdded() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String step = "level-recorded";
        Path consoleOut = logs.resolve("api-race-console-" + System.nanoTime() + ".out");
        String operator;
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.pauseAt=" + step))) {
            ApiClient api = ApiClient.of(runtime);
            operator = api.operator();
            Process console = runtime.consoleInBackground("patch:apply " + PatchbayTestConfiguration.patch(FIX), consoleOut);
            Await.until("the console's apply to pause at " + step, TIMEOUT,
                    () -> Files.readString(consoleOut).contains("PATCHBAY-TEST-PAUSED-AT " + step));
            assertTrue(api.get("/api/v1/status").body().contains("\"busy\":true"));

            ApiClient.Response apply = api.post("/api/v1/patches?name=" + FIX, PatchbayTestConfiguration.patch(FIX));
            assertError(apply, 409, "another patch operation is in progress; try again when it has finished");
            assertEquals("RECEIVE", apply.string("stage"));
            assertError(api.send("POST", "/api/v1/rollback?level=0"), 409, "another patch operation is in progress");
            assertError(api.post("/api/v1/patches?simulate=true", PatchbayTestConfiguration.patch(FIX)), 409, null);
            runtime.kill();
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "the console ends when the runtime dies");
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was committed at start"), restarted.out());
            ApiClient api = ApiClient.of(restarted);
            ApiClient.Response history = api.get("/api/v1/patches");
            assertEquals(1, history.number("level"));
            Matcher levels = Pattern.compile("\\{\"level\":\\d+,\"description\"").matcher(history.body());
            assertEquals(2, levels.results().count(), "level 0 and exactly one more: " + history.body());
            assertTrue(history.body().contains("\"operation\":\"apply\",\"subject\":\"" + FIX + "\",\"operator\":\""
                    + operator + "\",\"outcome\":\"refused\""), "the API's attempt is journalled: " + history.body());
            assertTrue(history.body().contains("\"operation\":\"rollback\",\"subject\":\"level 0\",\"operator\":\""
                    + operator + "\",\"outcome\":\"refused\""), history.body());
            Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
        }
    }

    /**
     * Status never waits on an operation: with an apply held inside its health stage (the test
     * hook pauses there until the runtime is killed), the API's status and patch:status both
     * answer, say busy, and the apply is still running when they have. The armed hook was
     * announced on stderr at start. Both also say that the uninstalled-bundle cleaner is active for
     * the framework and Felix Log the distribution ships.
     */
    @Test
    void statusAnswersWhileAPatchIsInItsHealthStage() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        Path consoleOut = logs.resolve("health-status-console-" + System.nanoTime() + ".out");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.pauseAt=health"))) {
            assertTrue(runtime.err().contains("patchbay: TEST FAULT ARMED: patchbay.test.pauseAt=health"),
                    runtime.err());
            ApiClient api = ApiClient.of(runtime);
            Process console = runtime.consoleInBackground("patch:apply " + PatchbayTestConfiguration.patch(FIX), consoleOut);
            Await.until("the apply to pause in its health stage", TIMEOUT,
                    () -> Files.readString(consoleOut).contains("PATCHBAY-TEST-PAUSED-AT health"));

            ApiClient.Response status = api.get("/api/v1/status");
            assertEquals(200, status.status(), status.body());
            assertTrue(status.body().contains("\"busy\":true"), status.body());
            String cleaner = "Uninstalled-bundle cleaner: active for org.apache.felix.framework ";
            assertTrue(status.body().contains("\"uninstalledBundleCleaner\":\"" + cleaner), status.body());
            RuntimeProcess.Result statusCommand = runtime.console(logs, "patch:status");
            assertTrue(statusCommand.out().contains("Busy: yes"), statusCommand.out() + statusCommand.err());
            assertTrue(statusCommand.out().contains(cleaner), statusCommand.out());
            assertTrue(statusCommand.out().contains(", active for org.apache.felix.log "), statusCommand.out());
            assertTrue(console.isAlive(), "the apply is still in its health stage");
            assertFalse(Files.readString(consoleOut).contains("Committed"), Files.readString(consoleOut));
            runtime.kill();
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "the console ends when the runtime dies");
        }
    }

    /** Bundles (id, name, version, state, start level, location, managed) and the level, as the API reports them. */
    private static String snapshot(ApiClient api) throws Exception {
        ApiClient.Response bundles = api.get("/api/v1/bundles");
        assertEquals(200, bundles.status(), bundles.body());
        return bundles.body();
    }

    private static String entry(String operation, String subject, String operator, String outcome, int level) {
        return "\"operation\":\"" + operation + "\",\"subject\":\"" + subject + "\",\"operator\":\"" + operator
                + "\",\"outcome\":\"" + outcome + "\",\"level\":" + level;
    }

    private static void assertStages(ApiClient.Response response, String... stages) {
        Matcher m = Pattern.compile("\\{\"stage\":\"([A-Z]+)\",\"millis\":\\d+,\"summary\":").matcher(response.body());
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of(stages), found, response.body());
    }

    private static void assertError(ApiClient.Response response, int status, String message) {
        assertEquals(status, response.status(), response.body());
        String error = response.string("error");
        assertFalse(error.contains("\n"), "one line: " + error);
        if (message != null) {
            assertTrue(error.startsWith(message), "'" + error + "' starts with '" + message + "'");
        }
    }

    /**
     * Declares a body of that many bytes, asks to be told to go on ({@code Expect: 100-continue}),
     * and sends none of it: only a check of the length before the body is asked for answers here.
     */
    private static int declaredOversizedPost(int apiPort, String token, long declared) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", apiPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/patches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            return Integer.parseInt(parts[1]);
        }
    }
}
