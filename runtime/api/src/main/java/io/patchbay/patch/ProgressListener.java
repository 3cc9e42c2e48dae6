package io.patchbay.patch;

import java.time.Duration;
import org.osgi.annotation.versioning.ConsumerType;

/** Told about each stage as it completes, so a console can show a long operation as it goes. */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (stage, took, summary) -> { };

    void stageCompleted(Stage stage, Duration took, String summary);
}
