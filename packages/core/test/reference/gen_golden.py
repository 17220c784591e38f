"""Writes the golden fixtures of the recurrent layers to test/fixtures/golden/*.json.

Run from anywhere: `python3 packages/core/test/reference/gen_golden.py`. Values come from keras_ref.py
(float64 numpy, Keras's formulas); tests compare rnnkit (float32 tfjs) with them at 1e-5 (outputs) and
1e-4 (gradients). Deterministic: fixed seeds.

Fixture files:
  layers.json       list of cases {name, layer, config, weights, x, mask?, initialState?, expected}
                    layer in simple_rnn | lstm | gru | stacked; config uses rnnkit's (tfjs camelCase)
                    argument names; expected = {output, states}.
  stateful.json     list of two-call chains {name, layer, config, weights, calls: [{x, output, states}]}
  cells.json        single steps with explicit dropout masks {name, cell, config, weights, x, state,
                    dropoutMask, recurrentDropoutMask, expected}, plus whole sequences with masks.
  gradients.json    {name, layer, config, weights, x, mask?, lossWeights, loss, grads} where
                    loss = sum(output * lossWeights) and grads are central finite differences.
  activations.json  {x, outputs: {name: values}}
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_ref as K  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "golden")
B, T, D, U = 3, 6, 3, 4

# A mask with a hole mid-sequence (row 0), an all-masked row (row 1), leading masked steps (row 2).
MASK = np.array([
    [1, 1, 0, 0, 1, 1],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 1, 1, 0, 1],
], dtype=bool)


def tolist(a):
    return None if a is None else np.asarray(a, dtype=np.float64).round(12).tolist()


def weights_for(layer, rng, input_dim=D, units=U, use_bias=True, reset_after=True):
    k = {"simple_rnn": 1, "lstm": 4, "gru": 3}[layer]
    kernel = rng.normal(scale=0.5, size=(input_dim, k * units))
    rec = rng.normal(scale=0.5, size=(units, k * units))
    if not use_bias:
        bias = None
    elif layer == "gru" and reset_after:
        bias = rng.normal(scale=0.3, size=(2, 3 * units))
    else:
        bias = rng.normal(scale=0.3, size=(k * units,))
    return [kernel, rec, bias]


def run_layer(layer, w, x, cfg, mask=None, initial_state=None):
    common = dict(mask=mask, go_backwards=cfg.get("goBackwards", False), initial_state=initial_state,
                  return_sequences=cfg.get("returnSequences", False),
                  zero_output_for_mask=cfg.get("zeroOutputForMask", False))
    act = cfg.get("activation", "tanh")
    if layer == "simple_rnn":
        return K.simple_rnn_layer(x, w[0], w[1], w[2], activation=act, **common)
    rec_act = cfg.get("recurrentActivation", "sigmoid")
    if rec_act == "hardSigmoid":
        rec_act = "hard_sigmoid"
    if layer == "lstm":
        return K.lstm_layer(x, w[0], w[1], w[2], activation=act, recurrent_activation=rec_act, **common)
    return K.gru_layer(x, w[0], w[1], w[2], activation=act, recurrent_activation=rec_act,
                       reset_after=cfg.get("resetAfter", True), **common)


def layer_cases():
    rng = np.random.default_rng(1234)
    cases = []
    variants = [
        ("plain_seq", {"returnSequences": True}, False, False),
        ("plain_last", {}, False, False),
        ("masked_seq", {"returnSequences": True}, True, False),
        ("masked_last", {}, True, False),
        ("masked_backwards_seq", {"returnSequences": True, "goBackwards": True}, True, False),
        ("masked_zero_output_seq", {"returnSequences": True, "zeroOutputForMask": True}, True, False),
        ("masked_zero_output_last", {"zeroOutputForMask": True}, True, False),
        ("backwards_last", {"goBackwards": True}, False, False),
        ("initial_state_seq", {"returnSequences": True}, False, True),
        ("initial_state_masked_backwards", {"returnSequences": True, "goBackwards": True}, True, True),
    ]
    kinds = [("simple_rnn", {}), ("lstm", {}), ("gru", {"resetAfter": True}), ("gru", {"resetAfter": False})]
    for layer, extra in kinds:
        for vname, cfg, use_mask, use_init in variants:
            cfg = {"units": U, **extra, **cfg}
            w = weights_for(layer, rng, reset_after=cfg.get("resetAfter", True))
            x = rng.normal(size=(B, T, D))
            n_states = 2 if layer == "lstm" else 1
            init = [rng.normal(scale=0.5, size=(B, U)) for _ in range(n_states)] if use_init else None
            mask = MASK if use_mask else None
            out, states = run_layer(layer, w, x, cfg, mask, init)
            suffix = "" if layer != "gru" else ("_reset_after" if cfg["resetAfter"] else "_reset_before")
            cases.append({"name": f"{layer}{suffix}_{vname}", "layer": layer, "config": cfg, "weights": [tolist(a) for a in w],
                          "x": tolist(x), "mask": None if mask is None else mask.astype(int).tolist(),
                          "initialState": None if init is None else [tolist(s) for s in init],
                          "expected": {"output": tolist(out), "states": [tolist(s) for s in states]}})
    # Other activations and no bias.
    extras = [
        ("lstm", {"activation": "relu", "recurrentActivation": "hardSigmoid", "returnSequences": True}, True),
        ("gru", {"activation": "softsign", "recurrentActivation": "sigmoid", "useBias": False, "returnSequences": True}, False),
        ("simple_rnn", {"activation": "elu", "useBias": False, "returnSequences": True}, False),
        ("lstm", {"useBias": False}, False),
        ("gru", {"activation": "selu", "resetAfter": False, "returnSequences": True}, True),
    ]
    for i, (layer, cfg, use_bias) in enumerate(extras):
        cfg = {"units": U, **cfg}
        w = weights_for(layer, rng, use_bias=cfg.get("useBias", True), reset_after=cfg.get("resetAfter", True))
        x = rng.normal(size=(B, T, D))
        out, states = run_layer(layer, w, x, cfg, MASK)
        cases.append({"name": f"{layer}_variant_{i}", "layer": layer, "config": cfg, "weights": [tolist(a) for a in w],
                      "x": tolist(x), "mask": MASK.astype(int).tolist(), "initialState": None,
                      "expected": {"output": tolist(out), "states": [tolist(s) for s in states]}})
    # Stacked cells: LSTM(4) -> GRU(5, reset_after) -> SimpleRNN(3), masked, backwards.
    w1 = weights_for("lstm", rng, D, 4)
    w2 = weights_for("gru", rng, 4, 5)
    w3 = weights_for("simple_rnn", rng, 5, 3)
    x = rng.normal(size=(B, T, D))
    for name, cfg, mask in [("stacked_seq", {"returnSequences": True}, None),
                            ("stacked_masked_backwards", {"returnSequences": True, "goBackwards": True}, MASK)]:
        out, states = K.stacked_layer(x, [("lstm", w1, {}), ("gru", w2, {}), ("simple_rnn", w3, {})], mask=mask,
                                      go_backwards=cfg.get("goBackwards", False), return_sequences=True)
        cases.append({"name": name, "layer": "stacked", "config": {**cfg, "cells": [["lstm", 4], ["gru", 5], ["simple_rnn", 3]]},
                      "weights": [tolist(a) for a in w1 + w2 + w3], "x": tolist(x),
                      "mask": None if mask is None else mask.astype(int).tolist(), "initialState": None,
                      "expected": {"output": tolist(out), "states": [tolist(s) for s in states]}})
    return cases


def stateful_cases():
    rng = np.random.default_rng(99)
    cases = []
    for layer, extra in [("simple_rnn", {}), ("lstm", {}), ("gru", {"resetAfter": True}), ("gru", {"resetAfter": False})]:
        cfg = {"units": U, "returnSequences": True, **extra}
        w = weights_for(layer, rng, reset_after=cfg.get("resetAfter", True))
        states = None
        calls = []
        for _ in range(2):
            x = rng.normal(size=(B, T, D))
            out, states = run_layer(layer, w, x, cfg, None, states)
            calls.append({"x": tolist(x), "output": tolist(out), "states": [tolist(s) for s in states]})
        cases.append({"name": f"stateful_{layer}_{extra.get('resetAfter', '')}", "layer": layer, "config": cfg,
                      "weights": [tolist(a) for a in w], "calls": calls})
    return cases


def cell_cases():
    rng = np.random.default_rng(7)
    cases = []
    for layer, extra in [("simple_rnn", {}), ("lstm", {}), ("gru", {"resetAfter": True}), ("gru", {"resetAfter": False})]:
        ra = extra.get("resetAfter", True)
        w = weights_for(layer, rng, reset_after=ra)
        x = rng.normal(size=(B, D))
        seq = rng.normal(size=(B, T, D))
        state = [rng.normal(scale=0.5, size=(B, U)) for _ in range(2 if layer == "lstm" else 1)]
        dp = (rng.random(size=(B, D)) >= 0.3) / 0.7
        rdp = (rng.random(size=(B, U)) >= 0.4) / 0.6
        if layer == "lstm":
            step = list(K.lstm_cell(x, state[0], state[1], *w, dp_mask=dp, rec_dp_mask=rdp))
            seq_out, seq_states = K.lstm_layer(seq, *w, mask=MASK, return_sequences=True, dp_mask=dp, rec_dp_mask=rdp)
        elif layer == "gru":
            step = [K.gru_cell(x, state[0], *w, reset_after=ra, dp_mask=dp, rec_dp_mask=rdp)]
            seq_out, seq_states = K.gru_layer(seq, *w, mask=MASK, return_sequences=True, reset_after=ra, dp_mask=dp, rec_dp_mask=rdp)
        else:
            step = [K.simple_rnn_cell(x, state[0], *w, dp_mask=dp, rec_dp_mask=rdp)]
            seq_out, seq_states = K.simple_rnn_layer(seq, *w, mask=MASK, return_sequences=True, dp_mask=dp, rec_dp_mask=rdp)
        cases.append({"name": f"cell_{layer}_{ra}", "cell": layer, "config": {"units": U, **extra},
                      "weights": [tolist(a) for a in w], "x": tolist(x), "state": [tolist(s) for s in state],
                      "dropoutMask": tolist(dp), "recurrentDropoutMask": tolist(rdp),
                      "expected": [tolist(s) for s in step],
                      "sequence": {"x": tolist(seq), "mask": MASK.astype(int).tolist(), "output": tolist(seq_out),
                                   "states": [tolist(s) for s in seq_states]}})
    return cases


def gradient_cases():
    rng = np.random.default_rng(2024)
    cases = []
    b, t, d, u = 2, 4, 3, 3
    mask = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], dtype=bool)
    for layer, extra in [("simple_rnn", {}), ("lstm", {}), ("gru", {"resetAfter": True}), ("gru", {"resetAfter": False})]:
        cfg = {"units": u, "returnSequences": True, **extra}
        w = weights_for(layer, rng, d, u, reset_after=cfg.get("resetAfter", True))
        x = rng.normal(size=(b, t, d))
        lw = rng.normal(size=(b, t, u))

        def loss(params):
            out, _ = run_layer(layer, params, x, cfg, mask)
            return float(np.sum(out * lw))

        grads = K.finite_difference_grads(loss, w)
        cases.append({"name": f"grad_{layer}_{extra.get('resetAfter', '')}", "layer": layer, "config": cfg,
                      "weights": [tolist(a) for a in w], "x": tolist(x), "mask": mask.astype(int).tolist(),
                      "lossWeights": tolist(lw), "loss": loss(w), "grads": [tolist(g) for g in grads]})
    return cases


def activation_cases():
    x = np.linspace(-4.0, 4.0, 17)
    names = ["tanh", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras3", "relu", "linear", "elu", "selu",
             "softsign", "softplus", "swish", "silu", "gelu", "exponential"]
    return {"x": tolist(x), "outputs": {n: tolist(K.activation(n)(x)) for n in names}}


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {"layers.json": layer_cases(), "stateful.json": stateful_cases(), "cells.json": cell_cases(),
             "gradients.json": gradient_cases(), "activations.json": activation_cases()}
    for name, data in files.items():
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(data, f, separators=(",", ":"))
        print("wrote", name)


if __name__ == "__main__":
    main()
