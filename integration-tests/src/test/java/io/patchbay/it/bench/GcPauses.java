package io.patchbay.it.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The collector's pauses while it listens, in {@link System#nanoTime()} terms (to the
 * millisecond, which is what the JVM reports), so that a caller's stall can be matched to one.
 * Concurrent cycles (ZGC's, G1's concurrent marking) are left out: they do not stop callers.
 * The notification is read as open data, by the JDK's documented keys, because the test bundle
 * sees only the {@code java.*} and {@code javax.*} packages of the JDK.
 */
final class GcPauses implements NotificationListener, AutoCloseable {

    record Pause(String name, long start, long end) {
        long nanos() {
            return end - start;
        }
    }

    private final List<Pause> pauses = new ArrayList<>();
    /** nanoTime at the JVM's start, as far as uptime in milliseconds tells. */
    private final long jvmStartNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
    /**
     * How far the collector's clock runs behind uptime: HotSpot counts a collection's times from
     * the start of VM creation, uptime from slightly earlier. A notification arrives just after its
     * collection ended, so the smallest delay seen between the two is that offset (plus a
     * delivery time well under a millisecond).
     */
    private long lagNanos = Long.MAX_VALUE;

    GcPauses() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(this, null, null);
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!"com.sun.management.gc.notification".equals(notification.getType())
                || !(notification.getUserData() instanceof CompositeData data)) {
            return;
        }
        String name = String.valueOf(data.get("gcName"));
        if (name.contains("Cycles") || name.contains("Concurrent")) {
            return;
        }
        CompositeData info = (CompositeData) data.get("gcInfo");
        long start = (Long) info.get("startTime");
        long end = (Long) info.get("endTime");
        long now = System.nanoTime();
        Pause pause = new Pause(name + " (" + data.get("gcCause") + ")", jvmStartNanos + start * 1_000_000,
                jvmStartNanos + end * 1_000_000);
        synchronized (pauses) {
            pauses.add(pause);
            lagNanos = Math.min(lagNanos, Math.max(0, now - pause.end()));
        }
    }

    /** @return the pauses that overlap {@code from} to {@code to}, their times corrected by the lag */
    List<Pause> between(long from, long to) {
        synchronized (pauses) {
            long lag = lagNanos == Long.MAX_VALUE ? 0 : lagNanos;
            return pauses.stream().map(p -> new Pause(p.name(), p.start() + lag, p.end() + lag))
                    .filter(p -> p.end() >= from && p.start() <= to).toList();
        }
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) collector).removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // never added
            }
        }
    }
}
