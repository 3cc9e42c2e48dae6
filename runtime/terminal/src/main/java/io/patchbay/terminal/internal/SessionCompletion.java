package io.patchbay.terminal.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.service.command.CommandSession;
import org.jline.builtins.Completers.CompletionData;
import org.jline.builtins.Completers.CompletionEnvironment;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from a Gogo session: the commands it knows and the completions the profile
 * declared with {@code complete} (Patchbay's patch commands, their options and arguments).
 */
final class SessionCompletion implements CompletionEnvironment {

    private final CommandSession session;

    SessionCompletion(CommandSession session) {
        this.session = session;
    }

    @Override
    public Map<String, List<CompletionData>> getCompletions() {
        return Shell.getCompletions(session);
    }

    @Override
    public Set<String> getCommands() {
        return Shell.getCommands(session);
    }

    @Override
    public String resolveCommand(String command) {
        return Shell.resolve(session, command);
    }

    @Override
    public String commandName(String command) {
        return command.substring(command.indexOf(':') + 1);
    }

    /** Runs a completion function such as {@code __files}, which reads the line being completed. */
    @Override
    public Object evaluate(LineReader reader, ParsedLine line, String function) throws Exception {
        session.put(Shell.VAR_COMMAND_LINE, line);
        return session.execute(function);
    }
}
