package io.patchbay.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code patch:*} commands as Gogo sees them. Gogo runs the overload that accepts a command
 * line at the lowest conversion cost and, among equals, the first in the JVM's method order, which
 * differs from one start to the next; so every command line must be accepted by at most one form
 * of a command. This asks Gogo's own matcher about each form separately, for every command line
 * made of the command's options, an option value, a file name and a number, so the answer does
 * not depend on the order in which the JVM lists the methods.
 */
class PatchCommandFormsTest {

    /** The longest command lines tried: each option once plus an argument, or an option twice. */
    static final int MAX_WORDS = 4;

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @AfterEach
    void stopGogo() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    @Test
    void noCommandLineIsAcceptedByTwoFormsOfAPatchCommand() {
        PatchCommands commands = new PatchCommands(null);
        List<String> ambiguous = new ArrayList<>();
        for (String function : registeredFunctions()) {
            List<Method> forms = forms(function);
            for (List<String> line : lines(words(forms))) {
                List<String> accepting = new ArrayList<>();
                for (Method form : forms) {
                    if (accepts(commands, form, line)) {
                        accepting.add(function + Arrays.stream(form.getParameterTypes()).map(Class::getSimpleName)
                                .toList());
                    }
                }
                if (accepting.size() > 1) {
                    ambiguous.add("patch:" + function + " " + String.join(" ", line) + " -> " + accepting);
                }
            }
        }
        assertEquals(List.of(), ambiguous.stream().limit(10).toList(), ambiguous.size() + " ambiguous command lines");
    }

    @Test
    void everyPatchCommandTakesHelp() {
        PatchCommands commands = new PatchCommands(null);
        List<String> without = new ArrayList<>();
        for (String function : registeredFunctions()) {
            if (forms(function).stream().noneMatch(form -> accepts(commands, form, List.of("--help")))) {
                without.add(function);
            }
        }
        assertEquals(List.of(), without);
    }

    /** patch:rollback through a real Gogo session: without a level it asks for the previous one. */
    @Test
    void rollbackWithoutALevelRestoresThePreviousLevel() throws Exception {
        List<Object> restored = new CopyOnWriteArrayList<>();
        PatchManager patches = (PatchManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PatchManager.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "rollbackToPrevious" -> {
                        restored.add("previous");
                        yield new PatchOutcome(PatchOutcome.Result.COMMITTED, 4, "rollback", null, Map.of(), 0);
                    }
                    case "rollback" -> {
                        restored.add(args[0]);
                        yield new PatchOutcome(PatchOutcome.Result.COMMITTED, 4, "rollback", null, Map.of(),
                                (Integer) args[0]);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        processor.addCommand("patch", new PatchCommands(patches));
        session.execute("patch:rollback");
        assertEquals(List.of("previous"), restored);
        session.execute("patch:rollback 2");
        assertEquals(List.of("previous", 2), restored);
        session.execute("patch:rollback --help");
        assertEquals(List.of("previous", 2), restored, "--help rolls nothing back");
    }

    /** Whether Gogo's matcher accepts {@code line} for this one form (its private per-method step). */
    private boolean accepts(Object target, Method form, List<String> line) {
        try {
            Method coerce = Reflective.class.getDeclaredMethod("coerce", CommandSession.class, Object.class,
                    Method.class, Class[].class, Object[].class, List.class);
            coerce.setAccessible(true);
            Class<?>[] types = form.getParameterTypes();
            int cost = (int) coerce.invoke(null, session, target, form, types, new Object[types.length],
                    new ArrayList<Object>(line));
            return cost >= 0;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Gogo's matcher cannot be asked: " + e, e);
        }
    }

    /** Every public method of the class: each command function the component registers is one. */
    private static Set<String> registeredFunctions() {
        Set<String> functions = new TreeSet<>();
        for (Method method : PatchCommands.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())) {
                functions.add(method.getName());
            }
        }
        assertTrue(functions.containsAll(List.of("verify", "simulate", "apply", "rollback", "list", "levels",
                "history", "status")), functions.toString());
        return functions;
    }

    private static List<Method> forms(String function) {
        List<Method> forms = Arrays.stream(PatchCommands.class.getMethods())
                .filter(m -> m.getName().equalsIgnoreCase(function) && Modifier.isPublic(m.getModifiers()))
                .toList();
        assertFalse(forms.isEmpty(), "no method for patch:" + function);
        return forms;
    }

    /** Every option any form takes, a value for options that take one, a file name and a level. */
    private static List<String> words(List<Method> forms) {
        Set<String> words = new LinkedHashSet<>();
        for (Method form : forms) {
            for (java.lang.annotation.Annotation[] annotations : form.getParameterAnnotations()) {
                for (java.lang.annotation.Annotation annotation : annotations) {
                    if (annotation instanceof Parameter option) {
                        words.addAll(List.of(option.names()));
                    }
                }
            }
        }
        words.addAll(List.of("auto", "fix.dp", "1"));
        return List.copyOf(words);
    }

    private static List<List<String>> lines(List<String> words) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of());
        for (int from = 0; from < lines.size(); from++) {
            List<String> line = lines.get(from);
            if (line.size() < MAX_WORDS) {
                for (String word : words) {
                    List<String> longer = new ArrayList<>(line);
                    longer.add(word);
                    lines.add(longer);
                }
            }
        }
        return lines;
    }
}
