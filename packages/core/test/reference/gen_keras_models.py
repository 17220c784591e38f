"""Writes Keras-import fixtures: model.json + weights .bin in the formats tensorflowjs_converter
produces for Keras 2.x and Keras 3.x models, with expected outputs from the numpy references.

Formats (learned from the converter, tfjs-converter/python/tensorflowjs/converters/keras_h5_conversion.py,
and from model.json files it wrote):
  * k2old : Keras <= 2.4 style, plain {class_name, config} objects, weight names `lstm/kernel`;
  * k2    : tf.keras 2.13-2.15: initializers carry module / registered_name, the first layer repeats
            `batch_input_shape`, a `training_config`, weight names `lstm/lstm_cell/kernel` (optionally
            prefixed by the model name);
  * k3h5  : Keras 3 via the legacy .h5 path: module / registered_name on every object, DTypePolicy
            dtypes, InputLayer `batch_shape`, Sequential `build_input_shape`, functional
            nodes as {args, kwargs} with __keras_tensor__ / keras_history, weight names = Keras 3
            variable paths (`sequential/lstm/lstm_cell/kernel`);
  * k3    : Keras 3 .keras path: module / registered_name dropped by the converter, weights named by
            the .keras h5 layout (`layers/lstm/cell/vars/0`), listed in h5py's alphabetical order.
The converter lists weight groups by layer name in alphabetical order (h5py iteration); so do we.
Weights are drawn by a seeded numpy generator; expected outputs come from keras_ref.py and
attention_ref.py in float64 (from the float32-rounded weights).

Run from the repository root:  python3 packages/core/test/reference/gen_keras_models.py
Writes packages/core/test/fixtures/keras/<case>/{model.json, group1-shard1of1.bin, expected.json}
and packages/core/test/fixtures/keras/attention_golden.json.
"""

import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from keras_ref import gru_layer, lstm_layer, simple_rnn_layer, stacked_layer  # noqa: E402
from attention_ref import additive_attention, attention  # noqa: E402
from attention_ref import attention_golden  # noqa: E402
from gen_keras_layers import Case, Style, bidi_cfg, cell_cfg, cell_name, layer_cfg, rnn_cfg  # noqa: E402

OUT = os.path.join(HERE, "..", "fixtures", "keras")
rng = np.random.default_rng(20261126)
GATES = {"lstm": 4, "gru": 3, "simple_rnn": 1}
F64 = lambda a: np.asarray(a, np.float64)  # noqa: E731


def w(*shape, s=0.5):
    return (rng.standard_normal(shape) * s).astype(np.float32)


def rnn_weights(kind, d, u, reset_after=True):
    k = GATES[kind]
    bias = w(2, k * u) if (kind == "gru" and reset_after) else w(k * u)
    return [w(d, k * u), w(u, k * u), bias]


def run_rnn(kind, x, ws, mask=None, go_backwards=False, return_sequences=False, reset_after=True,
            zero_output_for_mask=False):
    fn = {"lstm": lstm_layer, "gru": gru_layer, "simple_rnn": simple_rnn_layer}[kind]
    extra = {"reset_after": reset_after} if kind == "gru" else {}
    out, _ = fn(x, *[F64(a) for a in ws], mask=mask, go_backwards=go_backwards, return_sequences=return_sequences,
                zero_output_for_mask=zero_output_for_mask, **extra)
    return out


def run_bidi(kind, x, fw, bw, merge, mask=None, return_sequences=False, reset_after=True):
    zo = return_sequences  # Keras forces zero_output_for_mask = return_sequences in Bidirectional
    y = run_rnn(kind, x, fw, mask, False, return_sequences, reset_after, zo)
    yr = run_rnn(kind, x, bw, mask, True, return_sequences, reset_after, zo)
    if return_sequences:
        yr = yr[:, ::-1, :]
    return {"concat": lambda: np.concatenate([y, yr], -1), "sum": lambda: y + yr, "mul": lambda: y * yr,
            "ave": lambda: (y + yr) / 2}[merge]()


def dense(x, kernel, bias, act="linear"):
    y = x @ F64(kernel) + F64(bias)
    return {"linear": y, "sigmoid": 1 / (1 + np.exp(-y)), "tanh": np.tanh(y)}[act]


def seq_x(batch=2, time=5, dim=3, zero_steps=()):
    x = rng.standard_normal((batch, time, dim)).astype(np.float32)
    for b, t in zero_steps:
        x[b, t, :] = 0.0
    return x


