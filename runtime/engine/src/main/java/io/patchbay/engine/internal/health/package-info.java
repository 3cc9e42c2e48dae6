/**
 * Stage health: decides after an apply whether the runtime is at least as healthy as before
 * (bundles and components active again, the target level's bundles present, every registered
 * {@code HealthCheck} passing), by comparing {@link io.patchbay.engine.internal.health.Snapshot}s of
 * the framework taken before and after. Relies on Service Component Runtime for component states;
 * changes nothing, its verdict makes the caller commit or undo.
 */
package io.patchbay.engine.internal.health;
