package io.patchbay.demo.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.demo.api.ControlTotals;
import io.patchbay.demo.api.Heater;
import org.junit.jupiter.api.Test;

class TotalsTest {

    @Test
    void countsEveryKindOfReading() {
        HeatingControlLoop.Totals totals = new HeatingControlLoop.Totals();
        totals.recordDecision(5.0, Heater.ON);
        totals.recordDecision(25.0, Heater.OFF);
        totals.recordWithoutPolicy(-3.0);
        totals.recordPolicyFailure(-4.0);

        ControlTotals snapshot = totals.snapshot();
        assertEquals(4, snapshot.readings());
        assertEquals(1, snapshot.heaterOn());
        assertEquals(1, snapshot.heaterOff());
        assertEquals(1, snapshot.withoutPolicy());
        assertEquals(1, snapshot.policyFailures());
        assertEquals(-4.0, snapshot.lastCelsius());
        assertEquals(Heater.OFF, snapshot.lastDecision());
    }

    @Test
    void recentFailuresForgetOldOnes() {
        HeatingControlLoop.Totals totals = new HeatingControlLoop.Totals();
        totals.recordPolicyFailure(-1.0);
        totals.recordPolicyFailure(-1.0);
        assertEquals(2, totals.recentFailures());
        totals.recordWithoutPolicy(-1.0);
        assertEquals(2, totals.recentFailures(), "a reading without a policy is not a failed decision");
        for (int i = 0; i < HeatingControlLoop.Totals.RECENT; i++) {
            totals.recordDecision(5.0, Heater.ON);
        }
        assertEquals(0, totals.recentFailures());
    }

    @Test
    void startsEmpty() {
        ControlTotals snapshot = new HeatingControlLoop.Totals().snapshot();
        assertEquals(0, snapshot.readings());
        assertTrue(Double.isNaN(snapshot.lastCelsius()));
        assertNull(snapshot.lastDecision());
    }
}
