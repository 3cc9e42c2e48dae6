package io.patchbay.demo.policy;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Deliberately bad patch: the bundle resolves, but starting it fails, so the framework
 * leaves it RESOLVED and the patch engine has to roll back.
 */
public class RefusingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("policy 1.0.6 refuses to start");
    }

    @Override
    public void stop(BundleContext context) {
    }
}
