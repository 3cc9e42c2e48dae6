package io.patchbay.demo.watch;

import io.patchbay.demo.api.TemperatureSensor;
import io.patchbay.patch.health.HealthCheck;
import io.patchbay.patch.health.HealthResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A health check on the sensor: healthy while its reading is a number an appliance can be in
 * (between -60 and 80 degrees Celsius). Active as long as a sensor is registered.
 */
@Component(immediate = true, property = "name=demo sensor watch: plausible readings")
public class SensorWatch implements HealthCheck {

    static final double COLDEST = -60;
    static final double WARMEST = 80;

    private final TemperatureSensor sensor;

    @Activate
    public SensorWatch(@Reference TemperatureSensor sensor) {
        this.sensor = sensor;
    }

    @Override
    public HealthResult check() {
        double celsius = sensor.celsius();
        return celsius >= COLDEST && celsius <= WARMEST
                ? HealthResult.ok("the sensor reads " + celsius + " C")
                : HealthResult.failed("the sensor reads " + celsius + " C, outside " + COLDEST + " to " + WARMEST);
    }
}
