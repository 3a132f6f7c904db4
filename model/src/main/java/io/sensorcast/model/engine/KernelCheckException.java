package io.sensorcast.model.engine;

/**
 * libtorch's recurrent op disagrees with the gate equations in this JVM: nothing may be trained or
 * served with it. The message names the CPU, what differed and the fix.
 */
public final class KernelCheckException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient EngineFacts facts;

    public KernelCheckException(EngineFacts facts) {
        super(message(facts));
        this.facts = facts;
    }

    public EngineFacts facts() {
        return facts;
    }

    private static String message(EngineFacts facts) {
        StringBuilder s =
                new StringBuilder("libtorch's recurrent op computes wrong numbers on this machine,")
                        .append(
                                " so sensorcast refuses to train or serve models in this JVM. CPU: ")
                        .append(facts.cpu())
                        .append("; engine: ")
                        .append(facts.engine())
                        .append("; ")
                        .append(facts.isa())
                        .append(". Self-check:");
        for (RecurrentSelfCheck.Report r : facts.checks()) {
            s.append(' ').append(r.summary()).append('.');
        }
        s.append(" Fix: start the JVM with ")
                .append(OneDnnIsa.VARIABLE)
                .append("=AVX2 in its environment, or set the JVM property ")
                .append(EngineSettings.ONEDNN_MAX_ISA_PROPERTY)
                .append("=AVX2 (sensorcast then sets the variable before libtorch loads, which")
                .append(" works only if no other code in the JVM loaded libtorch first);")
                .append(" run `sensorcast doctor` to check.");
        return s.toString();
    }
}
