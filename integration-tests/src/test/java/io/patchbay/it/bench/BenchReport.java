package io.patchbay.it.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects a benchmark's figures and writes them twice: a table for stdout and JSON (written by
 * hand: maps, lists, strings, numbers) with the machine and the parameters beside them.
 */
final class BenchReport {

    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<ScenarioResult> scenarios = new ArrayList<>();
    private final Map<String, Object> soak = new LinkedHashMap<>();

    void parameter(String name, Object value) {
        parameters.put(name, value);
    }

    void add(ScenarioResult result) {
        scenarios.add(result);
        System.out.println("bench: " + row(result));
    }

    void soak(String name, Object value) {
        soak.put(name, value);
    }

    String table() {
        StringBuilder out = new StringBuilder("\nSwaps under load (stall: longest wait of one caller for a successful call;"
                + " svc stall: longest time no caller got one; outage: longest run of failed calls until the next"
                + " success; gc max: longest collector pause; reachable: retired class loaders alive after full GC;"
                + " pinned: the engine's count; times in ms)\n");
        out.append(String.format(Locale.ROOT, "%-7s %-18s %-9s %6s %5s %10s %9s %7s %9s %7s %6s %8s %8s %9s %6s%n",
                "load", "scenario", "strategy", "secs", "swaps", "calls", "failed", "stall", "svc stall", "outage",
                "gc max", "swap p50", "swap p99", "reachable", "pinned"));
        scenarios.forEach(s -> out.append(row(s)).append('\n'));
        out.append("parameters: ").append(parameters).append('\n');
        if (!soak.isEmpty()) {
            out.append("\nSoak\n");
            soak.forEach((k, v) -> out.append(String.format(Locale.ROOT, "  %-34s %s%n", k, v)));
        }
        return out.toString();
    }

    private static String row(ScenarioResult s) {
        boolean swapped = s.swaps() > 0;
        return String.format(Locale.ROOT, "%-7s %-18s %-9s %6.1f %5d %10d %9d %7.1f %9.1f %7.1f %6.1f %8s %8s %9s %6s",
                s.load(), s.scenario(), s.strategy(), s.seconds(), s.swaps(), s.calls(), s.failed(), s.stallMillis(),
                s.serviceStallMillis(), s.outageMillis(), s.longestGcPauseMillis(),
                swapped ? String.format(Locale.ROOT, "%.1f", s.swapMedian()) : "-",
                swapped ? String.format(Locale.ROOT, "%.1f", s.swapP99()) : "-",
                swapped ? Integer.toString(s.reachable()) : "-", s.pinned() < 0 ? "-" : Integer.toString(s.pinned()));
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine());
        root.put("parameters", parameters);
        root.put("scenarios", scenarios.stream().map(ScenarioResult::asMap).toList());
        if (!soak.isEmpty()) {
            root.put("soak", soak);
        }
        Files.createDirectories(file.getParent());
        StringBuilder json = new StringBuilder();
        write(json, root, "");
        Files.writeString(file, json.append('\n').toString());
        System.out.println("bench: figures written to " + file.toAbsolutePath());
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + " ("
                + System.getProperty("java.vendor") + ")");
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("jvmArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return machine;
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            out.append("{");
            String inner = indent + "  ";
            String separator = "\n";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator).append(inner);
                string(out, String.valueOf(entry.getKey()));
                out.append(": ");
                write(out, entry.getValue(), inner);
                separator = ",\n";
            }
            out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            out.append("[");
            String inner = indent + "  ";
            String separator = "\n";
            for (Object item : list) {
                out.append(separator).append(inner);
                write(out, item, inner);
                separator = ",\n";
            }
            out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (value instanceof Number || value instanceof Boolean || value == null) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
