package io.patchbay.engine.internal;

import io.patchbay.engine.internal.config.EngineFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * The runtime's log file, {@code DATA/log/patchbay.log}: every entry of the OSGi Log Service at
 * INFO or above (the launcher sets the log service's level to INFO; the framework's own DEBUG
 * events are left out), one line each, appended, so it survives restarts.
 * When a line would take the file past {@value #MAX_BYTES_PROPERTY} bytes it rotates: the file
 * becomes {@code patchbay.log.1}, older ones move up by one, and at most
 * {@value #FILES_PROPERTY} files are kept in all. Entries the log service kept from before this
 * component started and that are newer than the file are written first, so the start is in it.
 * Line format: {@code <ISO instant> <LEVEL> <bundle>: <message>[ (<exception>)]}.
 */
@Component(immediate = true, service = PatchbayLogFile.class)
public final class PatchbayLogFile implements LogListener {

    static final String MAX_BYTES_PROPERTY = "patchbay.log.maxBytes";
    static final String FILES_PROPERTY = "patchbay.log.files";
    static final long DEFAULT_MAX_BYTES = 1L << 20;
    static final int DEFAULT_FILES = 5;

    private final LogReaderService reader;
    private final Path file;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;
    private boolean failing;
    /** Sequence number of the last entry handled, so that an entry is never written twice. */
    private long lastSequence = -1;

    @Activate
    public PatchbayLogFile(BundleContext context, @Reference LogReaderService reader) throws IOException {
        this.reader = reader;
        this.file = EngineFiles.log(context);
        this.maxBytes = Math.max(1, longProperty(context, MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES));
        this.files = (int) Math.max(1, longProperty(context, FILES_PROPERTY, DEFAULT_FILES));
        Files.createDirectories(file.getParent());
        long writtenUntil = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
        open();
        // Listening first, under this object's lock, so that nothing logged while the history is
        // written is lost: live entries wait for the lock, and any that are also in the history
        // are recognised by their sequence number.
        synchronized (this) {
            reader.addLogListener(this);
            List<LogEntry> kept = new ArrayList<>();
            for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
                LogEntry entry = e.nextElement();
                if (entry.getTime() > writtenUntil) {
                    kept.add(entry);
                }
            }
            Collections.reverse(kept); // the log service gives the newest first
            kept.forEach(this::logged);
        }
    }

    @Deactivate
    synchronized void close() throws IOException {
        reader.removeLogListener(this);
        if (out != null) {
            out.close();
        }
    }

    /** @return the file being written now */
    Path file() {
        return file;
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        if (entry.getSequence() <= lastSequence) {
            return; // already written from the history
        }
        lastSequence = entry.getSequence();
        if (!LogLevel.INFO.implies(entry.getLogLevel())) {
            return;
        }
        byte[] line = (line(entry) + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open(); // a rotation that failed half-way: try the file again
            }
            if (size > 0 && size + line.length > maxBytes) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
            failing = false;
        } catch (IOException e) {
            // The log cannot go to its file (a full disk): the runtime carries on; said once per spell on stderr.
            if (!failing) {
                System.err.println("patchbay: cannot write " + file + ": " + e.getMessage());
            }
            failing = true;
        }
    }

    static String line(LogEntry entry) {
        String bundle = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        String text = Instant.ofEpochMilli(entry.getTime()) + " " + entry.getLogLevel() + " " + bundle + ": "
                + entry.getMessage() + (entry.getException() == null ? "" : " (" + entry.getException() + ")");
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    private void rotate() throws IOException {
        OutputStream old = out;
        out = null; // until the new file is open, the next entry reopens it
        old.close();
        Files.deleteIfExists(numbered(files - 1));
        for (int n = files - 2; n >= 1; n--) {
            if (Files.exists(numbered(n))) {
                Files.move(numbered(n), numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (files > 1) {
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        open();
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private static long longProperty(BundleContext context, String name, long fallback) {
        String value = context.getProperty(name);
        try {
            return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
