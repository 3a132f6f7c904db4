package io.sensorcast.cli.model;

import io.sensorcast.cli.options.EngineOptions;
import io.sensorcast.model.engine.EngineFacts;
import io.sensorcast.model.engine.KernelCheckException;
import io.sensorcast.model.engine.RecurrentSelfCheck;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sensorcast doctor}: what the engine runs on and whether libtorch's recurrent op computes
 * the gate equations, case by case. The first command to run when numbers look wrong.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Load libtorch as every sensorcast job does and print the facts (libtorch version, CPU,"
                    + " oneDNN instruction-set cap, threads, GPUs) and the recurrent op's"
                    + " known-answer self-check, case by case. Exit code 1 when the check fails."
        })
public final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EngineFacts facts = engine.facts();
        out.printf(Locale.ROOT, "engine        %s%n", facts.engine());
        out.printf(Locale.ROOT, "cpu           %s%n", facts.cpu());
        out.printf(Locale.ROOT, "oneDNN cap    %s%n", facts.isa());
        out.printf(
                Locale.ROOT,
                "threads       intra-op %s, inter-op %d%n",
                facts.intraOpThreads() == 0 ? "default (one per core)" : facts.intraOpThreads(),
                facts.interOpThreads());
        out.printf(Locale.ROOT, "gpus          %d%n", facts.gpus());
        out.printf(Locale.ROOT, "libtorch in   %s%n", facts.cacheDir());
        for (RecurrentSelfCheck.Report report : facts.checks()) {
            out.printf(
                    Locale.ROOT,
                    "self-check on %s (tolerance %.0e):%n",
                    report.device(),
                    report.tolerance());
            for (RecurrentSelfCheck.CaseResult r : report.results()) {
                out.printf(
                        Locale.ROOT,
                        "  %-4s %.2e  %s%n",
                        r.maxError() <= report.tolerance() ? "ok" : "FAIL",
                        r.maxError(),
                        r.checked());
            }
        }
        if (!facts.passed()) {
            out.println();
            out.println(new KernelCheckException(facts).getMessage());
            return 1;
        }
        out.println("all good: the recurrent op matches the gate equations");
        return 0;
    }
}
