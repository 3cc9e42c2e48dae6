package io.patchbay.engine.internal.receive;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the patch reader and verifier briefly in every build; findings are kept as regression inputs. */
class PatchArchiveFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void readingAndVerifyingNeverFailsOtherThanByRefusing(FuzzedDataProvider data) {
        PatchArchiveFuzzing.readAndVerify(data);
    }
}
