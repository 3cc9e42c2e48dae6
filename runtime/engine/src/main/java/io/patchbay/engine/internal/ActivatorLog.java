package io.patchbay.engine.internal;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The log of {@link EngineActivator}, which runs before Declarative Services can give it a
 * {@link Logger}. What it reports happens at start, so each entry is also printed, where the
 * operator at the terminal and the process tests read it: information on stdout as
 * {@code Patchbay: <message>}, errors on stderr as {@code patchbay: <message>}. Entries go to the
 * OSGi Log Service as the engine bundle's; those written before a
 * {@link LoggerFactory} is registered (the log bundle may start after the engine) are kept, in
 * order, and logged as soon as one is. Nothing is lost while the engine bundle runs; entries still
 * waiting when it stops are dropped (the lines the activator prints at start remain).
 */
final class ActivatorLog extends ServiceTracker<LoggerFactory, LoggerFactory> {

    private final List<String[]> waiting = new ArrayList<>();
    private Logger logger;

    ActivatorLog(BundleContext context) {
        super(context, LoggerFactory.class, null);
    }

    @Override
    public LoggerFactory addingService(ServiceReference<LoggerFactory> reference) {
        LoggerFactory factory = super.addingService(reference);
        if (factory != null) {
            synchronized (this) {
                if (logger == null) {
                    logger = factory.getLogger(context.getBundle(), EngineActivator.class.getName(), Logger.class);
                    waiting.forEach(entry -> write(entry[0], entry[1]));
                    waiting.clear();
                }
            }
        }
        return factory;
    }

    synchronized void info(String message) {
        System.out.println("Patchbay: " + message);
        write("info", message);
    }

    synchronized void error(String message) {
        System.err.println("patchbay: " + message);
        write("error", message);
    }

    private void write(String level, String message) {
        if (logger == null) {
            waiting.add(new String[] {level, message});
        } else if (level.equals("error")) {
            logger.error(message);
        } else {
            logger.info(message);
        }
    }
}
