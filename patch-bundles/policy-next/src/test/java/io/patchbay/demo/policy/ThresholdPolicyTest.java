package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.patchbay.demo.api.Heater;
import org.junit.jupiter.api.Test;

/** Policy 1.0.2 heats down to -60 °C and keeps 1.0.1's threshold and fault handling. */
class ThresholdPolicyTest {

    private final ThresholdPolicy policy = new ThresholdPolicy();

    @Test
    void heatsDownToMinusSixty() {
        assertEquals(Heater.ON, policy.decide(-55.0));
        assertEquals(Heater.ON, policy.decide(-60.0));
        assertEquals(Heater.OFF, policy.decide(-60.1));
    }

    @Test
    void keepsTheComfortThresholdAndFaultHandling() {
        assertEquals(Heater.ON, policy.decide(18.9));
        assertEquals(Heater.OFF, policy.decide(19.0));
        assertEquals(Heater.OFF, policy.decide(60.1));
        assertEquals(Heater.OFF, policy.decide(Double.NaN));
    }
}
