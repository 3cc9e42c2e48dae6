package io.patchbay.engine.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One bundle's part in an operation: what is installed now and what it becomes. The journal
 * keeps the list of changes in an operation's intent, so that recovery after a crash knows
 * exactly which bundles to restore.
 *
 * @param symbolicName the bundle
 * @param kind         install, update, uninstall, or unchanged
 * @param location     the bundle's location (the one it has, or gets)
 * @param fromVersion  installed version ("" when installed by this change)
 * @param fromHash     digest of the installed jar in the store ("" when unknown or none)
 * @param toVersion    version afterwards ("" when uninstalled)
 * @param toHash       digest of the jar afterwards ("" when uninstalled)
 */
record Change(String symbolicName, Kind kind, String location, String fromVersion, String fromHash, String toVersion,
        String toHash) {

    enum Kind {
        INSTALL,
        UPDATE,
        UNINSTALL,
        UNCHANGED
    }

    /** @return the change that undoes this one */
    Change inverse() {
        Kind undo = switch (kind) {
            case INSTALL -> Kind.UNINSTALL;
            case UNINSTALL -> Kind.INSTALL;
            default -> kind;
        };
        return new Change(symbolicName, undo, location, toVersion, toHash, fromVersion, fromHash);
    }

    static String encode(List<Change> changes) {
        StringBuilder out = new StringBuilder();
        for (Change c : changes) {
            out.append(out.length() == 0 ? "" : ",").append(String.join("@", c.symbolicName, c.kind.name(),
                    URLEncoder.encode(c.location, StandardCharsets.UTF_8), c.fromVersion, c.fromHash, c.toVersion, c.toHash));
        }
        return out.toString();
    }

    static List<Change> decode(String text) {
        List<Change> changes = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] p = item.split("@", -1);
            changes.add(new Change(p[0], Kind.valueOf(p[1]), URLDecoder.decode(p[2], StandardCharsets.UTF_8), p[3], p[4], p[5], p[6]));
        }
        return changes;
    }
}
