package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.patchbay.demo.api.Heater;
import org.junit.jupiter.api.Test;

/** Pins the behaviour of policy 1.0.0, including its known defect below 0 °C. */
class ThresholdPolicyTest {

    private final ThresholdPolicy policy = new ThresholdPolicy();

    @Test
    void heatsBelowComfortAndStopsAtIt() {
        assertEquals(Heater.ON, policy.decide(5.0));
        assertEquals(Heater.ON, policy.decide(18.9));
        assertEquals(Heater.OFF, policy.decide(19.0));
        assertEquals(Heater.OFF, policy.decide(30.0));
    }

    @Test
    void implausibleReadingsKeepTheHeaterOff() {
        assertEquals(Heater.OFF, policy.decide(Double.NaN));
        assertEquals(Heater.OFF, policy.decide(120.0));
    }

    @Test
    void version100WronglyKeepsTheHeaterOffBelowFreezing() {
        assertEquals(Heater.OFF, policy.decide(-5.0), "the defect that patch 1.0.1 fixes");
    }
}
