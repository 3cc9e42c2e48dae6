package io.patchbay.demo.control;

import io.patchbay.demo.api.ControlLoop;
import io.patchbay.demo.api.ControlTotals;
import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import io.patchbay.demo.api.TemperatureSensor;
import io.patchbay.patch.HealthCheck;
import io.patchbay.patch.HealthResult;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Reads the sensor at a fixed interval and asks the current policy for a decision on every
 * reading. The policy reference is dynamic, greedy and optional: when a policy is replaced the
 * loop keeps running and its totals keep counting; while there is no policy at all the heater
 * stays off and the reading is counted as {@code withoutPolicy}.
 *
 * <p>It is also the appliance's {@link HealthCheck}: unhealthy when any of the last few
 * decisions it asked a policy for failed, so a patch that breaks the policy is rolled back.
 */
@Component(immediate = true, service = {ControlLoop.class, HealthCheck.class},
        property = "name=demo control loop: recent policy decisions")
@Designate(ocd = HeatingControlLoop.Config.class)
public class HeatingControlLoop implements ControlLoop, HealthCheck {

    @ObjectClassDefinition(name = "Patchbay demo control loop")
    public @interface Config {
        @AttributeDefinition(description = "Time between two sensor readings, in milliseconds")
        long interval_millis() default 100;
    }

    private final TemperatureSensor sensor;
    private final ScheduledExecutorService ticker;
    private final Totals totals = new Totals();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeatingPolicy policy;

    @Activate
    public HeatingControlLoop(@Reference TemperatureSensor sensor, Config config) {
        this.sensor = sensor;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "patchbay-demo-control-loop");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, config.interval_millis());
        ticker.scheduleAtFixedRate(this::tick, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public ControlTotals totals() {
        return totals.snapshot();
    }

    @Override
    public HealthResult check() {
        int failed = totals.recentFailures();
        return failed == 0
                ? HealthResult.ok("the last " + Totals.RECENT + " policy decisions succeeded")
                : HealthResult.failed(failed + " of the last " + Totals.RECENT + " policy decisions failed");
    }

    /** One reading. Never throws: an exception would cancel the schedule. */
    void tick() {
        try {
            double celsius = sensor.celsius();
            HeatingPolicy current = policy;
            if (current == null) {
                totals.recordWithoutPolicy(celsius);
                return;
            }
            Heater decision;
            try {
                decision = current.decide(celsius);
            } catch (RuntimeException e) {
                totals.recordPolicyFailure(celsius);
                return;
            }
            totals.recordDecision(celsius, decision == null ? Heater.OFF : decision);
        } catch (RuntimeException e) {
            // The sensor failed; the next tick tries again.
        }
    }

    /** Mutable totals behind one lock, so a snapshot is always consistent. */
    static final class Totals {
        /** How many recent decisions the health check looks at. */
        static final int RECENT = 5;

        private final boolean[] recent = new boolean[RECENT];
        private int next;
        private long readings;
        private long heaterOn;
        private long heaterOff;
        private long withoutPolicy;
        private long policyFailures;
        private double lastCelsius = Double.NaN;
        private Heater lastDecision;

        synchronized void recordDecision(double celsius, Heater decision) {
            readings++;
            if (decision == Heater.ON) {
                heaterOn++;
            } else {
                heaterOff++;
            }
            lastCelsius = celsius;
            lastDecision = decision;
            remember(false);
        }

        synchronized void recordWithoutPolicy(double celsius) {
            readings++;
            withoutPolicy++;
            lastCelsius = celsius;
            lastDecision = Heater.OFF;
        }

        synchronized void recordPolicyFailure(double celsius) {
            readings++;
            policyFailures++;
            lastCelsius = celsius;
            lastDecision = Heater.OFF;
            remember(true);
        }

        private void remember(boolean failed) {
            recent[next] = failed;
            next = (next + 1) % RECENT;
        }

        /** @return how many of the last {@link #RECENT} decisions asked of a policy failed */
        synchronized int recentFailures() {
            int failed = 0;
            for (boolean f : recent) {
                failed += f ? 1 : 0;
            }
            return failed;
        }

        synchronized ControlTotals snapshot() {
            return new ControlTotals(readings, heaterOn, heaterOff, withoutPolicy, policyFailures,
                    lastCelsius, lastDecision);
        }
    }
}
