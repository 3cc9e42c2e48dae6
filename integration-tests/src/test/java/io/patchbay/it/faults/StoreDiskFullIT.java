package io.patchbay.it.faults;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The store cannot take the patch's jars: they could not be restored later, so nothing may change. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreDiskFullIT extends DiskFullTest {

    @Override
    String failingWrite() {
        return "store";
    }
}
