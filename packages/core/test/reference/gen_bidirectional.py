"""Golden fixtures for rnnkit's Bidirectional layer, from the float64 numpy reference of Keras.

Keras's Bidirectional (keras/src/layers/rnn/bidirectional.py, tf.keras wrappers.py), restated:
  * forward layer = the wrapped layer; backward layer = a copy with go_backwards flipped, or the
    explicit backward_layer;
  * both get the same inputs and mask; initial_state is split half (forward) / half (backward);
  * zero_output_for_mask of both is forced to return_sequences;
  * the backward output sequence is flipped back to input order when return_sequences;
  * merge: concat (last axis) | sum | ave ((y + y_rev) / 2) | mul | None (a list [y, y_rev]);
  * with return_state the outputs are [merged (or y, y_rev)] + forward states + backward states.

Cases marked `grads` also carry the gradients of loss = sum(output * loss_weights) (the first output)
with respect to the six weights (forward kernel, recurrent kernel, bias, then backward), by central
finite differences of the float64 reference (`keras_ref.finite_difference_grads`).

Run from the repository root:  python3 packages/core/test/reference/gen_bidirectional.py
Writes packages/core/test/fixtures/golden/bidirectional/<case>.json (float64 values).
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from keras_ref import finite_difference_grads, gru_layer, lstm_layer, simple_rnn_layer  # noqa: E402

OUT = os.path.join(HERE, "..", "fixtures", "golden", "bidirectional")
GATES = {"lstm": 4, "gru": 3, "simple_rnn": 1}


def make_weights(rng, kind, input_dim, units, reset_after=True):
    k = GATES[kind]
    kernel = rng.uniform(-0.6, 0.6, (input_dim, k * units))
    recurrent = rng.uniform(-0.6, 0.6, (units, k * units))
    if kind == "gru" and reset_after:
        bias = rng.uniform(-0.3, 0.3, (2, k * units))
    else:
        bias = rng.uniform(-0.3, 0.3, (k * units,))
    return [kernel, recurrent, bias]


def run_direction(kind, w, x, mask, go_backwards, initial_state, return_sequences, opts):
    kw = dict(mask=mask, go_backwards=go_backwards, initial_state=initial_state,
              return_sequences=return_sequences, zero_output_for_mask=return_sequences)
    if "activation" in opts:
        kw["activation"] = opts["activation"]
    if kind == "lstm":
        return lstm_layer(x, *w, **kw)
    if kind == "gru":
        return gru_layer(x, *w, reset_after=opts.get("reset_after", True), **kw)
    return simple_rnn_layer(x, *w, **kw)


def bidirectional(kind, fw_w, bw_w, x, mask, initial_state, merge_mode, return_sequences, fw_opts, bw_opts):
    n = len(initial_state) if initial_state is not None else 0
    fw_state = initial_state[: n // 2] if n else None
    bw_state = initial_state[n // 2:] if n else None
    y, fw_states = run_direction(kind, fw_w, x, mask, False, fw_state, return_sequences, fw_opts)
    y_rev, bw_states = run_direction(kind, bw_w, x, mask, True, bw_state, return_sequences, bw_opts)
    if return_sequences:
        y_rev = y_rev[:, ::-1, :]
    if merge_mode == "concat":
        out = [np.concatenate([y, y_rev], axis=-1)]
    elif merge_mode == "sum":
        out = [y + y_rev]
    elif merge_mode == "ave":
        out = [(y + y_rev) / 2]
    elif merge_mode == "mul":
        out = [y * y_rev]
    else:
        out = [y, y_rev]
    return out, fw_states + bw_states


# Masks with holes in the middle of the sequence, a row masked at its end, and a row masked at its start.
MASK = np.array([
    [1, 1, 0, 1, 1, 0],
    [1, 1, 1, 1, 1, 1],
    [0, 1, 1, 0, 1, 1],
], dtype=bool)

CASES = [
    # name, kind, merge_mode, return_sequences, return_state, masked, initial_state, opts
    dict(name="lstm_concat_seq_mask", kind="lstm", merge="concat", seq=True, state=False, mask=True, grads=True),
    dict(name="lstm_sum_last", kind="lstm", merge="sum", seq=False, state=False, mask=False),
    dict(name="lstm_ave_last_mask", kind="lstm", merge="ave", seq=False, state=False, mask=True),
    dict(name="lstm_none_seq_state_init", kind="lstm", merge=None, seq=True, state=True, mask=False, init=True),
    dict(name="lstm_concat_state_init_mask", kind="lstm", merge="concat", seq=False, state=True, mask=True, init=True),
    dict(name="lstm_explicit_backward_relu", kind="lstm", merge="concat", seq=True, state=False, mask=True,
         bw_opts={"activation": "relu"}),
    dict(name="gru_mul_seq_mask", kind="gru", merge="mul", seq=True, state=False, mask=True),
    dict(name="gru_concat_last_mask", kind="gru", merge="concat", seq=False, state=False, mask=True, grads=True),
    dict(name="gru_ave_seq_state_init", kind="gru", merge="ave", seq=True, state=True, mask=True, init=True),
    dict(name="gru_v1_sum_seq_state", kind="gru", merge="sum", seq=True, state=True, mask=False,
         opts={"reset_after": False}),
    dict(name="gru_v1_none_last_mask", kind="gru", merge=None, seq=False, state=False, mask=True,
         opts={"reset_after": False}),
    dict(name="simple_rnn_concat_seq_state_mask", kind="simple_rnn", merge="concat", seq=True, state=True, mask=True,
         init=True),
]


def to_list(a):
    return np.asarray(a, dtype=np.float64).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    batch, time, input_dim, units = 3, 6, 4, 3
    for i, case in enumerate(CASES):
        rng = np.random.default_rng(1000 + i)
        kind = case["kind"]
        opts = case.get("opts", {})
        bw_opts = {**opts, **case.get("bw_opts", {})}
        reset_after = opts.get("reset_after", True)
        x = rng.normal(0, 1, (batch, time, input_dim))
        fw_w = make_weights(rng, kind, input_dim, units, reset_after)
        bw_w = make_weights(rng, kind, input_dim, units, reset_after)
        n_states = 2 if kind == "lstm" else 1
        init = [rng.normal(0, 0.5, (batch, units)) for _ in range(2 * n_states)] if case.get("init") else None
        mask = MASK if case["mask"] else None
        outputs, states = bidirectional(kind, fw_w, bw_w, x, mask, init, case["merge"], case["seq"], opts, bw_opts)
        expected = outputs + (states if case["state"] else [])
        grads = None
        loss_weights = None
        if case.get("grads"):
            loss_weights = rng.normal(0, 1, np.shape(outputs[0]))
            n_w = len(fw_w)

            def loss(params):
                out, _ = bidirectional(kind, params[:n_w], params[n_w:], x, mask, init, case["merge"], case["seq"],
                                       opts, bw_opts)
                return float(np.sum(out[0] * loss_weights))

            grads = finite_difference_grads(loss, [w.copy() for w in fw_w + bw_w])
        fixture = {
            "name": case["name"],
            "kind": kind,
            "units": units,
            "mergeMode": case["merge"],
            "returnSequences": case["seq"],
            "returnState": case["state"],
            "resetAfter": reset_after,
            "backwardActivation": case.get("bw_opts", {}).get("activation"),
            "x": to_list(x),
            "mask": None if mask is None else mask.astype(int).tolist(),
            "initialState": None if init is None else [to_list(s) for s in init],
            "forwardWeights": [to_list(w) for w in fw_w],
            "backwardWeights": [to_list(w) for w in bw_w],
            "expected": [to_list(e) for e in expected],
            "lossWeights": None if loss_weights is None else to_list(loss_weights),
            "expectedGrads": None if grads is None else [to_list(g) for g in grads],
        }
        with open(os.path.join(OUT, case["name"] + ".json"), "w") as f:
            json.dump(fixture, f)
        print("wrote", case["name"], [np.shape(e) for e in expected])


if __name__ == "__main__":
    main()
