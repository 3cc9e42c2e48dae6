package io.patchbay.it.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Heap and metaspace in use after several full collections: what stays, not what happens to be
 * garbage at the moment. The heap figure is each heap pool's usage as the last collection left it,
 * so that callers still running while it is taken do not add their fresh garbage.
 *
 * @param heapUsed      bytes of heap in use after the last full collection
 * @param metaspaceUsed bytes of the "Metaspace" pool in use (class metadata: retired class loaders show here)
 */
record MemoryAfterGc(long heapUsed, long metaspaceUsed) {

    static MemoryAfterGc measure() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            Thread.sleep(100);
            System.gc();
        }
        long heap = 0;
        long metaspace = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage afterGc = pool.getCollectionUsage();
                heap += (afterGc != null ? afterGc : pool.getUsage()).getUsed();
            } else if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            }
        }
        return new MemoryAfterGc(heap, metaspace);
    }

    static double percentChange(long from, long to) {
        return from <= 0 ? 0 : 100.0 * (to - from) / from;
    }
}
