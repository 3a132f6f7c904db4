package io.sensorcast.model.evaluation.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Numenta Anomaly Benchmark's scoring, as NAB's own sweeper computes it: each labelled window
 * counts once, at its earliest detection, weighted by a scaled sigmoid of the detection's relative
 * position in the window ({@code 2/(1+e^(5y)) - 1}); a missed window costs the profile's {@code
 * fnWeight}; detections outside windows cost {@code fpWeight} times the sigmoid of their distance
 * past the previous window (-1 when none precedes); the first {@code min(floor(0.15 n), 750)} rows
 * of a file are probationary and not scored. One threshold is chosen for the whole corpus (the one
 * with the highest total), and the total is normalised between a null detector (a constant score)
 * and a perfect one (a detection at the start of every window): {@code 100 (S - S_null) /
 * (S_perfect - S_null)}.
 */
public final class NabScorer {

    /** One data file: its rows' timestamps and the detector's scores, and its label windows. */
    public record DataFile(
            String name, List<LocalDateTime> timestamps, double[] scores, List<Window> windows) {}

    /** A labelled anomaly window, both ends inclusive and on rows of the file. */
    public record Window(LocalDateTime start, LocalDateTime end) {}

    /** The score of a threshold: detections are rows scoring at or above it. */
    public record ThresholdScore(double threshold, double score, int tp, int fp) {}

    /** A scored corpus. */
    public record Result(
            String profile,
            double threshold,
            double score,
            double nullScore,
            double perfectScore,
            double normalized,
            Map<String, Double> byFile) {}

    private record Point(double anomalyScore, double sweepScore, String window, boolean scorable) {}

    private static final String FP = "\u0000fp";

    private final NabProfile profile;

    public NabScorer(NabProfile profile) {
        this.profile = profile;
    }

