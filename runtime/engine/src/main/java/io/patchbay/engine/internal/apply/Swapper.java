package io.patchbay.engine.internal.apply;

import io.patchbay.engine.internal.plan.Change;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** A strategy: how a list of changes is carried out on the framework, and undone. */
public interface Swapper {

    /** Told after each step; may throw to stop (a test hook pauses here). */
    interface Steps {
        void step(String name) throws IOException;
    }

    /**
     * @param shouldBeActive symbolic names of bundles that must be active afterwards
     * @param completed      receives each change as soon as it has been carried out, so that
     *                       whatever happens next, exactly those can be undone
     * @return problems starting bundles (empty when all started); the health gate judges them
     */
    List<String> apply(List<Change> changes, Collection<String> shouldBeActive, Steps steps, List<Change> completed)
            throws Exception;

    /**
     * Undoes changes that were carried out, newest first, as far as it can.
     *
     * @return what could not be undone; empty when the undo is complete
     */
    List<String> undo(List<Change> completed, Collection<String> shouldBeActive, Steps steps);
}
