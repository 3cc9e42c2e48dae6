package io.patchbay.demo.sensor;

import io.patchbay.demo.api.TemperatureSensor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A sensor that follows a sine wave between a cold and a warm temperature, so that the
 * demo regularly sees readings below freezing. The reading depends only on the clock, so a
 * restarted sensor carries on where it was.
 */
@Component
@Designate(ocd = SimulatedSensor.Config.class)
public class SimulatedSensor implements TemperatureSensor {

    @ObjectClassDefinition(name = "Patchbay demo sensor")
    public @interface Config {
        @AttributeDefinition(description = "Coldest reading, in degrees Celsius")
        double coldest_celsius() default -10.0;

        @AttributeDefinition(description = "Warmest reading, in degrees Celsius")
        double warmest_celsius() default 25.0;

        // 1.0.1: half of 1.0.0's 60 s, so a demo reaches a reading below freezing sooner.
        @AttributeDefinition(description = "Length of one cold-warm-cold cycle, in seconds")
        long period_seconds() default 30;
    }

    private final double mid;
    private final double amplitude;
    private final double periodMillis;

    @Activate
    public SimulatedSensor(Config config) {
        this.mid = (config.coldest_celsius() + config.warmest_celsius()) / 2;
        this.amplitude = (config.warmest_celsius() - config.coldest_celsius()) / 2;
        this.periodMillis = Math.max(1, config.period_seconds()) * 1000.0;
    }

    @Override
    public double celsius() {
        double phase = (System.currentTimeMillis() % (long) periodMillis) / periodMillis;
        double value = mid + amplitude * Math.sin(2 * Math.PI * phase);
        // Tenths of a degree, as a real sensor reports them.
        return Math.round(value * 10) / 10.0;
    }
}