def write_case(case, inputs, outputs, dtypes=None):
    """Writes model.json (converter layout), the weights shard and expected.json."""
    d = os.path.join(OUT, case.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    specs, blobs = case.manifest()
    with open(os.path.join(d, "group1-shard1of1.bin"), "wb") as f:
        f.write(b"".join(blobs))
    model_json = {
        "format": "layers-model",
        "generatedBy": f"keras v{case.style.version}",
        "convertedBy": "TensorFlow.js Converter v4.22.0",
        "modelTopology": case.topology(),
        "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": specs}],
    }
    with open(os.path.join(d, "model.json"), "w") as f:
        json.dump(model_json, f)
    expected = {
        "inputs": [np.asarray(a).tolist() for a in inputs],
        "dtypes": dtypes or ["float32"] * len(inputs),
        "outputs": [np.asarray(o, np.float64).tolist() for o in outputs],
    }
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected, f)


# ------------------------------------------------------------------------------------------ cases


def seq_rnn_case(name, style, kind, units=4, reset_after=True, return_sequences=False, go_backwards=False,
                 masking=False, dropout=False, dense_units=2, act="linear", input_layer=True, prefix=""):
    """Sequential: [InputLayer] [Masking] RNN [Dropout] Dense."""
    case = Case(name, style, "Sequential")
    x = seq_x(zero_steps=((0, 2), (1, 3), (1, 4)) if masking else ())
    shape = [None, 5, 3]
    if input_layer:
        case.input_layer("input_1", shape)
    if masking:
        case.add(layer_cfg(style, "Masking", "masking", {"mask_value": 0.0},
                           batch_shape=None if input_layer else shape))
    mask = (np.abs(x).sum(-1) > 0) if masking else None
    ws = rnn_weights(kind, 3, units, reset_after)
    case.add(rnn_cfg(style, kind, kind, units, return_sequences=return_sequences, go_backwards=go_backwards,
                     reset_after=reset_after))
    case.rnn_weights(kind, kind, ws, prefix=prefix)
    y = run_rnn(kind, x, ws, mask, go_backwards, return_sequences, reset_after)
    if dropout:
        case.add(layer_cfg(style, "Dropout", "dropout", {"rate": 0.3, "noise_shape": None, "seed": None}))
    dk, db = w(units, dense_units), w(dense_units)
    head = "head" if style.kind == "k3" else "dense"  # a user-chosen name (.keras paths still say `dense`)
    case.add(layer_cfg(style, "Dense", head, style.dense(dense_units, act)))
    case.weights(head, [("kernel", dk), ("bias", db)], prefix=prefix)
    write_case(case, [x], [dense(y, dk, db, act)])


def bidi_case(name, style, kind, merge, explicit_backward=False, return_sequences=False, masking=None,
              reset_after=True, prefix=""):
    case = Case(name, style, "Sequential")
    units = 3
    if masking == "embedding":
        ids = np.array([[1, 4, 0, 7, 2], [3, 9, 8, 0, 0]])
        case.input_layer("input_1", [None, 5])
        emb = w(10, 3)
        case.add(layer_cfg(style, "Embedding", "embedding", style.embedding(10, 3, True)))
        case.weights("embedding", [("embeddings", emb)], prefix=prefix)
        x, mask, inputs = F64(emb)[ids], ids != 0, [ids]
    else:
        x = seq_x(zero_steps=((0, 1), (1, 4)))
        case.input_layer("input_1", [None, 5, 3]) if masking != "masking_batch_shape" else None
        case.add(layer_cfg(style, "Masking", "masking", {"mask_value": 0.0},
                           batch_shape=[None, 5, 3] if masking == "masking_batch_shape" else None))
        mask, inputs = np.abs(x).sum(-1) > 0, [x]
    fw, bw = rnn_weights(kind, 3, units, reset_after), rnn_weights(kind, 3, units, reset_after)
    case.add(bidi_cfg(style, kind, units, merge, explicit_backward, return_sequences, reset_after))
    case.bidi_weights(kind, fw, bw, explicit_backward, prefix=prefix)
    y = run_bidi(kind, x, fw, bw, merge, mask, return_sequences, reset_after)
    dk, db = w(y.shape[-1], 2), w(2)
    case.add(layer_cfg(style, "Dense", "dense", style.dense(2, "linear")))
    case.weights("dense", [("kernel", dk), ("bias", db)], prefix=prefix)
    write_case(case, inputs, [dense(y, dk, db)], ["int32" if masking == "embedding" else "float32"])


