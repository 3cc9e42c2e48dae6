package io.patchbay.it.faults;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The journal cannot be written: the intent never reaches the disk, so nothing may change. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JournalDiskFullIT extends DiskFullTest {

    @Override
    String failingWrite() {
        return "journal";
    }
}
