package org.proxynas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.proxynas.cli.ProxyNas;
import picocli.CommandLine;

/**
 * Every {@code proxynas ...} command line the README and docs/ show, in code blocks and in inline code, names a
 * command that exists and only flags that command has: a renamed or removed flag cannot survive in the docs.
 */
class DocsCommandLinesTest {
    private static final Pattern INLINE = Pattern.compile("`((?:\\./)?proxynas [^`]*)`");

    @Test
    void everyDocumentedCommandLineUsesOnlyFlagsItsCommandHas() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (Path doc : docs) {
            for (String line : commandLines(Files.readString(doc))) {
                String problem = check(line);
                if (problem != null) {
                    wrong.add(doc + ": " + problem + ": " + line);
                }
                checked++;
            }
        }
        assertThat(checked).as("command lines found").isGreaterThan(30);
        assertThat(wrong).isEmpty();
    }

    /** The command lines of a Markdown text: code-block lines (continuations joined) and inline code spans. */
    static List<String> commandLines(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean code = false;
        StringBuilder pending = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (code) {
                pending.append(line.replaceAll("\\\\$", " "));
                if (!line.endsWith("\\")) {
                    String joined = pending.toString().replaceAll("\\s+#.*$", "");
                    if (joined.matches(".*(^|\\s)(\\./)?proxynas \\S.*")) {
                        lines.add(joined.substring(joined.indexOf("proxynas ")));
                    }
                    pending.setLength(0);
                }
            } else {
                Matcher m = INLINE.matcher(line);
                while (m.find()) {
                    lines.add(m.group(1).replaceFirst("^\\./", ""));
                }
            }
        }
        return lines;
    }

    /** Whether the command has the flag, negated forms of negatable options included. */
    private static boolean hasOption(CommandLine command, String flag) {
        if (command.getCommandSpec().findOption(flag) != null) {
            return true;
        }
        CommandLine.Model.OptionSpec positive = flag.startsWith("--no-")
                ? command.getCommandSpec().findOption("--" + flag.substring("--no-".length())) : null;
        return positive != null && positive.negatable();
    }

    /** Why {@code line} (starting with "proxynas ") names no command or a flag its command lacks; null if it does not. */
    static String check(String line) {
        String[] words = line.trim().split("\\s+");
        CommandLine command = ProxyNas.commandLine();
        int i = 1;
        while (i < words.length && command.getSubcommands().containsKey(words[i])) {
            command = command.getSubcommands().get(words[i]);
            i++;
        }
        if (i == 1 && i < words.length && !words[i].startsWith("-") && !words[i].startsWith("<")) {
            return "no command '" + words[i] + "'";
        }
        for (; i < words.length; i++) {
            String flag = words[i].replaceAll("^[\\[(|]+", "").replaceAll("[\\])|,.;:]+$", "").replaceFirst("=.*", "");
            if (flag.startsWith("--") && flag.length() > 2 && !hasOption(command, flag)) {
                return command.getCommandSpec().qualifiedName() + " has no " + flag;
            }
        }
        return null;
    }
}