def stacked_case(name, style, cells, return_sequences):
    """cells: list of (kind, units, reset_after)."""
    case = Case(name, style, "Sequential")
    x = seq_x()
    case.input_layer("input_1", [None, 5, 3])
    d, ref_cells, ws_all = 3, [], []
    for kind, units, ra in cells:
        ws = rnn_weights(kind, d, units, ra)
        ws_all.append((kind, ws))
        ref_cells.append((kind, [F64(a) for a in ws], {"reset_after": ra} if kind == "gru" else {}))
        d = units
    kinds = [k for k, _, _ in cells]
    names = [cell_name(k, kinds[:i].count(k)) for i, k in enumerate(kinds)]
    if style.kind == "k3":  # user-named cells: the .keras layout still names them by class
        names = [f"cell_{i}_{k}" for i, k in enumerate(kinds)]
    case.add(rnn_cfg(style, "rnn", "rnn", None, return_sequences=return_sequences,
                     cell=[cell_cfg(style, k, u, ra, i, names) for i, (k, u, ra) in enumerate(cells)]))
    case.stacked_weights("rnn", ws_all)
    y, _ = stacked_layer(x, ref_cells, return_sequences=return_sequences)
    write_case(case, [x], [y])


def attention_case(name, style, embed, causal=False):
    """Functional: two inputs -> Attention (+ AdditiveAttention) outputs."""
    case = Case(name, style, "Functional")
    if embed:
        q_ids = np.array([[2, 5, 0, 0], [7, 1, 3, 0]])
        v_ids = np.array([[4, 4, 9, 1, 0], [6, 0, 0, 0, 0]])
        case.input_layer("q_ids", [None, 4], dtype="int32")
        case.input_layer("v_ids", [None, 5], dtype="int32")
        qe, ve = w(10, 3), w(10, 3)
        case.add(layer_cfg(style, "Embedding", "q_embed", style.embedding(10, 3, True)), [["q_ids"]])
        case.add(layer_cfg(style, "Embedding", "v_embed", style.embedding(10, 3, True)), [["v_ids"]])
        case.weights("q_embed", [("embeddings", qe)])
        case.weights("v_embed", [("embeddings", ve)])
        q, v, qm, vm = F64(qe)[q_ids], F64(ve)[v_ids], q_ids != 0, v_ids != 0
        inputs, dtypes, src = [q_ids, v_ids], ["int32", "int32"], ["q_embed", "v_embed"]
    else:
        q, v = rng.standard_normal((2, 4, 3)).astype(np.float32), rng.standard_normal((2, 4, 3)).astype(np.float32)
        case.input_layer("query", [None, 4, 3])
        case.input_layer("value", [None, 4, 3])
        qm = vm = None
        inputs, dtypes, src = [q, v], ["float32", "float32"], ["query", "value"]
        q, v = F64(q), F64(v)
    scale, csw = np.float32(0.8), np.float32(1.3)
    if causal:
        case.add(layer_cfg(style, "Attention", "attention", {"use_scale": False, "score_mode": "dot", "dropout": 0.0}),
                 [src], call_kwargs={"use_causal_mask": True})
        out, _ = attention(q, v, causal=True)
        write_case(case, inputs, [out], dtypes)
        return
    mode = "concat" if embed else "dot"
    case.add(layer_cfg(style, "Attention", "attention", {"use_scale": True, "score_mode": mode, "dropout": 0.0}), [src])
    case.weights("attention", [("scale", scale)] + ([("concat_score_weight", csw)] if mode == "concat" else []))
    a_out, _ = attention(q, v, q_mask=qm, v_mask=vm, score_mode=mode, scale=F64(scale),
                         concat_score_weight=F64(csw))
    add_scale = w(3)
    case.add(layer_cfg(style, "AdditiveAttention", "additive_attention", {"use_scale": True, "dropout": 0.0}),
             [src + [src[1]]])
    case.weights("additive_attention", [("scale", add_scale)])
    b_out, _ = additive_attention(q, v, v, q_mask=qm, v_mask=vm, scale=F64(add_scale))
    case.outputs = ["attention", "additive_attention"]
    write_case(case, inputs, [a_out, b_out], dtypes)