    /** NAB's {@code scaledSigmoid}: 0.98661 at -1 (a window's left edge), 0 at 0, -1 beyond 3. */
    public static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
    }

    /** Rows at the start of a file that are not scored: {@code min(floor(0.15 n), 750)}. */
    public static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    /** Scores the corpus at its best threshold and normalises it. */
    public Result score(List<DataFile> corpus) {
        List<Point> all = new ArrayList<>();
        for (DataFile f : corpus) {
            all.addAll(sweep(f, f.scores()));
        }
        ThresholdScore best = best(byThreshold(all));
        Map<String, Double> byFile = new LinkedHashMap<>();
        double total = 0;
        for (DataFile f : corpus) {
            double s = at(byThreshold(sweep(f, f.scores())), best.threshold()).score();
            byFile.put(f.name(), s);
            total += s;
        }
        double nullScore = bestTotal(corpus, f -> constant(f.timestamps().size(), 0.5));
        double perfect = bestTotal(corpus, NabScorer::perfect);
        double normalized = 100 * (total - nullScore) / (perfect - nullScore);
        return new Result(
                profile.name(), best.threshold(), total, nullScore, perfect, normalized, byFile);
    }

    /** Every threshold's score for the given points, from the highest threshold down. */
    List<ThresholdScore> byThreshold(List<Point> points) {
        List<Point> scorable =
                points.stream()
                        .filter(Point::scorable)
                        .sorted(Comparator.comparingDouble(Point::anomalyScore).reversed())
                        .toList();
        Map<String, Double> parts = new HashMap<>();
        parts.put(FP, 0.0);
        for (Point p : scorable) {
            if (p.window() != null) {
                parts.put(p.window(), -profile.fnWeight());
            }
        }
        List<ThresholdScore> out = new ArrayList<>();
        double threshold = 1.1;
        int tp = 0;
        int fp = 0;
        for (Point p : scorable) {
            if (p.anomalyScore() != threshold) {
                out.add(new ThresholdScore(threshold, sum(parts), tp, fp));
                threshold = p.anomalyScore();
            }
            if (p.window() == null) {
                fp++;
                parts.merge(FP, p.sweepScore(), Double::sum);
            } else {
                tp++;
                parts.merge(p.window(), p.sweepScore(), Math::max);
            }
        }
        out.add(new ThresholdScore(threshold, sum(parts), tp, fp));
        return out;
    }

    /** NAB's {@code calcSweepScore}: each row's score if it were a detection. */
    List<Point> sweep(DataFile f, double[] scores) {
        List<LocalDateTime> ts = f.timestamps();
        if (scores.length != ts.size()) {
            throw new IllegalArgumentException(
                    f.name() + ": " + scores.length + " scores for " + ts.size() + " rows");
        }
        Map<LocalDateTime, Integer> index = new HashMap<>();
        for (int i = 0; i < ts.size(); i++) {
            index.putIfAbsent(ts.get(i), i);
        }
        List<Window> windows = new ArrayList<>(f.windows());
        double maxTp = scaledSigmoid(-1.0);
        int probation = probationaryLength(ts.size());
        List<Point> out = new ArrayList<>(ts.size());
        Window current = null;
        String currentName = null;
        double width = 0;
        int right = 0;
        Integer previousRight = null;
        double previousWidth = 0;
        for (int i = 0; i < ts.size(); i++) {
            if (!windows.isEmpty() && ts.get(i).equals(windows.get(0).start())) {
                current = windows.remove(0);
                currentName = f.name() + "|" + current.start();
                Integer r = index.get(current.end());
                if (r == null) {
                    throw new IllegalArgumentException(
                            f.name() + ": window end " + current.end() + " is not a row");
                }
                right = r;
                width = right - i + 1;
            }
            double weighted;
            if (current != null) {
                double position = -(right - i + 1) / width;
                weighted = scaledSigmoid(position) * profile.tpWeight() / maxTp;
            } else if (previousRight == null) {
                weighted = -1.0 * profile.fpWeight();
            } else {
                double position = Math.abs(previousRight - i) / (previousWidth - 1);
                weighted = scaledSigmoid(position) * profile.fpWeight();
            }
            out.add(new Point(scores[i], weighted, currentName, i >= probation));
            if (current != null && ts.get(i).equals(current.end())) {
                previousRight = i;
                previousWidth = width;
                current = null;
                currentName = null;
            }
        }
        return out;
    }

    private double bestTotal(
            List<DataFile> corpus, java.util.function.Function<DataFile, double[]> detector) {
        List<Point> all = new ArrayList<>();
        for (DataFile f : corpus) {
            all.addAll(sweep(f, detector.apply(f)));
        }
        return best(byThreshold(all)).score();
    }

    private static ThresholdScore best(List<ThresholdScore> scores) {
        ThresholdScore best = scores.get(0);
        for (ThresholdScore s : scores) {
            if (s.score() > best.score()) {
                best = s;
            }
        }
        return best;
    }

    /** NAB's {@code scoreDataSet} lookup: the row of the threshold, or the last one above it. */
    private static ThresholdScore at(List<ThresholdScore> scores, double threshold) {
        ThresholdScore previous = null;
        for (ThresholdScore s : scores) {
            if (s.threshold() == threshold) {
                return s;
            }
            if (s.threshold() < threshold) {
                return previous;
            }
            previous = s;
        }
        return previous;
    }

    private static double[] constant(int n, double value) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, value);
        return s;
    }

    /** A detection at the first row of every window, nothing else. */
    private static double[] perfect(DataFile f) {
        double[] s = new double[f.timestamps().size()];
        for (Window w : f.windows()) {
            int i = f.timestamps().indexOf(w.start());
            if (i >= 0) {
                s[i] = 1.0;
            }
        }
        return s;
    }

    private static double sum(Map<String, Double> parts) {
        double s = 0;
        for (double v : parts.values()) {
            s += v;
        }
        return s;
    }
}
