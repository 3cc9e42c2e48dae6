package io.patchbay.demo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RefusingActivatorTest {

    @Test
    void startThrows() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new RefusingActivator().start(null));
        assertEquals("policy 1.0.6 refuses to start", e.getMessage());
    }
}
