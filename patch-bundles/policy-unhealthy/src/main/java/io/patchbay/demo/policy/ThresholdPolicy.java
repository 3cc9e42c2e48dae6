package io.patchbay.demo.policy;

import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import org.osgi.service.component.annotations.Component;

/**
 * Deliberately bad patch: installs, resolves, starts and registers its service, then fails
 * every decision. Only a health check after the swap can tell.
 */
@Component
public class ThresholdPolicy implements HeatingPolicy {

    @Override
    public Heater decide(double celsius) {
        throw new IllegalStateException("policy 1.0.8 is broken");
    }
}
