package io.patchbay.it;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Does inside a running Patchbay what a hostile patch can do: stops (Thread.stop) every thread of
 * the application's thread groups, the framework's own included, and waits (up to 10 s) until they
 * are dead.
 * It gets in as a Java agent loaded through the attach API, so no signed patch has to carry it.
 */
public final class ThreadKiller {

    private ThreadKiller() {
    }

    /** Loads this class as an agent into the JVM of that process; returns when the threads are dead. */
    public static void killThreadsOf(long pid, Path work) throws Exception {
        Path agent = work.resolve("thread-killer-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", ThreadKiller.class.getName());
        String entry = ThreadKiller.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(agent), manifest);
                var bytes = ThreadKiller.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            bytes.transferTo(jar);
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgent(agent.toString());
        } finally {
            vm.detach();
        }
    }

    /** Runs in the runtime's JVM, on the attach listener's thread (a system thread, so spared). */
    @SuppressWarnings({"removal", "deprecation"})
    public static void agentmain(String args) throws InterruptedException {
        List<Thread> killed = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            ThreadGroup group = thread.getThreadGroup();
            if (thread != Thread.currentThread() && group != null && !group.getName().equals("system")) {
                thread.stop();
                killed.add(thread);
            }
        }
        // A thread blocked in native code (a socket accept) dies only when that returns: bounded.
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (Thread thread : killed) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                thread.join(left);
            }
        }
    }
}
