package io.patchbay.management.internal;

import io.patchbay.patch.HistoryEntry;
import io.patchbay.patch.PatchBusyException;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchLevel;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.Stage;
import io.patchbay.patch.Strategy;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

/**
 * The JSON management API, served only by the management HTTP instance
 * ({@link ManagementServer}): a thin layer over {@link PatchManager} that answers what the
 * {@code patch:*} commands answer, with the same one-line errors.
 * <ul>
 * <li>Every request must carry {@code Authorization: Bearer <token>} with the token of
 *     {@code <data>/api.token} ({@link ApiToken}); otherwise 401, before anything else is looked at.</li>
 * <li>{@code GET /api/v1/status}, {@code GET /api/v1/bundles}, {@code GET /api/v1/patches}
 *     (levels and history), {@code POST /api/v1/patches?simulate=&allowDowngrade=&name=&strategy=} (the body
 *     is the patch file, at most {@code maxBodyBytes}: 413 beyond), {@code POST
 *     /api/v1/rollback?level=&dryRun=&strategy=} (default: the current level's previous one,
 *     {@link PatchLevel#previous()}).</li>
 * <li>400 for a malformed request, 422 when the engine refuses a patch or rolls it back (the runtime is
 *     as it was), 409 while another operation runs from any surface, 404 and 405 for unknown paths
 *     and methods. Errors are {@code {"error": "<one line>", "stage": ...}}.</li>
 * <li>The journal records the operator as {@code api:<token id>}.</li>
 * </ul>
 */
