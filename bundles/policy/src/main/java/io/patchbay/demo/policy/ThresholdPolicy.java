package io.patchbay.demo.policy;

import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Heats below a comfort threshold. Readings outside the sensor's plausible range are
 * treated as sensor faults and keep the heater off, the safe side for a heater.
 */
@Component
public class ThresholdPolicy implements HeatingPolicy {

    static final double COMFORT_CELSIUS = 19.0;
    static final double HIGHEST_PLAUSIBLE_CELSIUS = 60.0;

    @Override
    public Heater decide(double celsius) {
        if (!isPlausible(celsius)) {
            return Heater.OFF;
        }
        return celsius < COMFORT_CELSIUS ? Heater.ON : Heater.OFF;
    }

    // Known defect of 1.0.0, fixed by the 1.0.1 patch: negative readings are taken for
    // sensor faults, so the heater stays off exactly when it is needed most.
    static boolean isPlausible(double celsius) {
        return celsius >= 0.0 && celsius <= HIGHEST_PLAUSIBLE_CELSIUS;
    }
}
