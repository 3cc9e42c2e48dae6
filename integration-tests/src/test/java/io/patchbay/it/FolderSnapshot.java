package io.patchbay.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Every file and folder below a root with its content digest, to prove a refusal changed nothing. */
public final class FolderSnapshot {

    private FolderSnapshot() {
    }

    public static Map<String, String> of(Path root) {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root)) {
            return entries;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.forEach(p -> entries.put(root.relativize(p).toString(), describe(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Fails with the entries that differ, rather than two long maps. */
    public static void assertUnchanged(Map<String, String> before, Path root) {
        Map<String, String> after = of(root);
        StringBuilder differences = new StringBuilder();
        for (String key : new TreeSet<>(union(before, after))) {
            if (!Objects.equals(before.get(key), after.get(key))) {
                differences.append("\n  ").append(key.isEmpty() ? "." : key).append(": ")
                        .append(before.get(key)).append(" -> ").append(after.get(key));
            }
        }
        if (differences.length() > 0) {
            throw new AssertionError(root + " changed:" + differences);
        }
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String describe(Path path) {
        try {
            if (Files.isDirectory(path)) {
                return "dir " + Files.getPosixFilePermissions(path);
            }
            if (!Files.isRegularFile(path)) {
                return "special " + Files.getPosixFilePermissions(path);
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "file " + Files.getPosixFilePermissions(path) + " " + HexFormat.of().formatHex(sha.digest(Files.readAllBytes(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
