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
    static final double LOWEST_PLAUSIBLE_CELSIUS = -50.0;
    static final double HIGHEST_PLAUSIBLE_CELSIUS = 60.0;

    @Override
    public Heater decide(double celsius) {
        if (!isPlausible(celsius)) {
            return Heater.OFF;
        }
        return celsius < COMFORT_CELSIUS ? Heater.ON : Heater.OFF;
    }

    // 1.0.1: the plausible range reaches well below freezing; 1.0.0 cut it off at 0 °C and
    // kept the heater off exactly when it was needed most.
    static boolean isPlausible(double celsius) {
        return celsius >= LOWEST_PLAUSIBLE_CELSIUS && celsius <= HIGHEST_PLAUSIBLE_CELSIUS;
    }
}
