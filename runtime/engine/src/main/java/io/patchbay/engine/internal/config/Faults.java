package io.patchbay.engine.internal.config;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * Fault injection for the crash and fault tests, in one place: only this class reads the
 * {@code patchbay.test.*} properties (framework or system properties); production classes ask it.
 * <p>
 * It is active only when the runtime was started with at least one of them set. The engine reads
 * them once, when it starts ({@link #readAtStart}), and says on stderr for each that is set
 * {@code patchbay: TEST FAULT ARMED: <property>=<value>}, so an armed runtime cannot pass unnoticed.
 * Inactive, every method does nothing.
 * <ul>
 * <li>{@value #PAUSE_AT}: at the journal step whose name (spaces written as '-') starts with this
 *     value, or at the hook point {@code health} (the health gate is about to judge), the engine
 *     prints {@value #MARKER} and the step on the operation's output and waits to be killed.</li>
 * <li>{@value #FAIL_WRITE}: {@code journal} or {@code store}: those writes fail as on a full disk;
 *     {@code journal-after-begin}: journal writes fail once an operation has begun;
 *     {@code bundle-cache}: writing a jar into the framework's bundle cache fails. The last one is
 *     looked up again at each such write (while active), so a test can arm it once a level is in
 *     place; such a test starts the runtime with {@value #ENABLED}{@code =true}.</li>
 * <li>{@value #ENABLED}: {@code true} activates fault injection without arming a fault.</li>
 * </ul>
 */
public final class Faults {

    static final String PAUSE_AT = "patchbay.test.pauseAt";
    static final String FAIL_WRITE = "patchbay.test.failWrite";
    static final String ENABLED = "patchbay.test.faults";
    static final String MARKER = "PATCHBAY-TEST-PAUSED-AT ";
    static final String ARMED = "patchbay: TEST FAULT ARMED: ";

    private static final Faults NONE = new Faults(List.of(), "", "");
    /** What the engine read when it started; NONE until then (and in tests that do not start it). */
    private static volatile Faults atStart = NONE;

    private final List<String> armed;
    private final String pauseAt;
    private final String failWrite;

    private Faults(List<String> armed, String pauseAt, String failWrite) {
        this.armed = List.copyOf(armed);
        this.pauseAt = pauseAt;
        this.failWrite = failWrite;
    }

    /** Reads the test properties of this start, says on {@code err} which are armed, and keeps them for the engine. */
    public static Faults readAtStart(BundleContext context, PrintStream err) {
        List<String> armed = new ArrayList<>();
        for (String name : List.of(PAUSE_AT, FAIL_WRITE, ENABLED)) {
            String value = context.getProperty(name);
            // patchbay.test.faults is a switch: only "true" turns fault injection on.
            if (value != null && !value.isEmpty() && (!name.equals(ENABLED) || Boolean.parseBoolean(value))) {
                armed.add(name + "=" + value);
            }
        }
        Faults faults = armed.isEmpty() ? NONE
                : new Faults(armed, valueOf(context, PAUSE_AT), valueOf(context, FAIL_WRITE));
        for (String fault : faults.armed) {
            err.println(ARMED + fault);
        }
        err.flush();
        atStart = faults;
        return faults;
    }

    /** @return what the engine read at its start */
    public static Faults atStart() {
        return atStart;
    }

    boolean active() {
        return !armed.isEmpty();
    }

    /** @return the kind of write that fails, or "" */
    public String failWrite() {
        return failWrite;
    }

    /** Throws what a full disk throws, when {@code failWrite} names this kind of write. */
    public static void failIfAsked(String failWrite, String what) throws IOException {
        if (what.equals(failWrite)) {
            throw new IOException("No space left on device (" + FAIL_WRITE + "=" + what + ")");
        }
    }

    /** Throws what a full disk throws for a write into the bundle cache, when armed now. */
    public void failBundleCacheWriteIfAsked(BundleContext context) throws IOException {
        if (active()) {
            failIfAsked(valueOf(context, FAIL_WRITE), "bundle-cache");
        }
    }

    /** Stops here for good (until interrupted) when the step is the one to pause at, saying so on {@code out}. */
    public void pauseIfAsked(String step, PrintStream out) {
        String name = step.replace(' ', '-');
        if (pauseAt.isEmpty() || !name.startsWith(pauseAt)) {
            return;
        }
        out.println(MARKER + name);
        out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String valueOf(BundleContext context, String name) {
        String value = context.getProperty(name);
        return value == null ? "" : value;
    }
}
