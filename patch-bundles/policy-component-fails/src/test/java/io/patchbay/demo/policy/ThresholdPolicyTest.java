package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {

    @Test
    void activationThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, ThresholdPolicy::new);
        assertEquals("policy 1.0.7 cannot activate", e.getMessage());
    }
}
