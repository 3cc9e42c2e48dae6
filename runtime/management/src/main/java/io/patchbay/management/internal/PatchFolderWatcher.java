package io.patchbay.management.internal;

import io.patchbay.patch.InstalledPackage;
import io.patchbay.patch.PatchBusyException;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The watched patch folder, {@code <data>/patches/}, another way in to the same
 * {@link PatchManager} as the console. Rules, in order:
 * <ol>
 * <li>A file in {@code incoming/} is taken only once it is complete: its size and modification
 *     time are the same on two looks in a row. Names starting with '.' or ending in
 *     {@code .part} or {@code .tmp} are ignored, so a writer may write under such a name and
 *     rename the file into place.</li>
 * <li>A complete file is moved to {@code processing/} (an atomic rename: the claim), then
 *     applied, with "folder:NAME" as the operator in the journal.</li>
 * <li>Afterwards it moves to {@code applied/}, or to {@code failed/} with {@code NAME.reason.txt}
 *     holding the one line a console would have printed. A file that arrives while another
 *     operation runs waits in {@code processing/} and is tried again.</li>
 * <li>Only regular files are patches. A symbolic link is never followed (it could lead out of the
 *     folder); it, a directory or a special file (a FIFO, a socket, a device) moves to
 *     {@code failed/} itself, with a reason, once it is complete as above. What cannot be moved is
 *     reported once on standard error and then left alone.</li>
 * <li>A reason is always one line: control characters in names (a newline) are written escaped,
 *     as {@code \n}; so is the name in the journal's "folder:NAME".</li>
 * <li>At start, a file left in {@code processing/} by a stop or crash is looked at again: if its
 *     package is installed already it moves to {@code applied/}, otherwise it is applied (a crash
 *     mid-patch was undone by recovery). Nothing is lost and nothing is applied twice.</li>
 * </ol>
 */
@Component(immediate = true, configurationPid = "io.patchbay.folder")
@Designate(ocd = FolderConfig.class)
public class PatchFolderWatcher {

    // The Deployment Package headers (OSGi Compendium) that name a package.
    private static final String DP_SYMBOLIC_NAME = "DeploymentPackage-SymbolicName";
    private static final String DP_VERSION = "DeploymentPackage-Version";

    static final String INCOMING = "incoming";
    static final String PROCESSING = "processing";
    static final String APPLIED = "applied";
    static final String FAILED = "failed";

    private final PatchManager patches;
    /** Dynamic: the log service coming or going never restarts the folder's polling. */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger log;
    private final Path root;
    private final ScheduledExecutorService poller;
    /** What each waiting file looked like at the last look: size and modification time. */
    private final Map<Path, String> lastLook = new HashMap<>();
    /** What could not be moved out of {@code incoming/}: reported once, then left alone. */
    private final Set<Path> stuck = new HashSet<>();

