package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.patchbay.demo.api.Heater;
import org.junit.jupiter.api.Test;

/** Policy 1.0.1 heats below freezing and still refuses implausible readings. */
class ThresholdPolicyTest {

    private final ThresholdPolicy policy = new ThresholdPolicy();

    @Test
    void heatsBelowFreezing() {
        assertEquals(Heater.ON, policy.decide(-5.0));
        assertEquals(Heater.ON, policy.decide(-50.0));
    }

    @Test
    void keepsTheComfortThreshold() {
        assertEquals(Heater.ON, policy.decide(18.9));
        assertEquals(Heater.OFF, policy.decide(19.0));
    }

    @Test
    void implausibleReadingsKeepTheHeaterOff() {
        assertEquals(Heater.OFF, policy.decide(-50.1));
        assertEquals(Heater.OFF, policy.decide(60.1));
        assertEquals(Heater.OFF, policy.decide(Double.NaN));
    }
}