def embedding_rnn_case(name, style, kind):
    case = Case(name, style, "Sequential")
    ids = np.array([[3, 1, 0, 4, 2, 0], [5, 6, 7, 0, 0, 0]])
    case.input_layer("input_1", [None, 6])
    emb = w(10, 4)
    # tf.keras 2 also repeats the input shape on the first layer after the InputLayer
    case.add(layer_cfg(style, "Embedding", "embedding", style.embedding(10, 4, True),
                       batch_shape=None if style.k3 else [None, 6]))
    case.weights("embedding", [("embeddings", emb)])
    ws = rnn_weights(kind, 4, 3)
    case.add(rnn_cfg(style, kind, kind, 3))
    case.rnn_weights(kind, kind, ws)
    y = run_rnn(kind, F64(emb)[ids], ws, mask=ids != 0)
    dk, db = w(3, 2), w(2)
    case.add(layer_cfg(style, "Dense", "dense", style.dense(2, "tanh")))
    case.weights("dense", [("kernel", dk), ("bias", db)])
    write_case(case, [ids], [dense(y, dk, db, "tanh")], ["int32"])


def nested_sequential_case(name, style):
    """Functional: input -> Sequential 'sub' [LSTM(seq), Dense] -> GRU -> output."""
    case = Case(name, style, "Functional")
    x = seq_x()
    case.input_layer("input_1", [None, 5, 3])
    inner = Case("sub", style, "Sequential")
    inner.input_layer("sub_input", [None, 5, 3])
    inner.add(rnn_cfg(style, "lstm", "lstm", 3, return_sequences=True))
    inner.add(layer_cfg(style, "Dense", "dense", style.dense(2, "tanh")))
    sub = inner.topology()["model_config"]
    sub["config"]["name"] = "sub"
    case.add(sub, [["input_1"]])
    lw, dk, db = rnn_weights("lstm", 3, 3), w(3, 2), w(2)
    at = f"layers/{case.slot('sub')}/layers"  # .keras layout: slots by class, `sub` is `sequential`
    for i, (role, arr) in enumerate(zip(["kernel", "recurrent_kernel", "bias"], lw)):
        case._add_weight("sub", f"{at}/{inner.slot('lstm')}/cell/vars/{i}" if style.kind == "k3" else f"sub/lstm/lstm_cell/{role}", arr)
    for i, (role, arr) in enumerate((("kernel", dk), ("bias", db))):
        case._add_weight("sub", f"{at}/{inner.slot('dense')}/vars/{i}" if style.kind == "k3" else f"sub/dense/{role}", arr)
    gw = rnn_weights("gru", 2, 2)
    case.add(rnn_cfg(style, "gru", "gru", 2))
    case.rnn_weights("gru", "gru", gw)
    h = dense(run_rnn("lstm", x, lw, return_sequences=True), dk, db, "tanh")
    write_case(case, [x], [run_rnn("gru", h, gw)])


def attention_scores_case(name, style):
    """Functional: Attention called with return_attention_scores=True: two outputs of one node."""
    case = Case(name, style, "Functional")
    q, v = seq_x(2, 4, 3), seq_x(2, 5, 3)
    case.input_layer("query", [None, 4, 3])
    case.input_layer("value", [None, 5, 3])
    case.add(layer_cfg(style, "Attention", "attention", {"use_scale": False, "score_mode": "dot", "dropout": 0.0}),
             [["query", "value"]], call_kwargs={"return_attention_scores": True, "use_causal_mask": True})
    case.outputs = [["attention", 0, 0], ["attention", 0, 1]]
    out, weights = attention(F64(q), F64(v), causal=True)
    write_case(case, [q, v], [out, weights])


def bidi_none_case(name, style, kind):
    """Functional: Bidirectional(merge_mode=None) -> two outputs (forward, backward) of one node."""
    case = Case(name, style, "Functional")
    x = seq_x(zero_steps=((1, 4),))
    case.input_layer("input_1", [None, 5, 3])
    case.add(layer_cfg(style, "Masking", "masking", {"mask_value": 0.0}))
    fw, bw = rnn_weights(kind, 3, 2), rnn_weights(kind, 3, 2)
    case.add(bidi_cfg(style, kind, 2, None, False, False, True))
    case.bidi_weights(kind, fw, bw, False)
    case.outputs = [["bidirectional", 0, 0], ["bidirectional", 0, 1]]
    mask = np.abs(x).sum(-1) > 0
    write_case(case, [x], [run_rnn(kind, x, fw, mask), run_rnn(kind, x, bw, mask, go_backwards=True)])


