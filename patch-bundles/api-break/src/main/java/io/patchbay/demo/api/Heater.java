package io.patchbay.demo.api;

/** What the heater should do. */
public enum Heater {
    ON,
    OFF
}
