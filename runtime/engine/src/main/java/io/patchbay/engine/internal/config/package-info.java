/**
 * Everything the engine is told from outside and the policies every stage shares: its
 * configuration (PID {@code io.patchbay.engine}) and the settings built from it, where its files
 * live in the data folder, which bundles patches may touch, where components warn, and the test-only
 * fault injection (active only when the runtime is started with a {@code patchbay.test.*} property).
 * Relies on the framework properties the launcher sets; depends on no other stage.
 */
package io.patchbay.engine.internal.config;
