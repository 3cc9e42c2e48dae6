package io.patchbay.engine.internal.receive;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The long fuzz run, profile {@code fuzz} only. */
class PatchArchiveLongFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readingAndVerifyingNeverFailsOtherThanByRefusing(FuzzedDataProvider data) {
        PatchArchiveFuzzing.readAndVerify(data);
    }
}
