/**
 * Stage apply: the strategies that carry out a list of changes on the framework and undo
 * them ({@link io.patchbay.engine.internal.apply.Swapper}): {@code refresh} updates and refreshes the
 * touched bundles, {@code handover} starts the new version beside the old one and hands its state
 * over. Every call into a patch's own code is bounded by the activation timeout. Relies on the caller
 * holding the operation lock and having journalled the intent, on the store for the jars, and reports
 * each step so the journal shows how far it got.
 */
package io.patchbay.engine.internal.apply;