def initial_state_case(name, style):
    """Functional: LSTM(x, initial_state=[h0, c0]) with the states as model inputs."""
    case = Case(name, style, "Functional")
    x = seq_x()
    h0, c0 = rng.standard_normal((2, 2)).astype(np.float32), rng.standard_normal((2, 2)).astype(np.float32)
    case.input_layer("x", [None, 5, 3])
    case.input_layer("h0", [None, 2])
    case.input_layer("c0", [None, 2])
    ws = rnn_weights("lstm", 3, 2)
    case.add_with_states(rnn_cfg(style, "lstm", "lstm", 2, return_sequences=True), "x", ["h0", "c0"])
    case.rnn_weights("lstm", "lstm", ws)
    y, _ = lstm_layer(x, *[F64(a) for a in ws], initial_state=[F64(h0), F64(c0)], return_sequences=True)
    write_case(case, [x, h0, c0], [y])


def main():
    k2old, k2, k3h5, k3 = Style("k2old"), Style("k2"), Style("k3h5"), Style("k3")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    # Keras 2.x
    seq_rnn_case("k2old_simple_rnn", k2old, "simple_rnn", return_sequences=True)
    seq_rnn_case("k2_lstm_dropout", k2, "lstm", dropout=True, dense_units=1, act="sigmoid")
    seq_rnn_case("k2_gru_reset_after", k2, "gru", reset_after=True, return_sequences=True)
    seq_rnn_case("k2_gru_reset_before_masking", k2, "gru", reset_after=False, masking=True, input_layer=False)
    seq_rnn_case("k2_lstm_go_backwards_prefixed", k2, "lstm", go_backwards=True, prefix="sequential/")
    bidi_case("k2_bidi_lstm_concat", k2, "lstm", "concat", return_sequences=True, masking="masking_batch_shape",
              prefix="sequential/")
    bidi_case("k2_bidi_gru_backward_sum", k2, "gru", "sum", explicit_backward=True)
    bidi_case("k2old_bidi_simple_rnn_ave", k2old, "simple_rnn", "ave", return_sequences=True)
    stacked_case("k2_stacked_lstm_gru", k2, [("lstm", 4, True), ("gru", 3, False)], False)
    embedding_rnn_case("k2_embedding_mask_lstm", k2, "lstm")
    attention_case("k2_attention_functional", k2, embed=False)
    attention_scores_case("k2_attention_scores_causal", k2)
    nested_sequential_case("k2_nested_sequential", k2)
    bidi_none_case("k2_bidi_lstm_merge_none", k2, "lstm")
    initial_state_case("k2_lstm_initial_state", k2)
    # Keras 3.x
    seq_rnn_case("k3h5_lstm_seq", k3h5, "lstm", return_sequences=True, prefix="sequential/")
    seq_rnn_case("k3_simple_rnn_masking_dropout", k3, "simple_rnn", masking=True, dropout=True, dense_units=1)
    seq_rnn_case("k3_gru_reset_after_backwards", k3, "gru", go_backwards=True)
    seq_rnn_case("k3h5_gru_reset_before", k3h5, "gru", reset_after=False, return_sequences=True,
                 prefix="sequential/")
    bidi_case("k3_bidi_gru_ave", k3, "gru", "ave", return_sequences=True)
    bidi_case("k3h5_bidi_lstm_mul_embedding", k3h5, "lstm", "mul", explicit_backward=True, masking="embedding",
              prefix="sequential/")
    stacked_case("k3_stacked_simple_lstm", k3, [("simple_rnn", 4, True), ("lstm", 3, True)], True)
    stacked_case("k3h5_stacked_gru_gru", k3h5, [("gru", 3, True), ("gru", 2, True)], False)
    embedding_rnn_case("k3_embedding_mask_gru", k3, "gru")
    attention_case("k3h5_attention_embedding", k3h5, embed=True)
    attention_case("k3_attention_causal", k3, embed=False, causal=True)
    attention_case("k3_attention_embedding", k3, embed=True)
    nested_sequential_case("k3_nested_sequential", k3)
    bidi_none_case("k3h5_bidi_gru_merge_none", k3h5, "gru")
    initial_state_case("k3_lstm_initial_state", k3)
    with open(os.path.join(OUT, "attention_golden.json"), "w") as f:
        json.dump(attention_golden(np.random.default_rng(7)), f)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
