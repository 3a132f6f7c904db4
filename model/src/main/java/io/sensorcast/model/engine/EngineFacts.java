package io.sensorcast.model.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link DjlRuntime} loaded, on what, and whether the recurrent op passed its known-answer
 * check: logged once at engine start and printed by {@code sensorcast doctor}.
 *
 * @param engine engine name and libtorch version
 * @param cpu the processor
 * @param isa the oneDNN instruction-set cap in force, and who set it
 * @param intraOpThreads the intra-op threads asked for (0 = libtorch's default, one per core)
 * @param interOpThreads the inter-op threads
 * @param gpus GPUs the engine sees
 * @param cacheDir where libtorch was unpacked
 * @param checks the self-check on the CPU and, when present, the first GPU
 */
public record EngineFacts(
        String engine,
        CpuInfo cpu,
        OneDnnIsa.Applied isa,
        int intraOpThreads,
        int interOpThreads,
        int gpus,
        Path cacheDir,
        List<RecurrentSelfCheck.Report> checks) {

    public boolean passed() {
        return checks.stream().allMatch(RecurrentSelfCheck.Report::passed);
    }

    /** One line for the log. */
    public String summary() {
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%s on %s; oneDNN %s; intra-op threads %s, inter-op %d; GPUs %d;"
                                        + " recurrent self-check",
                                engine,
                                cpu,
                                isa,
                                intraOpThreads == 0 ? "default" : intraOpThreads,
                                interOpThreads,
                                gpus));
        for (RecurrentSelfCheck.Report r : checks) {
            s.append(' ').append(r.summary()).append(';');
        }
        s.setLength(s.length() - 1);
        return s.toString();
    }
}