    @Activate
    public PatchFolderWatcher(@Reference PatchManager patches, BundleContext context, FolderConfig config)
            throws IOException {
        this.patches = patches;
        this.root = patchFolder(context);
        if (!config.enabled() || root == null) {
            this.poller = null;
            return;
        }
        for (String folder : new String[] {INCOMING, PROCESSING, APPLIED, FAILED}) {
            Files.createDirectories(root.resolve(folder));
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "patchbay-patch-folder");
            thread.setDaemon(true);
            return thread;
        });
        poller.execute(this::resumeInterrupted);
        long period = Math.max(100, config.poll_millis());
        poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * @return {@code <data>/patches}, beside the engine's folder; in a framework the launcher did
     *         not start (a test), in this bundle's own storage area
     */
    private static Path patchFolder(BundleContext context) {
        String data = context.getProperty(ManagementApi.DATA_PROPERTY);
        if (data == null || data.isBlank()) {
            java.io.File own = context.getDataFile("patches");
            return own == null ? null : own.toPath();
        }
        return Path.of(data).resolve("patches");
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (poller != null) {
            // Let a patch in progress finish; it is in the journal either way.
            poller.shutdown();
            poller.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    private void resumeInterrupted() {
        for (Path file : files(root.resolve(PROCESSING))) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && isInstalled(file)) {
                finish(file, APPLIED, null);
            } else {
                process(file);
            }
        }
    }

    /**
     * Whether the package this file declares is installed at the current level. Only its
     * manifest's name and version are read, without trusting them: a file that merely claims
     * to be an installed package is moved aside without anything being applied.
     */
    private boolean isInstalled(Path file) {
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(DP_SYMBOLIC_NAME);
            String version = manifest == null ? null : manifest.getMainAttributes().getValue(DP_VERSION);
            if (name == null || version == null) {
                return false;
            }
            for (InstalledPackage installed : patches.installedPackages()) {
                if (installed.symbolicName().equals(name.trim())
                        && installed.version().equals(Version.parseVersion(version.trim()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void poll() {
        for (Path file : files(root.resolve(PROCESSING))) {
            try {
                process(file); // waited for a busy engine
            } catch (RuntimeException e) {
                // Tried again on the next look; an exception here would end the polling for good.
            }
        }
        Map<Path, String> seen = new HashMap<>();
        List<Path> incoming = files(root.resolve(INCOMING));
        stuck.retainAll(incoming);
        for (Path file : incoming) {
            if (stuck.contains(file)) {
                continue;
            }
            try {
                BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String look = now.size() + "@" + now.lastModifiedTime().toMillis();
                if (!look.equals(lastLook.get(file))) {
                    seen.put(file, look);
                } else if (now.isRegularFile()) {
                    process(move(file, root.resolve(PROCESSING)));
                } else {
                    setAside(file, notAPatch(file.getFileName().toString(), now));
                }
            } catch (IOException | RuntimeException e) {
                // It vanished or moved under us; the next look sees the folder as it is then.
            }
        }
        lastLook.clear();
        lastLook.putAll(seen);
    }

    /** Into the runtime's log when there is a log service (the folder does not require one), else on stderr. */
    private void warn(String message) {
        if (log != null) {
            log.warn(message);
        } else {
            System.err.println("patchbay: " + message);
        }
    }

    /** Moves what is not a patch from incoming/ to failed/ with its reason, or reports once that it cannot. */
    private void setAside(Path file, String reason) {
        Path moved;
        try {
            moved = move(file, root.resolve(FAILED));
        } catch (IOException e) {
            stuck.add(file);
            warn("the patch folder cannot move " + oneLine(file.toString()) + " to " + FAILED + "/ ("
                    + oneLine(String.valueOf(e.getMessage())) + "); it is left where it is: " + reason);
            return;
        }
        try {
            writeReason(moved, reason);
        } catch (IOException e) {
            // It is out of incoming/ all the same; the operator sees it in failed/ without its reason.
        }
    }

    /** Why an entry of the folder that is not a regular file is refused, in one line. */
    static String notAPatch(String name, BasicFileAttributes attributes) {
        String what = attributes.isSymbolicLink() ? "a symbolic link, which the patch folder does not follow"
                : attributes.isDirectory() ? "a directory" : "a special file (not a regular file)";
        return oneLine(name) + " is " + what + "; only regular files are taken as patches";
    }

    /** The text with every control character escaped (a newline as \n), so it stays on one line. */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        return line.toString();
    }

    private void process(Path file) {
        String reason;
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            // Replaced after the claim, or left in processing/ while the runtime was down.
            try {
                finish(file, FAILED, notAPatch(file.getFileName().toString(),
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
            } catch (IOException e) {
                // Gone; nothing to do.
            }
            return;
        }
        try {
            PatchOutcome outcome = patches.apply(file, options(file), ProgressListener.NONE);
            if (outcome.result() == PatchOutcome.Result.COMMITTED) {
                finish(file, APPLIED, null);
                return;
            }
            reason = outcome.message();
        } catch (PatchBusyException e) {
            return; // stays in processing/ and is tried on the next look
        } catch (PatchException e) {
            reason = e.getMessage();
        }
        finish(file, FAILED, reason);
    }

    private void finish(Path file, String folder, String reason) {
        try {
            Path moved = move(file, root.resolve(folder));
            if (reason != null) {
                writeReason(moved, reason);
            }
        } catch (IOException e) {
            // Left where it is; the operator sees it in processing/ and the journal has the outcome.
        }
    }

    private static void writeReason(Path moved, String reason) throws IOException {
        Files.writeString(moved.resolveSibling(moved.getFileName() + ".reason.txt"), oneLine(reason) + "\n",
                StandardCharsets.UTF_8);
    }

    private static PatchOptions options(Path file) {
        return new PatchOptions(false, false, "folder:" + oneLine(file.getFileName().toString()));
    }

    /** The entries of a folder that are up for the watcher, of any kind: links are not followed. */
    private static List<Path> files(Path folder) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path file : stream) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && !name.endsWith(".part")
                        && !name.endsWith(".tmp") && !name.endsWith(".reason.txt")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            // the folder is gone; nothing to do until it is back
        }
        files.sort(null);
        return files;
    }

    /** Moves a file into a folder, keeping its name unless that is taken. */
    private static Path move(Path file, Path folder) throws IOException {
        Path target = folder.resolve(file.getFileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            target = folder.resolve(System.currentTimeMillis() + "-" + file.getFileName());
        }
        try {
            return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            return Files.move(file, target);
        }
    }
}
