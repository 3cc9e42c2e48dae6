package io.patchbay.it.hostile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.patchbay.it.InFrameworkTest;
import io.patchbay.it.RuntimeState;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Every patch of the hostile corpus, applied to a running appliance: each must be refused at
 * the right stage with one line naming the cause, and leave bundles, versions, states, services
 * and components exactly as they were. Prints the corpus and each answer, for the record.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileCorpusIT extends InFrameworkTest {

    static final String CORPUS = "patchbay.hostile.corpus";

    @Inject
    PatchManager patches;

    @Configuration
    @Override
    public Option[] configuration() {
        try {
            Path folder = Files.createTempDirectory("hostile");
            StringBuilder index = new StringBuilder();
            for (HostileCorpus.Case c : HostileCorpus.generate(folder)) {
                index.append(c.file()).append('\t').append(c.stage()).append('\t').append(c.expected()).append('\n');
            }
            Files.writeString(folder.resolve("corpus.tsv"), index);
            System.setProperty(CORPUS, folder.toString());
            return super.configuration();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the hostile corpus", e);
        }
    }

    @Test
    public void everyHostilePatchIsRefusedWithOneLineAndChangesNothing() throws Exception {
        Path folder = Path.of(System.getProperty(CORPUS));
        List<String> lines = Files.readAllLines(folder.resolve("corpus.tsv"));
        assertTrue("at least 30 cases, got " + lines.size(), lines.size() >= 30);
        int port = port();
        io.patchbay.it.Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=5"));
        io.patchbay.it.Await.until("every demo component active", STARTUP, () -> RuntimeState.of(context, scr)
                .components().entrySet().stream().filter(e -> e.getKey().startsWith("io.patchbay.demo."))
                .allMatch(e -> e.getValue().equals("8")));
        List<String> failures = new ArrayList<>();
        System.out.println("\nHostile corpus: " + lines.size() + " patches");
        for (String line : lines) {
            String[] fields = line.split("\t", 3);
            String file = fields[0];
            Stage stage = Stage.valueOf(fields[1]);
            String expected = fields[2];
            RuntimeState before = RuntimeState.of(context, scr);
            int level = patches.currentLevel().number();
            String answer;
            try {
                patches.apply(folder.resolve(file), PatchOptions.DEFAULT, ProgressListener.NONE);
                answer = "APPLIED";
                failures.add(file + ": was not refused");
            } catch (PatchException e) {
                answer = e.stage() + ": " + e.getMessage();
                if (e.stage() != stage || !e.getMessage().contains(expected) || e.getMessage().contains("\n")) {
                    failures.add(file + ": expected " + stage + " containing '" + expected + "', got " + answer);
                }
            }
            System.out.println("  " + file + " -> " + answer);
            if (patches.currentLevel().number() != level) {
                failures.add(file + ": the level changed");
            }
            if (!before.equals(RuntimeState.of(context, scr))) {
                failures.add(file + ": the runtime changed");
            }
        }
        assertEquals("refusals that were wrong:\n" + String.join("\n", failures), 0, failures.size());
    }
}
