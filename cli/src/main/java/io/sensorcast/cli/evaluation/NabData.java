package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.BundledData;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The NAB corpus a command runs on: data files and label windows, the bundled ones by default. */
final class NabData {

    @Option(names = "--data", paramLabel = "DIR", description = "NAB data (default: bundled).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "combined_windows.json.")
    Path labels;

    /** The data directory: {@code --data}, else the bundled {@code nab/data}. */
    Path dataDir() {
        return data != null ? data : BundledData.dir().resolve("nab/data");
    }

    /** The label windows by {@code category/file.csv}. */
    Map<String, List<NabScorer.Window>> windows() throws IOException {
        return NabCorpus.windows(
                labels != null
                        ? labels
                        : BundledData.dir().resolve("nab/labels/combined_windows.json"));
    }

    /** The data files, in name order; at least one. */
    List<Path> files() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dataDir())) {
            files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--data " + dataDir() + " holds no .csv files");
        }
        return files;
    }

    /** A data file's name as the labels key it: {@code category/file.csv}. */
    String name(Path file) {
        return dataDir().relativize(file).toString().replace('\\', '/');
    }
}
