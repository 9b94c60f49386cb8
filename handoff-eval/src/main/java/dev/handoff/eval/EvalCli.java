package dev.handoff.eval;

import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: replays a corpus through one or more trigger policies and prints the scores.
 *
 * <pre>
 * trigger [--corpus FILE_OR_DIR | --heldout] [--policy PRESET_OR_FILE]... [--diff]
 * observer [--corpus FILE_OR_DIR] [--diff [tuning|holdout|all]]
 * </pre>
 * Without {@code --corpus} the shipped corpus is used; without {@code --policy} every preset is compared. A
 * policy is a preset name ({@code default}, {@code high-gate}, ...) or a YAML file (its {@code name} is the policy
 * name the cases' {@code presets} and {@code trigger@<name>} labels refer to). {@code --diff} lists every case whose
 * outcome differs from its label. {@code observer} scores the default (deterministic) observer field by field on the
 * shipped observer corpus (or yours); {@code --diff} lists the failed checks of the tuning cases (or of the split
 * named). Exit code 0, or 2 on bad arguments.
 */
public final class EvalCli {

    private EvalCli() {
    }

    /**
     * Runs the command line and exits with its status: 0, or 2 on bad arguments (the commands are in the class comment).
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("observer")) {
            return observer(args, out, err);
        }
        if (args.length == 0 || !args[0].equals("trigger")) {
            err.println("usage: trigger [--corpus FILE_OR_DIR | --heldout] [--policy PRESET_OR_FILE]... [--diff]");
            err.println("       observer [--corpus FILE_OR_DIR] [--diff [tuning|holdout|all]]");
            return 2;
        }
        Path corpusPath = null;
        List<TriggerPolicy> policies = new ArrayList<>();
        boolean diff = false;
        boolean heldOut = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpusPath = Path.of(args[++i]);
                case "--policy" -> policies.add(policy(args[++i]));
                case "--diff" -> diff = true;
                case "--heldout" -> heldOut = true;
                default -> {
                    err.println("unknown argument: " + args[i]);
                    return 2;
                }
            }
        }
        if (policies.isEmpty()) {
            for (TriggerPolicy.Preset p : TriggerPolicy.Preset.values()) {
                policies.add(TriggerPolicy.preset(p));
            }
        }
        if (heldOut && corpusPath != null) {
            err.println("--heldout and --corpus exclude each other");
            return 2;
        }
        Corpus corpus = heldOut ? Corpus.heldOut() : corpusPath == null ? Corpus.shipped() : Corpus.load(corpusPath);
        List<TriggerReport> reports = new ArrayList<>();
        for (TriggerPolicy p : policies) {
            TriggerReport r = new TriggerEvaluation().run(corpus, p.name(), new RuleTriggerEvaluator(p));
            reports.add(r);
            out.println(r.render(diff));
        }
        if (reports.size() > 1) {
            out.println(TriggerReport.compare(reports));
        }
        return 0;
    }

    private static int observer(String[] args, PrintStream out, PrintStream err) {
        Path corpusPath = null;
        ObserverReport.Split diff = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpusPath = Path.of(args[++i]);
                case "--diff" -> {
                    diff = ObserverReport.Split.TUNING;
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        try {
                            diff = ObserverReport.Split.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            err.println("--diff takes tuning, holdout or all, was " + args[i]);
                            return 2;
                        }
                    }
                }
                default -> {
                    err.println("unknown argument: " + args[i]);
                    return 2;
                }
            }
        }
        Corpus corpus = corpusPath == null ? Corpus.shippedObserver() : Corpus.load(corpusPath);
        out.println(new ObserverEvaluation().run(corpus, "default", new DeterministicSummarizer()).render(diff));
        return 0;
    }

    private static TriggerPolicy policy(String arg) {
        Path p = Path.of(arg);
        if (Files.isRegularFile(p)) {
            return TriggerPolicy.load(p);
        }
        for (TriggerPolicy.Preset preset : TriggerPolicy.Preset.values()) {
            if (preset.resourceName().equals(arg) || preset.name().equalsIgnoreCase(arg)) {
                return TriggerPolicy.preset(preset);
            }
        }
        throw new IllegalArgumentException("no preset or file named " + arg);
    }
}
