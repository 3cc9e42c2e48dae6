/**
 * Stage verify: the patch is what it says it is (every resource signed by a certificate the
 * trust store accepts, deployment-package and bundle headers well formed and consistent), and it fits
 * this runtime (no framework or Patchbay bundle touched, versions only go up unless allowed, fix packs
 * match an installed package). The result is the list of changes the patch would make. Reads the
 * framework and the committed level but changes nothing; relies on the trust store and limits of
 * {@link io.patchbay.engine.internal.config.EngineSettings}.
 */
package io.patchbay.engine.internal.verify;
