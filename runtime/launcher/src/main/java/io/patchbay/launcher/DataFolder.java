package io.patchbay.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The one folder a runtime owns: bundle cache, configuration and the console socket. At most
 * one process owns a data folder at a time, enforced by an OS file lock on {@code patchbay.lock}
 * that the kernel releases when the process dies, so a crash never leaves a stale lock.
 *
 * <p>Opening checks and locks but writes nothing, so a refused start leaves the folder exactly
 * as it was; the owner's pid goes into the lock file ({@link #recordOwner()}) only once the
 * runtime is sure to start.
 */
final class DataFolder implements AutoCloseable {

    static final String LOCK_FILE = "patchbay.lock";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataFolder(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the folder if needed, checks it is writable and takes the owner's lock. */
    static DataFolder open(Path root) throws LaunchException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw environment("data folder " + root + " is not a directory");
        }
        if (!Files.exists(root)) {
            try {
                Files.createDirectories(root);
                restrictToOwner(root);
            } catch (IOException | SecurityException e) {
                throw environment("cannot create data folder " + root + " (" + reason(e) + ")");
            }
        }
        if (!Files.isWritable(root)) {
            throw environment("data folder " + root + " is not writable");
        }
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw environment("data folder " + root + " is not writable (" + reason(e) + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw environment("cannot lock data folder " + root + " (" + reason(e) + ")");
        }
        if (lock == null) {
            String owner = readOwner(channel);
            close(channel);
            throw environment("data folder " + root + " is in use by a running instance"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")"));
        }
        return new DataFolder(root, channel, lock);
    }

    /**
     * Writes this process's pid into the lock file, for the error a second instance prints.
     * Called only once every other check has passed, so a refused start changes nothing.
     */
    void recordOwner() throws LaunchException {
        try {
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            lockChannel.force(true);
        } catch (IOException e) {
            throw environment("data folder " + root + " is not writable (" + reason(e) + ")");
        }
    }

    Path root() {
        return root;
    }

    Path bundleCache() {
        return root.resolve("cache");
    }

    Path configuration() {
        return root.resolve("config");
    }

    /** The runtime's log file, which the engine writes and {@code patch:log} reads (rotated beside it). */
    Path logFile() {
        return root.resolve("log").resolve("patchbay.log");
    }

    /** Folder for the console socket: owner-only, so only the owning user can attach. */
    Path runFolder() throws LaunchException {
        Path run = root.resolve("run");
        try {
            try {
                Files.createDirectory(run);
            } catch (FileAlreadyExistsException e) {
                // reuse it; the permissions are set again below
            }
            restrictToOwner(run);
        } catch (IOException e) {
            throw environment("cannot prepare " + run + " (" + reason(e) + ")");
        }
        return run;
    }

    /** Marker written once the first boot has installed the initial bundle set. */
    Path provisionedMarker() {
        return root.resolve("provisioned");
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the process is ending; the kernel drops the lock anyway
        }
        close(lockChannel);
    }

    private static void restrictToOwner(Path folder) throws IOException {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing finer to set
        }
    }

    private static String readOwner(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    static String reason(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    private static LaunchException environment(String message) {
        return new LaunchException(LaunchException.ENVIRONMENT, message);
    }
}
