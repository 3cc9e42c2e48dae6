package io.patchbay.console.internal;

import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;

/**
 * The {@code --help} text of a console command, read from the same {@link Descriptor} and
 * {@link Parameter} annotations that Gogo's {@code help} shows, so the two can never disagree.
 */
final class CommandHelp {

    static final String HELP_OPTION = "--help";

    private CommandHelp() {
    }

    static void print(Class<?> commands, String scope, String function, PrintStream out) {
        List<Method> forms = Arrays.stream(commands.getMethods())
                .filter(m -> m.getName().equals(function) && Modifier.isPublic(m.getModifiers()))
                .sorted(Comparator.comparingInt(Method::getParameterCount))
                .toList();
        // The fullest form describes the command; the --help-only form just points here.
        String summary = "";
        for (Method form : forms) {
            Descriptor descriptor = form.getAnnotation(Descriptor.class);
            summary = descriptor == null ? summary : descriptor.value();
        }
        out.println(scope + ":" + function + " - " + summary);
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> arguments = new LinkedHashMap<>();
        for (Method form : forms) {
            List<String> usage = new ArrayList<>();
            Class<?>[] types = form.getParameterTypes();
            Annotation[][] annotations = form.getParameterAnnotations();
            for (int i = 0; i < types.length; i++) {
                if (types[i] == CommandSession.class) {
                    continue;
                }
                Parameter option = find(annotations[i], Parameter.class);
                Descriptor descriptor = find(annotations[i], Descriptor.class);
                String text = descriptor == null ? "" : descriptor.value();
                if (option != null) {
                    String name = option.names()[option.names().length - 1];
                    String shown = types[i] == boolean.class ? name : name + " VALUE";
                    options.putIfAbsent(shown, text);
                    if (!name.equals(HELP_OPTION)) {
                        usage.add("[" + shown + "]");
                    }
                } else {
                    String name = types[i] == int.class ? "LEVEL" : "FILE";
                    usage.add(name);
                    arguments.putIfAbsent(name, text);
                }
            }
            // The --help-only form (and a command with no other options) has no usage line of its own.
            if (!usage.isEmpty()) {
                out.println("Usage: " + scope + ":" + function + " " + String.join(" ", usage));
            }
        }
        options.putIfAbsent(HELP_OPTION, "show this text");
        int width = 2 + Math.max(options.keySet().stream().mapToInt(String::length).max().orElse(0),
                arguments.keySet().stream().mapToInt(String::length).max().orElse(0));
        options.forEach((name, text) -> out.printf("  %-" + width + "s%s%n", name, text));
        arguments.forEach((name, text) -> out.printf("  %-" + width + "s%s%n", name, text));
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        for (Annotation annotation : annotations) {
            if (type.isInstance(annotation)) {
                return type.cast(annotation);
            }
        }
        return null;
    }
}
