package io.patchbay.it.bench;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * The registry's events while it listens, with their {@link System#nanoTime()}: a stall can then
 * be placed after the event that came last before it (the new version's service registered, the
 * old one's unregistering), which tells which step of a swap it belongs to.
 */
final class ServiceEvents implements ServiceListener, AutoCloseable {

    record Event(long nanos, String what) {
    }

    private final BundleContext context;
    private final List<Event> events = new ArrayList<>();

    ServiceEvents(BundleContext context) {
        this.context = context;
        context.addServiceListener(this);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        long now = System.nanoTime();
        String type = switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "registered";
            case ServiceEvent.UNREGISTERING -> "unregistering";
            case ServiceEvent.MODIFIED -> "modified";
            default -> "modified, now out of scope";
        };
        String[] classes = (String[]) event.getServiceReference().getProperty(Constants.OBJECTCLASS);
        String simple = classes[0].substring(classes[0].lastIndexOf('.') + 1);
        var bundle = event.getServiceReference().getBundle();
        String by = bundle == null ? "" : " of " + bundle.getSymbolicName() + " " + bundle.getVersion();
        synchronized (events) {
            events.add(new Event(now, simple + by + " " + type));
        }
    }

    /** @return the last event before {@code nanos} and not before {@code notBefore}, or null */
    Event lastBefore(long nanos, long notBefore) {
        synchronized (events) {
            Event last = null;
            for (Event event : events) {
                if (event.nanos() > nanos) {
                    break;
                }
                if (event.nanos() >= notBefore) {
                    last = event;
                }
            }
            return last;
        }
    }

    @Override
    public void close() {
        context.removeServiceListener(this);
    }
}
