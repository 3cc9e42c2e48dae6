package io.patchbay.demo.api;

import org.osgi.annotation.versioning.ProviderType;

/** A temperature sensor that can be read at any time. */
@ProviderType
public interface TemperatureSensor {

    /** @return the current temperature in degrees Celsius */
    double celsius();
}
