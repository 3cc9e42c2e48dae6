package io.patchbay.demo.control;

import io.patchbay.demo.api.ControlLoop;
import io.patchbay.demo.api.ControlTotals;
import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import io.patchbay.demo.api.TemperatureSensor;
import io.patchbay.patch.handover.HandoverParticipant;
import io.patchbay.patch.health.HealthCheck;
import io.patchbay.patch.health.HealthResult;
import io.patchbay.patch.handover.StateHandover;
import java.util.HashMap;
import java.util.Map;
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
 *
 * <p>Its totals survive a swap of this bundle by strategy handover: the outgoing loop stops
 * reading and hands its totals over ({@link HandoverParticipant}); the incoming one receives them
 * when it is activated ({@link StateHandover}) and counts on from there.
 */
@Component(immediate = true, service = {ControlLoop.class, HealthCheck.class, HandoverParticipant.class},
        property = {"name=demo control loop: recent policy decisions",
            HandoverParticipant.KEY + "=" + HeatingControlLoop.STATE_KEY})
@Designate(ocd = HeatingControlLoop.Config.class)
public class HeatingControlLoop implements ControlLoop, HealthCheck, HandoverParticipant {

    /** The name of the totals in a handover; the same in every version. */
    static final String STATE_KEY = "io.patchbay.demo.control.totals";

    @ObjectClassDefinition(name = "Patchbay demo control loop")
    public @interface Config {
        @AttributeDefinition(description = "Time between two sensor readings, in milliseconds")
        long interval_millis() default 100;
    }

    private final TemperatureSensor sensor;
    private final long interval;
    private final Totals totals = new Totals();
    private ScheduledExecutorService ticker;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeatingPolicy policy;

    @Activate
    public HeatingControlLoop(@Reference TemperatureSensor sensor, @Reference StateHandover handover, Config config) {
        this.sensor = sensor;
        this.interval = Math.max(1, config.interval_millis());
        handover.receive(STATE_KEY).ifPresent(state -> totals.restore(state.values()));
        startTicking();
    }

    @Deactivate
    synchronized void stop() throws InterruptedException {
        stopTicking();
    }

    /** Stops reading, so the totals no longer change, and gives them to the next version. */
    @Override
    public synchronized Map<String, Object> handOverState() throws InterruptedException {
        stopTicking();
        return totals.toValues();
    }

    @Override
    public synchronized void handoverAbandoned() {
        startTicking();
    }

    private synchronized void startTicking() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "patchbay-demo-control-loop");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 0, interval, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopTicking() throws InterruptedException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            ticker = null;
        }
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

        /** The totals as values any version can read: longs, a double and the decision's name. */
        synchronized Map<String, Object> toValues() {
            Map<String, Object> values = new HashMap<>();
            values.put("readings", readings);
            values.put("heaterOn", heaterOn);
            values.put("heaterOff", heaterOff);
            values.put("withoutPolicy", withoutPolicy);
            values.put("policyFailures", policyFailures);
            values.put("lastCelsius", lastCelsius);
            if (lastDecision != null) {
                values.put("lastDecision", lastDecision.name());
            }
            return values;
        }

        /** Takes over totals an earlier (or later) version handed over; unknown names are ignored. */
        synchronized void restore(Map<String, Object> values) {
            readings = count(values, "readings");
            heaterOn = count(values, "heaterOn");
            heaterOff = count(values, "heaterOff");
            withoutPolicy = count(values, "withoutPolicy");
            policyFailures = count(values, "policyFailures");
            lastCelsius = values.get("lastCelsius") instanceof Number n ? n.doubleValue() : Double.NaN;
            lastDecision = values.get("lastDecision") instanceof String name ? Heater.valueOf(name) : null;
        }

        private static long count(Map<String, Object> values, String name) {
            return values.get(name) instanceof Number n ? n.longValue() : 0;
        }

        synchronized ControlTotals snapshot() {
            return new ControlTotals(readings, heaterOn, heaterOff, withoutPolicy, policyFailures,
                    lastCelsius, lastDecision);
        }
    }
}
