package io.patchbay.management.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request's query parameters, read from the query string only (never from a form body: the
 * body of a POST is the patch file). Unknown, repeated and malformed parameters are refused
 * with 400, the way the launcher refuses an unknown option: a mistyped {@code simulate} must
 * not apply a patch.
 */
final class Query {

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    static Query parse(String queryString, Set<String> allowed) throws ApiError {
        Map<String, String> values = new HashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return new Query(values);
        }
        for (String pair : queryString.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!allowed.contains(name)) {
                throw new ApiError(400, "unknown query parameter '" + name + "'"
                        + (allowed.isEmpty() ? "; this endpoint takes none" : "; known: " + String.join(", ", allowed.stream().sorted().toList())));
            }
            if (values.put(name, value) != null) {
                throw new ApiError(400, "query parameter '" + name + "' is given more than once");
            }
        }
        return new Query(values);
    }

    /** @return {@code true} or {@code false} as given, or the default when absent */
    boolean flag(String name, boolean absent) throws ApiError {
        String value = values.get(name);
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiError(400, "query parameter '" + name + "' must be true or false, not '"
                    + shortened(value) + "'");
        };
    }

    /** @return a whole number of at least 0, or {@code null} when absent */
    Integer level(String name) throws ApiError {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            int level = Integer.parseInt(value);
            if (level >= 0) {
                return level;
            }
        } catch (NumberFormatException e) {
            // the error below says what is wanted
        }
        throw new ApiError(400, "query parameter '" + name + "' must be a patch level (0 or more), not '"
                + shortened(value) + "'");
    }

    String text(String name) {
        return values.get(name);
    }

    static String shortened(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }

    private static String decode(String raw) throws ApiError {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "malformed query string: " + shortened(raw));
        }
    }
}
