package io.patchbay.console.internal;

import io.patchbay.patch.HistoryEntry;
import io.patchbay.patch.InstalledPackage;
import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchLevel;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.PinnedRevision;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import io.patchbay.patch.Strategy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code patch:*} console commands: a thin layer over {@link PatchManager} that prints what
 * a person wants to read (stages as they complete, tables) and fails the command, with one line
 * naming the cause, whenever the patch is refused or rolled back.
 *
 * <p>Gogo runs whichever overload of a command accepts the command line at the lowest conversion
 * cost, and among equals the first in the JVM's method order, which changes from one start to the
 * next. So no two overloads of a command accept the same command line: they differ in how many
 * arguments they take, and a shorter form takes no option the longer one lacks (so an option on
 * the line leaves no fewer arguments for the longer one). Every form takes {@code --help}.
 */
@Component(service = PatchCommands.class, property = {
    "osgi.command.scope=patch",
    "osgi.command.function=verify",
    "osgi.command.function=simulate",
    "osgi.command.function=apply",
    "osgi.command.function=list",
    "osgi.command.function=history",
    "osgi.command.function=status",
    "osgi.command.function=rollback",
    "osgi.command.function=levels"
})
public class PatchCommands {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    // Option texts shared by several commands; --help and Gogo's help both show them.
    private static final String STRATEGY_TEXT = "auto (default: handover where safe), refresh or handover";
    private static final String DOWNGRADE_TEXT = "allow bundles to go down in version";
    private static final String FILE_TEXT = "patch file (.dp)";
    private static final String HELP_TEXT = "show this text";

    private final PatchManager patches;

    @Activate
    public PatchCommands(@Reference PatchManager patches) {
        this.patches = patches;
    }

    @Descriptor("show how to use patch:verify")
    public void verify(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) throws PatchException {
        helpOrMissingFile("verify", help);
    }

