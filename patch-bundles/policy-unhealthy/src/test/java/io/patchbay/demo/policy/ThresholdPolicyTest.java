package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {

    @Test
    void everyDecisionThrows() {
        ThresholdPolicy policy = new ThresholdPolicy();
        for (double celsius : new double[] {-5.0, 18.9, 19.0}) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> policy.decide(celsius));
            assertEquals("policy 1.0.8 is broken", e.getMessage());
        }
    }
}
