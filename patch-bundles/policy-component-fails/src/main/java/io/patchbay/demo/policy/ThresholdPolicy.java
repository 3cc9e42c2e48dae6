package io.patchbay.demo.policy;

import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Deliberately bad patch: the bundle starts, but Declarative Services cannot activate this
 * component, so no {@link HeatingPolicy} service is left once the old policy is gone.
 */
@Component
public class ThresholdPolicy implements HeatingPolicy {

    @Activate
    public ThresholdPolicy() {
        throw new IllegalStateException("policy 1.0.7 cannot activate");
    }

    @Override
    public Heater decide(double celsius) {
        return Heater.OFF;
    }
}
