package io.patchbay.demo.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Sensor 1.0.1 cycles every 30 s by default and still reads within its range, in tenths. */
class SimulatedSensorTest {

    @Test
    void defaultCycleIsThirtySeconds() throws Exception {
        assertEquals(30L, SimulatedSensor.Config.class.getMethod("period_seconds").getDefaultValue());
    }

    @Test
    void readsWithinRangeInTenths() {
        SimulatedSensor sensor = new SimulatedSensor(defaults());
        double celsius = sensor.celsius();
        assertTrue(celsius >= -10.0 && celsius <= 25.0, "reading " + celsius);
        assertEquals(Math.round(celsius * 10) / 10.0, celsius);
    }

    // What Declarative Services passes when no configuration exists: every default.
    private static SimulatedSensor.Config defaults() {
        return (SimulatedSensor.Config) Proxy.newProxyInstance(
                SimulatedSensor.Config.class.getClassLoader(),
                new Class<?>[] {SimulatedSensor.Config.class},
                (proxy, method, args) -> method.getDefaultValue());
    }
}
