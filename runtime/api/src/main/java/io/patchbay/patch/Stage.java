package io.patchbay.patch;

/** The stages of the patch pipeline, in order, plus the rollback that may follow. */
public enum Stage {
    RECEIVE,
    VERIFY,
    PLAN,
    APPLY,
    HEALTH,
    COMMIT,
    ROLLBACK
}
