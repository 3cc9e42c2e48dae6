package io.patchbay.patch;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a patch is applied. An operator asks for one in {@link PatchOptions}; a {@link PatchPlan}
 * says which of {@link #REFRESH} or {@link #HANDOVER} the planner chose.
 *
 * <p>Every surface reads the operator's word with {@link #parse(String)}, so all of them accept
 * the same words and refuse anything else with the same one line. {@link #toString()} gives the
 * word back, as operators type it.
 */
public enum Strategy {
    /** The planner chooses: {@code handover} where it is safe, {@code refresh} otherwise. */
    AUTO,
    /** Update in place and refresh the dependency closure. */
    REFRESH,
    /** Start the new version beside the old one, hand state across, then retire the old one. */
    HANDOVER;

    /** The longest part of a refused word that is repeated in the error, so it stays one short line. */
    private static final int QUOTED_LENGTH = 40;

    /**
     * @param word what an operator typed: {@code auto}, {@code refresh} or {@code handover};
     *             null (not given) means {@link #AUTO}; an empty word is refused like any other
     *             unknown one, as an operator who typed it meant something
     * @return the strategy the word names
     * @throws IllegalArgumentException with a one-line message naming the word and the accepted ones
     */
    public static Strategy parse(String word) {
        if (word == null) {
            return AUTO;
        }
        for (Strategy strategy : values()) {
            if (strategy.toString().equals(word)) {
                return strategy;
            }
        }
        String quoted = word.replaceAll("\\p{Cntrl}", "?");
        if (quoted.length() > QUOTED_LENGTH) {
            quoted = quoted.substring(0, QUOTED_LENGTH) + "...";
        }
        throw new IllegalArgumentException("unknown strategy '" + quoted + "'; use one of "
                + Arrays.stream(values()).map(Strategy::toString).collect(Collectors.joining(", ")));
    }

    /** @return the word an operator types for this strategy */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
