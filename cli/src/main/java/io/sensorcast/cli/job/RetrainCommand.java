package io.sensorcast.cli.job;

import io.sensorcast.cli.options.JobOptions;
import io.sensorcast.pipeline.config.OptionChecks;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sensorcast retrain}: RetrainJob on a Flink MiniCluster in this JVM. */
@Command(
        name = "retrain",
        mixinStandardHelpOptions = true,
        description = {
            "Run RetrainJob in this JVM: per model group, train a candidate on the readings topic,"
                    + " judge it against the model in service and the baselines on the newest"
                    + " slice, publish the winners to the model store and the model-updates topic;"
                    + " every decision goes to the retrain-reports topic.",
            "Once by default; --every runs a round every interval until Ctrl-C."
        })
public final class RetrainCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin JobOptions job;

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            description = "Periodic mode: a round every DURATION, e.g. 10min.")
    String every;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = job.configuration();
        if (every != null) {
            config.set(RetrainOptions.MODE, RetrainOptions.Mode.PERIODIC);
            config.set(RetrainOptions.INTERVAL, OptionChecks.duration("--every", every));
        }
        Configuration flink = new Configuration();
        flink.set(
                CoreOptions.DEFAULT_PARALLELISM,
                job.parallelism != null
                        ? job.parallelism
                        : Runtime.getRuntime().availableProcessors());
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true), "retrain-stop"));
        out.printf(
                "RetrainJob (%s) on %s, models in %s%n",
                RetrainOptions.mode(config).name().toLowerCase(java.util.Locale.ROOT),
                job.kafka.bootstrap(),
                job.models);
        out.flush();
        RetrainJob.run(config, flink, new BiLstmTrainer(), rounds -> stop.get());
        return 0;
    }
}
