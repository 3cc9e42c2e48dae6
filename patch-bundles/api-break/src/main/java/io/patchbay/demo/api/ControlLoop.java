package io.patchbay.demo.api;

import org.osgi.annotation.versioning.ProviderType;

/** The running control loop: reads the sensor, asks the policy, switches the heater. */
@ProviderType
public interface ControlLoop {

    /** @return the running totals since the loop started; a consistent snapshot */
    ControlTotals totals();
}
