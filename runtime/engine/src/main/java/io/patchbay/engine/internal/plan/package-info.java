/**
 * Stage plan: what a list of changes would do to the running framework, worked out without
 * changing it: API baselining of updated bundles, a resolve of the would-be state with the OSGi
 * resolver, the refresh closure, and the services, components and consumers affected. Also holds
 * {@link io.patchbay.engine.internal.plan.Change}, the one bundle's change every later stage and the
 * journal work with. Relies on the jars being in the store and on the framework's current wiring.
 */
package io.patchbay.engine.internal.plan;
