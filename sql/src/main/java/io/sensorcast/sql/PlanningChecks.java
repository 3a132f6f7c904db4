package io.sensorcast.sql;

import java.util.List;
import java.util.Optional;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.Signature;
import org.apache.flink.table.types.inference.StaticArgument;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.types.ColumnList;

/**
 * {@link SensorcastDetect}'s arguments, checked when a statement is planned rather than when its
 * first row arrives: the options as the job checks them, the model store's reachability, the
 * PARTITION BY and value columns. A scalar argument must be a literal to be checked.
 */
final class PlanningChecks implements InputTypeStrategy {

    private final InputTypeStrategy annotated;
    private final List<StaticArgument> arguments;

    private PlanningChecks(InputTypeStrategy annotated, List<StaticArgument> arguments) {
        this.annotated = annotated;
        this.arguments = arguments;
    }

    /** {@code inference} with these checks after its own. */
    static TypeInference wrap(TypeInference inference) {
        List<StaticArgument> arguments = inference.getStaticArguments().orElseThrow();
        return TypeInference.newBuilder()
                .staticArguments(arguments)
                .inputTypeStrategy(new PlanningChecks(inference.getInputTypeStrategy(), arguments))
                .stateTypeStrategies(inference.getStateTypeStrategies())
                .outputTypeStrategy(inference.getOutputTypeStrategy())
                .build();
    }

    @Override
    public ArgumentCount getArgumentCount() {
        return annotated.getArgumentCount();
    }

    @Override
    public Optional<List<DataType>> inferInputTypes(CallContext call, boolean throwOnFailure) {
        Optional<List<DataType>> types = annotated.inferInputTypes(call, throwOnFailure);
        if (types.isEmpty()) {
            return types;
        }
        try {
            DetectOptions options =
                    DetectOptions.parse(
                            literal(call, SensorcastDetect.STORE),
                            literal(call, SensorcastDetect.MODEL_GROUPS),
                            literal(call, SensorcastDetect.OPTIONS));
            options.checkStoreReachable();
            int input = position(SensorcastDetect.INPUT);
            int columns = position(SensorcastDetect.VALUE_COLUMNS);
            ColumnList valueColumns =
                    call.isArgumentNull(columns)
                            ? null
                            : call.getArgumentValue(columns, ColumnList.class).orElse(null);
            call.getTableSemantics(input)
                    .ifPresent(t -> SensorcastDetect.Columns.of(t, valueColumns));
        } catch (IllegalArgumentException e) {
            return call.fail(throwOnFailure, "%s: %s", SensorcastDetect.NAME, e.getMessage());
        }
        return types;
    }

    private String literal(CallContext call, String name) {
        int pos = position(name);
        if (call.isArgumentNull(pos)) {
            return null;
        }
        if (!call.isArgumentLiteral(pos)) {
            throw new IllegalArgumentException(name + " must be a string literal");
        }
        return call.getArgumentValue(pos, String.class).orElse(null);
    }

    private int position(String name) {
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no argument " + name);
    }

    @Override
    public List<Signature> getExpectedSignatures(FunctionDefinition definition) {
        return annotated.getExpectedSignatures(definition);
    }
}
