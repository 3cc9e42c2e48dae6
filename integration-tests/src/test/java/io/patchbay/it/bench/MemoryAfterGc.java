package io.patchbay.it.bench;

import java.lang.management.ManagementFactory;

/**
 * Heap and metaspace in use after several full collections: what stays, not what happens to be
 * garbage at the moment.
 *
 * @param heapUsed      bytes of heap in use
 * @param metaspaceUsed bytes of the "Metaspace" pool in use (class metadata: retired class loaders show here)
 */
record MemoryAfterGc(long heapUsed, long metaspaceUsed) {

    static MemoryAfterGc measure() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getName().equals("Metaspace"))
                .mapToLong(pool -> pool.getUsage().getUsed())
                .findFirst().orElse(-1);
        return new MemoryAfterGc(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), metaspace);
    }

    static double percentChange(long from, long to) {
        return from <= 0 ? 0 : 100.0 * (to - from) / from;
    }
}
