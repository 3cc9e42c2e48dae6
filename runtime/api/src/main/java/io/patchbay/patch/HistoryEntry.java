package io.patchbay.patch;

import java.time.Instant;

/**
 * One operation as the journal recorded it.
 *
 * @param at        when it started
 * @param operation apply, rollback or recovery
 * @param subject   the patch ("name version") or the target level
 * @param operator  who asked
 * @param outcome   committed, rolled back, refused, recovered, or in progress
 * @param level     the level it produced or kept
 * @param reason    the one-line reason for anything but a commit
 */
public record HistoryEntry(Instant at, String operation, String subject, String operator, String outcome, int level,
        String reason) {
}