@Component(service = Servlet.class, configurationPid = ManagementServer.PID)
@HttpWhiteboardServletName("patchbay-management-api")
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardTarget(ManagementServer.TARGET)
public class ManagementApi extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
    static final String PREFIX = "/api/v1/";
    /** Framework property set by the launcher: the data folder. */
    static final String DATA_PROPERTY = "patchbay.data";
    /** Each path and the methods it answers. */
    private static final Map<String, String> ROUTES = Map.of(
            PREFIX + "status", "GET",
            PREFIX + "bundles", "GET",
            PREFIX + "patches", "GET, POST",
            PREFIX + "rollback", "POST");
    /** The query parameters each route takes; the others take none. */
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "POST patches", Set.of("simulate", "allowDowngrade", "name", "strategy"),
            "POST rollback", Set.of("level", "dryRun", "strategy"));

    private final transient PatchManager patches;
    private final transient BundleContext context;
    private final transient ApiToken token;
    private final transient Path uploads;
    private final long maxBodyBytes;

    @Activate
    public ManagementApi(@Reference PatchManager patches, BundleContext context, ManagementConfig config)
            throws IOException {
        this.patches = patches;
        this.context = context;
        Path data = dataFolder(context);
        this.token = ApiToken.loadOrCreate(data);
        this.uploads = data.resolve(PatchUpload.FOLDER);
        this.maxBodyBytes = config.maxBodyBytes() > 0 ? config.maxBodyBytes() : DEFAULT_MAX_BODY_BYTES;
        PatchUpload.clean(uploads);
    }

    /** The launcher's data folder; in a framework the launcher did not start (a test), this bundle's own storage. */
    static Path dataFolder(BundleContext context) throws IOException {
        String data = context.getProperty(DATA_PROPERTY);
        if (data != null && !data.isBlank()) {
            return Path.of(data);
        }
        java.io.File own = context.getDataFile("");
        if (own == null) {
            throw new IOException("no data folder: framework property " + DATA_PROPERTY + " is not set"
                    + " and the framework gives bundles no storage");
        }
        return own.toPath();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = 200;
        JsonWriter json;
        Map<String, String> headers = Map.of();
        try {
            json = handle(request);
        } catch (ApiError e) {
            status = e.status();
            headers = e.headers();
            json = new JsonWriter().beginObject().field("error", e.getMessage());
            if (e.stage() != null) {
                json.field("stage", e.stage().name());
            }
            json.endObject();
        } catch (Outcome e) {
            status = e.status;
            json = e.json;
        } catch (IOException | RuntimeException e) {
            // Not bad input (that is 4xx above): the server itself failed, e.g. a full disk for the upload.
            status = 500;
            json = new JsonWriter().beginObject().field("error", "internal error: " + e).endObject();
        }
        send(response, status, json, headers);
    }

    private JsonWriter handle(HttpServletRequest request) throws ApiError, Outcome, IOException {
        authenticate(request.getHeader("Authorization"));
        String path = path(request);
        String method = request.getMethod();
        String allowed = ROUTES.get(path);
        if (allowed == null) {
            throw new ApiError(404, "no such endpoint: " + Query.shortened(path) + "; see " + PREFIX + "status");
        }
        if (!List.of(allowed.split(", ")).contains(method)) {
            throw new ApiError(405, "method " + Query.shortened(method) + " is not allowed on " + path + "; use "
                    + allowed, null, Map.of("Allow", allowed));
        }
        String route = method + " " + path.substring(PREFIX.length());
        Query query = Query.parse(request.getQueryString(), PARAMETERS.getOrDefault(route, Set.of()));
        return switch (route) {
            case "GET status" -> status();
            case "GET bundles" -> bundles();
            case "GET patches" -> history();
            case "POST patches" -> patch(request, query);
            case "POST rollback" -> rollback(query);
            default -> throw new IllegalStateException("route without handler: " + route);
        };
    }

    private void authenticate(String header) throws ApiError {
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "missing bearer token: send 'Authorization: Bearer TOKEN' with the token in"
                    + " DATA/api.token", null, Map.of("WWW-Authenticate", "Bearer realm=\"patchbay\""));
        }
        String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (!token.matches(presented)) {
            throw new ApiError(401, "wrong bearer token", null,
                    Map.of("WWW-Authenticate", "Bearer realm=\"patchbay\", error=\"invalid_token\""));
        }
    }

    private JsonWriter status() {
        PatchLevel level = patches.currentLevel();
        List<HistoryEntry> history = patches.history();
        HistoryEntry last = history.isEmpty() ? null : history.get(history.size() - 1);
        JsonWriter json = new JsonWriter().beginObject();
        ApiJson.level(json, level);
        json.field("busy", patches.busy());
        json.name("lastOperation");
        if (last == null) {
            json.value((String) null);
        } else {
            ApiJson.history(json, last);
        }
        ApiJson.bundleVersions(json, level.bundles());
        ApiJson.installedPackages(json, patches.installedPackages());
        ApiJson.pinnedRevisions(json, patches.pinnedRevisions());
        json.field("uninstalledBundleCleaner", patches.uninstalledBundleCleaner());
        return json.endObject();
    }

    /** {@code ?strategy=}: as the console's {@code --strategy}, default {@code auto}. */
    private static Strategy strategy(Query query) throws ApiError {
        try {
            return Strategy.parse(query.text("strategy"));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private JsonWriter bundles() {
        PatchLevel level = patches.currentLevel();
        JsonWriter json = new JsonWriter().beginObject().field("level", level.number());
        json.name("bundles").beginArray();
        for (Bundle bundle : context.getBundles()) {
            BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
            ApiJson.bundle(json, bundle, startLevel == null ? 0 : startLevel.getStartLevel(),
                    bundle.getSymbolicName() != null && level.bundles().containsKey(bundle.getSymbolicName()));
        }
        return json.endArray().endObject();
    }

    private JsonWriter history() {
        JsonWriter json = new JsonWriter().beginObject().field("level", patches.currentLevel().number());
        json.name("levels").beginArray();
        for (PatchLevel level : patches.levels()) {
            ApiJson.level(json.beginObject(), level);
            json.endObject();
        }
        json.endArray().name("history").beginArray();
        patches.history().forEach(entry -> ApiJson.history(json, entry));
        return json.endArray().endObject();
    }

    private JsonWriter patch(HttpServletRequest request, Query query) throws ApiError, IOException, Outcome {
        boolean simulate = query.flag("simulate", false);
        PatchOptions options = new PatchOptions(false, query.flag("allowDowngrade", false), operator(), strategy(query));
        ApiJson.Stages stages = new ApiJson.Stages();
        try (PatchUpload upload = PatchUpload.spool(uploads, query.text("name"), request.getContentLengthLong(),
                request::getInputStream, maxBodyBytes)) {
            if (simulate) {
                PatchPlan plan = refusedAs422(() -> patches.simulate(upload.file(), options, stages), stages);
                JsonWriter json = new JsonWriter().beginObject().field("result", "SIMULATED")
                        .field("level", patches.currentLevel().number());
                ApiJson.plan(json, plan);
                stages.write(json);
                return json.endObject();
            }
            return outcome(refusedAs422(() -> patches.apply(upload.file(), options, stages), stages), stages);
        }
    }

    private JsonWriter rollback(Query query) throws ApiError, Outcome {
        Integer asked = query.level("level");
        PatchOptions options = new PatchOptions(query.flag("dryRun", false), false, operator(), strategy(query));
        ApiJson.Stages stages = new ApiJson.Stages();
        // Without a level: the previous one, as patch:rollback, so a second rollback goes on back.
        PatchOutcome outcome = refusedAs422(() -> asked == null ? patches.rollbackToPrevious(options, stages)
                : patches.rollback(asked, options, stages), stages);
        return outcome(outcome, stages);
    }

    /** 200 with the outcome; a rollback by the health gate is 422, with the outcome's own line as the error. */
    private static JsonWriter outcome(PatchOutcome outcome, ApiJson.Stages stages) throws Outcome {
        JsonWriter json = new JsonWriter().beginObject();
        boolean rolledBack = outcome.result() == PatchOutcome.Result.ROLLED_BACK;
        if (rolledBack) {
            json.field("error", outcome.message()).field("stage", Stage.ROLLBACK.name());
        }
        json.field("result", outcome.result().name()).field("level", outcome.level());
        if (outcome.restored() >= 0) {
            json.field("restoredLevel", outcome.restored());
        }
        json.field("reason", outcome.reason());
        ApiJson.plan(json, outcome.plan());
        stages.write(json);
        json.endObject();
        if (rolledBack) {
            throw new Outcome(422, json);
        }
        return json;
    }

    private interface EngineCall<T> {
        T call() throws PatchException;
    }

    /** Runs one engine operation: busy is 409, any other refusal 422, with the stages that completed. */
    private static <T> T refusedAs422(EngineCall<T> call, ApiJson.Stages stages) throws Outcome {
        try {
            return call.call();
        } catch (PatchBusyException e) {
            throw new Outcome(409, new JsonWriter().beginObject().field("error", e.getMessage())
                    .field("stage", e.stage().name()).field("result", "BUSY").endObject());
        } catch (PatchException e) {
            JsonWriter json = new JsonWriter().beginObject().field("error", e.getMessage())
                    .field("stage", e.stage().name()).field("result", "REFUSED");
            stages.write(json);
            throw new Outcome(422, json.endObject());
        }
    }

    private String operator() {
        return "api:" + token.id();
    }

    /** The path as sent (not decoded): routes are plain ASCII, anything encoded is simply unknown. */
    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static void send(HttpServletResponse response, int status, JsonWriter json, Map<String, String> headers)
            throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }

    /** A finished answer other than 200, with its JSON already written. */
    private static final class Outcome extends Exception {

        private static final long serialVersionUID = 1L;

        private final int status;
        private final transient JsonWriter json;

        Outcome(int status, JsonWriter json) {
            super(null, null, false, false);
            this.status = status;
            this.json = json;
        }
    }
}
