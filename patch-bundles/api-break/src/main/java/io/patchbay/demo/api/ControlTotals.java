package io.patchbay.demo.api;

/**
 * Running totals of the control loop: the state a patch must not lose.
 *
 * @param readings       sensor readings taken
 * @param heaterOn       readings the policy answered {@link Heater#ON}
 * @param heaterOff      readings the policy answered {@link Heater#OFF}
 * @param withoutPolicy  readings taken while no policy service was available (heater kept off)
 * @param policyFailures readings where the policy threw (heater kept off)
 * @param lastCelsius    the latest reading, {@code NaN} before the first one
 * @param lastDecision   the latest decision, {@code null} before the first one
 */
public record ControlTotals(
        long readings,
        long heaterOn,
        long heaterOff,
        long withoutPolicy,
        long policyFailures,
        double lastCelsius,
        Heater lastDecision) {
}
