package io.patchbay.engine.internal.verify;

import io.patchbay.patch.PatchDescriptor;
import java.util.Map;
import java.util.jar.Manifest;

/**
 * A patch whose signature, digests and manifests have been checked.
 *
 * @param descriptor what the patch declares
 * @param jars       the bundle jars it carries, by symbolic name (a fix pack's missing ones absent)
 * @param manifests  each carried bundle's own manifest, by symbolic name
 */
public record VerifiedPatch(PatchDescriptor descriptor, Map<String, byte[]> jars, Map<String, Manifest> manifests) {
}
