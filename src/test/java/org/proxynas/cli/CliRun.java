package org.proxynas.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One run of the command line as a user makes it, in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        CommandLine cl = ProxyNas.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