    @Descriptor("check a patch's signature, digests, manifests and version rules; changes nothing")
    public void verify(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help,
            @Descriptor(FILE_TEXT) String file) throws PatchException {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "verify", System.out);
            return;
        }
        PrintStream out = System.out;
        PatchDescriptor d = patches.verify(resolve(session, file), options(session, false, false, Strategy.AUTO.toString()));
        out.println("Verified " + d.displayName() + (d.isFixPack() ? " (fix pack for " + d.fixPackRange() + ")" : ""));
        out.println("  signed by: " + (d.signers().isEmpty() ? "nobody (unsigned)" : String.join(", ", d.signers())));
        if (!d.description().isEmpty()) {
            out.println("  description: " + d.description());
        }
        for (PatchDescriptor.PatchBundle bundle : d.bundles()) {
            out.println("  " + bundle.symbolicName() + " " + bundle.version() + (bundle.missing() ? " (unchanged)" : ""));
        }
    }

    @Descriptor("show how to use patch:simulate")
    public void simulate(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) throws PatchException {
        helpOrMissingFile("simulate", help);
    }

    @Descriptor("show what applying a patch would do: changes, refresh closure, restarts, services, consumers")
    public void simulate(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help,
            @Descriptor(DOWNGRADE_TEXT) @Parameter(names = "--allow-downgrade",
                    presentValue = "true", absentValue = "false") boolean allowDowngrade,
            @Descriptor(STRATEGY_TEXT) @Parameter(names = "--strategy",
                    absentValue = "auto") String strategy,
            @Descriptor(FILE_TEXT) String file) throws PatchException {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "simulate", System.out);
            return;
        }
        PatchPlan plan = patches.simulate(resolve(session, file), options(session, false, allowDowngrade, strategy),
                progress());
        printPlan(plan, System.out);
    }

    @Descriptor("show how to use patch:apply")
    public void apply(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) throws PatchException {
        helpOrMissingFile("apply", help);
    }

    @Descriptor("verify, plan, apply and health-check a patch; rolled back automatically if anything is worse")
    public void apply(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help,
            @Descriptor("stop after the plan; change nothing") @Parameter(names = "--dry-run", presentValue = "true",
                    absentValue = "false") boolean dryRun,
            @Descriptor(DOWNGRADE_TEXT) @Parameter(names = "--allow-downgrade",
                    presentValue = "true", absentValue = "false") boolean allowDowngrade,
            @Descriptor(STRATEGY_TEXT) @Parameter(names = "--strategy",
                    absentValue = "auto") String strategy,
            @Descriptor(FILE_TEXT) String file) throws PatchException {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "apply", System.out);
            return;
        }
        print(patches.apply(resolve(session, file), options(session, dryRun, allowDowngrade, strategy), progress()));
    }

    @Descriptor("restore the bundles of the previous level (for a level made by a rollback: the one before the"
            + " level it restored)")
    public void rollback(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help,
            @Descriptor("show the plan; change nothing") @Parameter(names = "--dry-run", presentValue = "true",
                    absentValue = "false") boolean dryRun,
            @Descriptor(STRATEGY_TEXT) @Parameter(names = "--strategy",
                    absentValue = "auto") String strategy) throws PatchException {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "rollback", System.out);
            return;
        }
        print(patches.rollbackToPrevious(options(session, dryRun, false, strategy), progress()));
    }

    @Descriptor("restore the bundles of an earlier patch level")
    public void rollback(CommandSession session,
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help,
            @Descriptor("show the plan; change nothing") @Parameter(names = "--dry-run", presentValue = "true",
                    absentValue = "false") boolean dryRun,
            @Descriptor(STRATEGY_TEXT) @Parameter(names = "--strategy",
                    absentValue = "auto") String strategy,
            @Descriptor("the level to go back to; without it, the current level's PREVIOUS (patch:list)") int level)
            throws PatchException {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "rollback", System.out);
            return;
        }
        print(patches.rollback(level, options(session, dryRun, false, strategy), progress()));
    }

    /** The outcome's own line; a dry run shows its plan first, and a rollback fails the command. */
    private static void print(PatchOutcome outcome) throws PatchException {
        switch (outcome.result()) {
            case DRY_RUN -> {
                printPlan(outcome.plan(), System.out);
                System.out.println(outcome.message());
            }
            case COMMITTED -> System.out.println(outcome.message());
            case ROLLED_BACK -> throw new PatchException(Stage.ROLLBACK, outcome.message());
        }
    }

    @Descriptor("list the patch levels and the deployment packages installed")
    public void list(
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "list", System.out);
            return;
        }
        PrintStream out = System.out;
        List<PatchLevel> levels = patches.levels();
        int current = patches.currentLevel().number();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LEVEL", "COMMITTED", "PREVIOUS", "DESCRIPTION"});
        for (PatchLevel level : levels) {
            rows.add(new String[] {(level.number() == current ? "*" : " ") + level.number(),
                TIME.format(level.committedAt()), previous(level), level.description()});
        }
        table(rows, out);
        out.println();
        List<InstalledPackage> installed = patches.installedPackages();
        if (installed.isEmpty()) {
            out.println("No deployment packages installed (level " + current + ").");
            return;
        }
        List<String[]> packages = new ArrayList<>();
        packages.add(new String[] {"PACKAGE", "VERSION", "SINCE LEVEL"});
        for (InstalledPackage p : installed) {
            packages.add(new String[] {p.symbolicName(), p.version().toString(), Integer.toString(p.level())});
        }
        table(packages, out);
    }

    @Descriptor("the numbers of the committed levels, oldest first (used by tab completion)")
    public List<String> levels(
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "levels", System.out);
            return null;
        }
        return patches.levels().stream().map(level -> Integer.toString(level.number())).toList();
    }

    @Descriptor("show every patch operation: who asked, how it ended, and why")
    public void history(
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "history", System.out);
            return;
        }
        Map<Integer, PatchLevel> levels = new HashMap<>();
        patches.levels().forEach(level -> levels.put(level.number(), level));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WHEN", "OPERATION", "SUBJECT", "OPERATOR", "OUTCOME", "LEVEL", "PREVIOUS", "REASON"});
        for (HistoryEntry entry : patches.history()) {
            // The previous level belongs to a level made: shown where the operation made one.
            PatchLevel made = entry.outcome().equals("committed") ? levels.get(entry.level()) : null;
            rows.add(new String[] {TIME.format(entry.at()), entry.operation(), entry.subject(), entry.operator(),
                entry.outcome(), Integer.toString(entry.level()), made == null ? "" : previous(made), entry.reason()});
        }
        table(rows, System.out);
    }

    @Descriptor("show the current patch level and its bundles")
    public void status(
            @Descriptor(HELP_TEXT) @Parameter(names = "--help", presentValue = "true",
                    absentValue = "false") boolean help) {
        if (help) {
            CommandHelp.print(PatchCommands.class, "patch", "status", System.out);
            return;
        }
        PrintStream out = System.out;
        PatchLevel level = patches.currentLevel();
        out.println("Patch level " + level.number() + ": " + level.description() + " (committed "
                + TIME.format(level.committedAt()) + ")");
        out.println("Busy: " + (patches.busy() ? "yes, other operations are refused" : "no"));
        out.println(patches.uninstalledBundleCleaner());
        List<HistoryEntry> history = patches.history();
        if (!history.isEmpty()) {
            HistoryEntry last = history.get(history.size() - 1);
            out.println("Last operation: " + last.operation() + " " + last.subject() + ", " + last.outcome()
                    + (last.reason().isEmpty() ? "" : " (" + last.reason() + ")"));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BUNDLE", "VERSION"});
        level.bundles().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> rows.add(new String[] {e.getKey(), e.getValue()}));
        table(rows, out);
        List<PinnedRevision> pinned = patches.pinnedRevisions();
        if (pinned.isEmpty()) {
            out.println("Retired revisions: none left in memory.");
            return;
        }
        out.println("Retired revisions still in memory (leaks): " + pinned.size());
        for (PinnedRevision revision : pinned) {
            out.println("  " + revision.symbolicName() + " " + revision.version() + ", retired by " + revision.retiredBy());
            revision.heldBy().forEach(h -> out.println("    held by: " + h));
        }
    }

    /** The form of a command that needs a patch file and was given none: its help, or an error. */
    private static void helpOrMissingFile(String function, boolean help) throws PatchException {
        if (!help) {
            throw new PatchException(Stage.RECEIVE, "patch:" + function + " needs a patch file; patch:" + function
                    + " --help shows how to use it");
        }
        CommandHelp.print(PatchCommands.class, "patch", function, System.out);
    }

    static void printPlan(PatchPlan plan, PrintStream out) {
        out.println("Plan for " + (plan.patch() == null ? "rollback" : plan.patch().displayName()) + ": strategy "
                + plan.strategy() + " (" + plan.reason() + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  CHANGE", "BUNDLE", "FROM", "TO"});
        for (PatchPlan.BundleChange change : plan.changes()) {
            rows.add(new String[] {"  " + change.kind(), change.symbolicName(),
                change.from() == null ? "-" : change.from().toString(), change.to() == null ? "-" : change.to().toString()});
        }
        table(rows, out);
        boolean handover = plan.strategy() == Strategy.HANDOVER;
        out.println("  Refreshed:  " + orNone(plan.closure()) + (handover ? " (the old revision only)" : ""));
        out.println("  Restarted:  " + orNone(plan.restarted()));
        out.println(handover ? "  Services replaced (the new one is registered before the old one goes):"
                : "  Services that go away and come back:");
        plan.services().forEach(s -> out.println("    " + s));
        if (plan.services().isEmpty()) {
            out.println("    (none)");
        }
        out.println((handover ? "  Components replaced: " : "  Components restarted: ") + orNone(plan.components()));
        out.println("  Consumers that see a gap: " + orNone(plan.consumers()));
        plan.notes().forEach(n -> out.println("  Note: " + n));
    }

    /** The level patch:rollback without a level goes back to from {@code level}, or "-" for none. */
    private static String previous(PatchLevel level) {
        return level.previous() < 0 ? "-" : Integer.toString(level.previous());
    }

    private static String orNone(List<String> items) {
        return items.isEmpty() ? "(none)" : String.join(", ", items);
    }

    private static ProgressListener progress() {
        PrintStream out = System.out;
        return (stage, took, summary) -> {
            out.printf(Locale.ROOT, "  %-8s %6d ms  %s%n", stage, took.toMillis(), summary);
            out.flush();
        };
    }

    private static PatchOptions options(CommandSession session, boolean dryRun, boolean allowDowngrade, String strategy)
            throws PatchException {
        try {
            return new PatchOptions(dryRun, allowDowngrade, operator(session), Strategy.parse(strategy));
        } catch (IllegalArgumentException e) {
            throw new PatchException(Stage.RECEIVE, e.getMessage());
        }
    }

    static String operator(CommandSession session) {
        Object operator = session == null ? null : session.get("patchbay.operator");
        return operator == null ? "console:" + System.getProperty("user.name") : operator.toString();
    }

    static Path resolve(CommandSession session, String file) {
        Path path = Path.of(file);
        if (path.isAbsolute() || session == null || session.currentDir() == null) {
            return path.toAbsolutePath();
        }
        return session.currentDir().resolve(path).normalize();
    }

    static void table(List<String[]> rows, PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == 0 ? "" : "  ").append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
