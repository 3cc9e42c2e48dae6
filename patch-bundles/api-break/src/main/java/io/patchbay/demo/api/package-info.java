/**
 * Services and values of the demo heating controller.
 *
 * <p>The sensor provides {@link io.patchbay.demo.api.TemperatureSensor}, the policy provides
 * {@link io.patchbay.demo.api.HeatingPolicy}, and the control loop provides
 * {@link io.patchbay.demo.api.ControlLoop}, whose {@link io.patchbay.demo.api.ControlTotals}
 * are the application state that must survive a patch.
 */
@Export
@Version("1.0.0")
package io.patchbay.demo.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
