package io.sensorcast.model.block;

/** The recurrent cell of a {@link BiRecurrentBlock}. */
public enum Cell {
    /** Long short-term memory: gates i, f, g (candidate), o in torch's row order. */
    LSTM(4),
    /** Gated recurrent unit, the lighter variant: gates r, z, n in torch's row order. */
    GRU(3);

    private final int gates;

    Cell(int gates) {
        this.gates = gates;
    }

    /** How many gate blocks are stacked in each weight matrix ({@code gates × hidden} rows). */
    public int gates() {
        return gates;
    }
}
