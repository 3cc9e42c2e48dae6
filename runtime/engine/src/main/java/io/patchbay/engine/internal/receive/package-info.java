/**
 * Stage receive: reads a patch archive within fixed bounds (size, entry count, expansion) and
 * without trusting anything it says about itself, the way the framework will read it (through the
 * zip's central directory, refused if any other reader would see different entries). The result, a
 * {@link io.patchbay.engine.internal.receive.ReceivedPatch}, holds the manifest, every resource's
 * bytes and who signed it; nothing is checked against the trust store or the framework yet. Relies
 * only on the limits in {@link io.patchbay.engine.internal.config.EngineSettings}.
 */
package io.patchbay.engine.internal.receive;
