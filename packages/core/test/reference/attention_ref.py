"""Independent numpy reference of Keras's dense attention layers (Attention, AdditiveAttention).

Written from Keras 3's formulas (keras/src/layers/attention/{attention,additive_attention}.py; tf.keras
2.x computes the same for these options), not from rnnkit's TypeScript.

Conventions (Keras's):
  * query (batch, Tq, dim), value (batch, Tv, dim_v), key (batch, Tv, dim) (key defaults to value);
  * q_mask (batch, Tq), v_mask (batch, Tv): truthy = position is used;
  * scores (batch, Tq, Tv): dot: q.k^T [* scale]; concat: w * sum(tanh(scale * (q + k)));
    additive: sum(scale * tanh(q + k)) with scale (dim,);
  * masked scores: scores - 1e9 * (1 - mask), computed in float32 like Keras (so a row with every
    value masked becomes uniform after the softmax, as in Keras);
  * causal: query step i sees value steps j <= i;
  * output = softmax(scores) @ value, times q_mask on the query axis. Returns (output, weights).
"""

import numpy as np


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _mask_scores(scores, v_mask, causal):
    batch, tq, tv = scores.shape
    mask = None
    if v_mask is not None:
        mask = np.broadcast_to(np.asarray(v_mask, bool)[:, None, :], scores.shape)
    if causal:
        lower = np.tril(np.ones((tq, tv), bool))[None]
        mask = lower if mask is None else np.logical_and(mask, lower)
    if mask is None:
        return scores
    penalty = np.float32(1e9) * (~np.broadcast_to(mask, scores.shape)).astype(np.float32)
    return (scores.astype(np.float32) - penalty).astype(np.float64)


def _finish(scores, value, q_mask, v_mask, causal):
    weights = _softmax(_mask_scores(scores, v_mask, causal))
    out = weights @ value
    if q_mask is not None:
        out = out * np.asarray(q_mask, np.float64)[:, :, None]
    return out, weights


def dot_scores(query, key, scale=None):
    s = query @ np.swapaxes(key, -1, -2)
    return s if scale is None else s * scale


def concat_scores(query, key, scale=None, concat_score_weight=1.0):
    q = query[:, :, None, :]
    k = key[:, None, :, :]
    inner = q + k if scale is None else scale * (q + k)
    return concat_score_weight * np.tanh(inner).sum(axis=-1)


def additive_scores(query, key, scale=None):
    t = np.tanh(query[:, :, None, :] + key[:, None, :, :])
    return (t if scale is None else scale * t).sum(axis=-1)


def attention(query, value, key=None, q_mask=None, v_mask=None, causal=False, score_mode="dot", scale=None,
              concat_score_weight=None):
    """Keras `Attention(use_scale=scale is not None, score_mode=...)`. Returns (output, weights)."""
    key = value if key is None else key
    if score_mode == "dot":
        scores = dot_scores(query, key, scale)
    else:
        scores = concat_scores(query, key, scale, 1.0 if concat_score_weight is None else concat_score_weight)
    return _finish(scores, value, q_mask, v_mask, causal)


def additive_attention(query, value, key=None, q_mask=None, v_mask=None, causal=False, scale=None):
    """Keras `AdditiveAttention(use_scale=scale is not None)`. Returns (output, weights)."""
    key = value if key is None else key
    return _finish(additive_scores(query, key, scale), value, q_mask, v_mask, causal)


def attention_golden(rng):
    """Layer-level golden cases for the TypeScript attention tests (float32 inputs, float64 outputs)."""

    def arr(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    q, v, k = arr(2, 3, 4), arr(2, 5, 2), arr(2, 5, 4)
    qs = arr(2, 3, 2)
    q_mask = np.array([[1, 1, 0], [1, 0, 0]], bool)
    v_mask = np.array([[1, 1, 1, 0, 0], [0, 0, 0, 0, 0]], bool)  # batch 1: every value masked
    scale_vec = arr(4)
    cases = []

    def add(name, layer, config, weights, inputs, out, masks=None, causal=False):
        cases.append({
            "name": name, "layer": layer, "config": config,
            "weights": [np.asarray(w).tolist() for w in weights],
            "inputs": [np.asarray(a).tolist() for a in inputs],
            "masks": None if masks is None else [None if m is None else np.asarray(m).astype(int).tolist() for m in masks],
            "causal": causal,
            "output": np.asarray(out[0]).tolist(), "scores": np.asarray(out[1]).tolist(),
        })

    f = lambda a: np.asarray(a, np.float64)  # noqa: E731
    add("dot_key", "Attention", {"useScale": False, "scoreMode": "dot"}, [], [q, v, k], attention(f(q), f(v), f(k)))
    add("dot_scale_masks", "Attention", {"useScale": True, "scoreMode": "dot"}, [np.float32(0.7)], [q, v, k],
        attention(f(q), f(v), f(k), q_mask, v_mask, scale=0.7), masks=[q_mask, v_mask])
    add("concat_scale_causal", "Attention", {"useScale": True, "scoreMode": "concat"},
        [np.float32(0.8), np.float32(1.3)], [qs, qs],
        attention(f(qs), f(qs), score_mode="concat", scale=f(np.float32(0.8)), concat_score_weight=f(np.float32(1.3)),
                  causal=True), causal=True)
    add("concat_no_scale_vmask", "Attention", {"useScale": False, "scoreMode": "concat"}, [np.float32(1.0)],
        [q, v, k], attention(f(q), f(v), f(k), v_mask=np.array([[1, 0, 1, 1, 0], [1, 1, 0, 0, 0]], bool),
                             score_mode="concat", concat_score_weight=1.0),
        masks=[None, np.array([[1, 0, 1, 1, 0], [1, 1, 0, 0, 0]], bool)])
    add("additive_scale_masks", "AdditiveAttention", {"useScale": True}, [scale_vec], [q, v, k],
        additive_attention(f(q), f(v), f(k), q_mask, v_mask, scale=f(scale_vec)), masks=[q_mask, v_mask])
    add("additive_causal_self", "AdditiveAttention", {"useScale": False}, [], [qs, qs],
        additive_attention(f(qs), f(qs), causal=True), causal=True)
    return cases
