package io.patchbay.management.internal;

import io.patchbay.patch.HistoryEntry;
import io.patchbay.patch.InstalledPackage;
import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchLevel;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.PinnedRevision;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** How the patch engine's records look in the API's JSON: one method per record, field names as in the Java API. */
final class ApiJson {

    private ApiJson() {
    }

    /** One stage as it completed, in the order the pipeline ran them. */
    record StageTiming(Stage stage, Duration took, String summary) {
    }

    /** Collects the stages of one operation as they complete. */
    static final class Stages implements ProgressListener {

        private final List<StageTiming> done = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void stageCompleted(Stage stage, Duration took, String summary) {
            done.add(new StageTiming(stage, took, summary));
        }

        void write(JsonWriter json) {
            json.name("stages").beginArray();
            synchronized (done) {
                for (StageTiming timing : done) {
                    json.beginObject().field("stage", timing.stage().name()).field("millis", timing.took().toMillis())
                            .field("summary", timing.summary()).endObject();
                }
            }
            json.endArray();
        }
    }

    static void level(JsonWriter json, PatchLevel level) {
        json.field("level", level.number()).field("description", level.description())
                .field("committedAt", level.committedAt().toString()).field("previous", level.previous());
    }

    static void bundleVersions(JsonWriter json, Map<String, String> bundles) {
        json.name("bundles").beginArray();
        bundles.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> json.beginObject()
                .field("symbolicName", e.getKey()).field("version", e.getValue()).endObject());
        json.endArray();
    }

    static void installedPackages(JsonWriter json, List<InstalledPackage> packages) {
        json.name("installedPackages").beginArray();
        for (InstalledPackage p : packages) {
            json.beginObject().field("symbolicName", p.symbolicName()).field("version", p.version().toString())
                    .field("level", p.level()).endObject();
        }
        json.endArray();
    }

    /** Retired revisions still in memory (leaks), with what holds them, as {@code patch:status} shows. */
    static void pinnedRevisions(JsonWriter json, List<PinnedRevision> pinned) {
        json.name("pinnedRevisions").beginArray();
        for (PinnedRevision revision : pinned) {
            json.beginObject().field("symbolicName", revision.symbolicName())
                    .field("version", revision.version().toString()).field("retiredBy", revision.retiredBy());
            json.name("heldBy").beginArray();
            revision.heldBy().forEach(line -> json.value(line));
            json.endArray().endObject();
        }
        json.endArray();
    }

    static void history(JsonWriter json, HistoryEntry entry) {
        json.beginObject()
                .field("at", entry.at().toString())
                .field("operation", entry.operation())
                .field("subject", entry.subject())
                .field("operator", entry.operator())
                .field("outcome", entry.outcome())
                .field("level", entry.level())
                .field("reason", entry.reason())
                .endObject();
    }

    static void bundle(JsonWriter json, Bundle bundle, int startLevel, boolean managed) {
        json.beginObject()
                .field("id", bundle.getBundleId())
                .field("symbolicName", bundle.getSymbolicName())
                .field("version", bundle.getVersion().toString())
                .field("state", state(bundle.getState()))
                .field("startLevel", startLevel)
                .field("location", bundle.getLocation())
                .field("managed", managed)
                .endObject();
    }

    static void plan(JsonWriter json, PatchPlan plan) {
        json.name("plan").beginObject();
        if (plan.patch() != null) {
            descriptor(json, plan.patch());
        }
        json.field("strategy", plan.strategy().toString()).field("reason", plan.reason());
        json.name("changes").beginArray();
        for (PatchPlan.BundleChange change : plan.changes()) {
            json.beginObject().field("kind", change.kind().name()).field("symbolicName", change.symbolicName())
                    .field("from", text(change.from())).field("to", text(change.to())).endObject();
        }
        json.endArray()
                .field("closure", plan.closure())
                .field("restarted", plan.restarted())
                .field("services", plan.services())
                .field("components", plan.components())
                .field("consumers", plan.consumers())
                .field("notes", plan.notes())
                .endObject();
    }

    private static void descriptor(JsonWriter json, PatchDescriptor d) {
        json.name("patch").beginObject()
                .field("symbolicName", d.symbolicName())
                .field("version", d.version().toString())
                .field("fixPackRange", d.fixPackRange() == null ? null : d.fixPackRange().toString())
                .field("description", d.description())
                .field("sha256", d.sha256())
                .field("signers", d.signers());
        json.name("bundles").beginArray();
        for (PatchDescriptor.PatchBundle b : d.bundles()) {
            json.beginObject().field("symbolicName", b.symbolicName()).field("version", b.version().toString())
                    .field("missing", b.missing()).field("sha256", b.sha256()).endObject();
        }
        json.endArray().endObject();
    }

    private static String text(Version version) {
        return version == null ? null : version.toString();
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN";
        };
    }
}
