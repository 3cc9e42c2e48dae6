/**
 * Leak detection and prevention: watches, through weak references, the class loaders of
 * revisions a swap retires and reports those still reachable after the check each swap runs, and
 * makes the framework and log service forget uninstalled bundles for the versions they were checked
 * against. Relies on the framework's wiring API and, for the cleaner, on the internals of the Felix
 * framework and log versions it names.
 */
package io.patchbay.engine.internal.leaks;
