package io.patchbay.engine.internal.plan;

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
 * @param toLocation   the location afterwards: the same for an update in place, another one when
 *                     the new version is installed beside the old ({@code handover})
 */
public record Change(String symbolicName, Kind kind, String location, String fromVersion, String fromHash, String toVersion,
        String toHash, String toLocation) {

    /** A change that keeps the bundle's location. */
    public Change(String symbolicName, Kind kind, String location, String fromVersion, String fromHash, String toVersion,
            String toHash) {
        this(symbolicName, kind, location, fromVersion, fromHash, toVersion, toHash, location);
    }

    /** @return this change with the new version installed at {@code newLocation} */
    Change at(String newLocation) {
        return new Change(symbolicName, kind, location, fromVersion, fromHash, toVersion, toHash, newLocation);
    }

    public enum Kind {
        INSTALL,
        UPDATE,
        UNINSTALL,
        UNCHANGED
    }

    /** @return the change that undoes this one */
    public Change inverse() {
        Kind undo = switch (kind) {
            case INSTALL -> Kind.UNINSTALL;
            case UNINSTALL -> Kind.INSTALL;
            default -> kind;
        };
        return new Change(symbolicName, undo, toLocation, toVersion, toHash, fromVersion, fromHash, location);
    }

    public static String encode(List<Change> changes) {
        StringBuilder out = new StringBuilder();
        for (Change c : changes) {
            out.append(out.length() == 0 ? "" : ",").append(String.join("@", c.symbolicName, c.kind.name(),
                    URLEncoder.encode(c.location, StandardCharsets.UTF_8), c.fromVersion, c.fromHash, c.toVersion, c.toHash,
                    URLEncoder.encode(c.toLocation, StandardCharsets.UTF_8)));
        }
        return out.toString();
    }

    public static List<Change> decode(String text) {
        List<Change> changes = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] p = item.split("@", -1);
            String location = URLDecoder.decode(p[2], StandardCharsets.UTF_8);
            changes.add(new Change(p[0], Kind.valueOf(p[1]), location, p[3], p[4], p[5], p[6],
                    p.length > 7 ? URLDecoder.decode(p[7], StandardCharsets.UTF_8) : location));
        }
        return changes;
    }

    /** @return what the changes did, one phrase per bundle changed, as the apply stage reports it */
    public static String summary(List<Change> changes) {
        List<String> parts = new ArrayList<>();
        for (Change c : changes) {
            switch (c.kind()) {
                case UPDATE -> parts.add(c.symbolicName() + " " + c.fromVersion() + " -> " + c.toVersion());
                case INSTALL -> parts.add(c.symbolicName() + " " + c.toVersion() + " installed");
                case UNINSTALL -> parts.add(c.symbolicName() + " " + c.fromVersion() + " uninstalled");
                case UNCHANGED -> { }
            }
        }
        return String.join(", ", parts);
    }
}
