"""Independent float64 numpy reference of Keras's recurrent layers.

Written from Keras's formulas (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py and the TensorFlow
backend's `rnn()` loop), not from rnnkit's TypeScript. Used by `gen_golden.py` to write the JSON
fixtures in `test/fixtures/golden/`, and importable by other fixture generators:

    import sys; sys.path.insert(0, 'packages/core/test/reference')
    from keras_ref import lstm_layer, gru_layer, simple_rnn_layer, ACTIVATIONS

Conventions (all Keras's):
  * inputs are batch-major: x has shape (batch, time, input_dim); masks have shape (batch, time),
    truthy = step is used.
  * weights in Keras layout: kernel (input_dim, k*units), recurrent_kernel (units, k*units), gate order
    LSTM i,f,c,o (k=4); GRU z,r,h (k=3); SimpleRNN k=1.
  * LSTM bias (4u,); GRU bias (2, 3u) when reset_after (row 0 input bias, row 1 recurrent bias), (3u,)
    otherwise; SimpleRNN bias (u,). `bias=None` means use_bias=False.
  * every `*_layer` returns `(output, states)`: output is (batch, time, units) when return_sequences
    else (batch, units); states is a list of (batch, units) arrays ([h] or [h, c]).
  * go_backwards: the sequence (and mask) is processed from the last step to the first, and the
    returned sequence is in processing order, i.e. reversed, as Keras returns it.
  * masking follows the TensorFlow backend (Keras 2 and Keras 3): a masked step keeps the previous
    states and repeats the previous *output* (zeros before the first unmasked step), or outputs zeros
    with zero_output_for_mask=True. The last output is the last element of that output sequence.
    (Keras 3's JAX/numpy backends repeat states[0] instead of the previous output; the two differ only
    for leading masked steps with a non-zero initial state.)
  * dropout masks (already scaled, values 0 or 1/(1-rate)) are passed in: dp_mask (batch, input_dim)
    multiplies the inputs, rec_dp_mask (batch, units) multiplies h_{t-1} where it enters the recurrent
    matrix product (variational dropout: the same masks at every step of one call). For GRU the final
    mix z*h_{t-1} + (1-z)*hh uses the unmasked h_{t-1}. (Keras's own masks are random, so only this
    math is testable; Keras versions differ in where they apply recurrent dropout.)
  * activations: 'hard_sigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3's relu6(x + 3) / 6 is
    'hard_sigmoid_keras3'.
"""

import numpy as np

# ---------------------------------------------------------------------------------------------- activations


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def hard_sigmoid_keras2(x):
    """Keras 2 / tfjs `hard_sigmoid`: clip(0.2 * x + 0.5, 0, 1)."""
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def hard_sigmoid_keras3(x):
    """Keras 3 `hard_sigmoid`: relu6(x + 3) / 6 == clip(x / 6 + 0.5, 0, 1)."""
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


def _erf(x):
    from math import erf

    return np.vectorize(erf)(x)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "hard_sigmoid": hard_sigmoid_keras2,
    "hard_sigmoid_keras3": hard_sigmoid_keras3,
    "relu": lambda x: np.maximum(x, 0.0),
    "linear": lambda x: x,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "softplus": lambda x: np.logaddexp(x, 0.0),
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0))),
    "exponential": np.exp,
}


def activation(name):
    """Returns the activation function for a Keras name (None -> linear)."""
    return ACTIVATIONS["linear" if name is None else name]


# ---------------------------------------------------------------------------------------------- cells


def _drop(x, mask):
    return x if mask is None else x * mask


def simple_rnn_cell(x, h, kernel, recurrent_kernel, bias=None, activation_name="tanh", dp_mask=None, rec_dp_mask=None):
    """One SimpleRNN step: h_t = act(x W + b + h_{t-1} U). x (batch, in), h (batch, u) -> h_t."""
    z = _drop(x, dp_mask) @ kernel
    if bias is not None:
        z = z + bias
    z = z + _drop(h, rec_dp_mask) @ recurrent_kernel
    return activation(activation_name)(z)


def lstm_cell(x, h, c, kernel, recurrent_kernel, bias=None, activation_name="tanh",
              recurrent_activation_name="sigmoid", dp_mask=None, rec_dp_mask=None):
    """One LSTM step (gates i, f, c, o). Returns (h_t, c_t)."""
    act, rec_act = activation(activation_name), activation(recurrent_activation_name)
    u = h.shape[1]
    z = _drop(x, dp_mask) @ kernel + _drop(h, rec_dp_mask) @ recurrent_kernel
    if bias is not None:
        z = z + bias
    i = rec_act(z[:, :u])
    f = rec_act(z[:, u:2 * u])
    c_new = f * c + i * act(z[:, 2 * u:3 * u])
    o = rec_act(z[:, 3 * u:])
    h_new = o * act(c_new)
    return h_new, c_new


def gru_cell(x, h, kernel, recurrent_kernel, bias=None, reset_after=True, activation_name="tanh",
             recurrent_activation_name="sigmoid", dp_mask=None, rec_dp_mask=None):
    """One GRU step (gates z, r, h). Returns h_t = z * h_{t-1} + (1 - z) * hh.

    reset_after=True:  hh = act(x W_h + b_in_h + r * (h U_h + b_rec_h)), bias shape (2, 3u)
    reset_after=False: hh = act(x W_h + b_h + (r * h) U_h),              bias shape (3u,)
    """
    act, rec_act = activation(activation_name), activation(recurrent_activation_name)
    u = h.shape[1]
    if bias is None:
        in_bias, rec_bias = np.zeros(3 * u), np.zeros(3 * u)
    elif reset_after:
        in_bias, rec_bias = bias[0], bias[1]
    else:
        in_bias, rec_bias = bias, np.zeros(3 * u)
    xm = _drop(x, dp_mask) @ kernel + in_bias
    hm = _drop(h, rec_dp_mask)
    if reset_after:
        inner = hm @ recurrent_kernel + rec_bias
        z = rec_act(xm[:, :u] + inner[:, :u])
        r = rec_act(xm[:, u:2 * u] + inner[:, u:2 * u])
        hh = act(xm[:, 2 * u:] + r * inner[:, 2 * u:])
    else:
        inner = hm @ recurrent_kernel[:, :2 * u]
        z = rec_act(xm[:, :u] + inner[:, :u])
        r = rec_act(xm[:, u:2 * u] + inner[:, u:2 * u])
        hh = act(xm[:, 2 * u:] + (r * hm) @ recurrent_kernel[:, 2 * u:])
    return z * h + (1.0 - z) * hh


# ---------------------------------------------------------------------------------------------- loop


def rnn_loop(step, x, initial_states, mask=None, go_backwards=False, zero_output_for_mask=False):
    """Keras's time loop (TensorFlow backend semantics).

    step(x_t, states) -> (output_t, new_states); x (batch, time, in); initial_states list of arrays.
    Returns (last_output (batch, u), outputs (batch, time, u) in processing order, final states).
    """
    batch, time = x.shape[0], x.shape[1]
    order = list(range(time))[::-1] if go_backwards else list(range(time))
    states = [np.asarray(s, dtype=np.float64) for s in initial_states]
    outputs = []
    prev_output = None
    for t in order:
        out, new_states = step(x[:, t, :], states)
        if mask is not None:
            m = np.asarray(mask[:, t], dtype=bool).reshape(batch, 1)
            if prev_output is None:
                prev_output = np.zeros_like(out)
            fallback = np.zeros_like(out) if zero_output_for_mask else prev_output
            out = np.where(m, out, fallback)
            new_states = [np.where(m, ns, s) for ns, s in zip(new_states, states)]
        prev_output = out
        states = list(new_states)
        outputs.append(out)
    seq = np.stack(outputs, axis=1)
    return seq[:, -1, :], seq, states


def _finish(last, seq, states, return_sequences):
    return (seq if return_sequences else last), states


# ---------------------------------------------------------------------------------------------- layers


def simple_rnn_layer(x, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False, initial_state=None,
                     return_sequences=False, zero_output_for_mask=False, activation="tanh",
                     dp_mask=None, rec_dp_mask=None):
    """Keras SimpleRNN. Returns (outputs_or_last, [h])."""
    u = recurrent_kernel.shape[0]
    h0 = np.zeros((x.shape[0], u)) if initial_state is None else initial_state[0]

    def step(xt, states):
        h = simple_rnn_cell(xt, states[0], kernel, recurrent_kernel, bias, activation, dp_mask, rec_dp_mask)
        return h, [h]

    return _finish(*rnn_loop(step, x, [h0], mask, go_backwards, zero_output_for_mask), return_sequences)


def lstm_layer(x, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False, initial_state=None,
               return_sequences=False, zero_output_for_mask=False, activation="tanh",
               recurrent_activation="sigmoid", dp_mask=None, rec_dp_mask=None):
    """Keras LSTM. Returns (outputs_or_last, [h, c])."""
    u = recurrent_kernel.shape[0]
    zeros = np.zeros((x.shape[0], u))
    s0 = [zeros, zeros] if initial_state is None else list(initial_state)

    def step(xt, states):
        h, c = lstm_cell(xt, states[0], states[1], kernel, recurrent_kernel, bias, activation,
                         recurrent_activation, dp_mask, rec_dp_mask)
        return h, [h, c]

    return _finish(*rnn_loop(step, x, s0, mask, go_backwards, zero_output_for_mask), return_sequences)


def gru_layer(x, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False, initial_state=None,
              return_sequences=False, zero_output_for_mask=False, activation="tanh",
              recurrent_activation="sigmoid", reset_after=True, dp_mask=None, rec_dp_mask=None):
    """Keras GRU. Returns (outputs_or_last, [h])."""
    u = recurrent_kernel.shape[0]
    h0 = np.zeros((x.shape[0], u)) if initial_state is None else initial_state[0]

    def step(xt, states):
        h = gru_cell(xt, states[0], kernel, recurrent_kernel, bias, reset_after, activation,
                     recurrent_activation, dp_mask, rec_dp_mask)
        return h, [h]

    return _finish(*rnn_loop(step, x, [h0], mask, go_backwards, zero_output_for_mask), return_sequences)


CELL_STEPS = {"simple_rnn": simple_rnn_cell, "lstm": lstm_cell, "gru": gru_cell}


def stacked_layer(x, cells, mask=None, go_backwards=False, initial_state=None, return_sequences=False,
                  zero_output_for_mask=False):
    """Keras RNN(StackedRNNCells([...])): one time loop, each step runs the cells in order.

    cells: list of (kind, weights, kwargs) with kind in 'simple_rnn' | 'lstm' | 'gru', weights a list
    [kernel, recurrent_kernel, bias] (bias may be None), kwargs extra cell arguments (e.g.
    {'reset_after': False}). States are flat, cell by cell: [h1, (c1,) h2, (c2,) ...].
    Returns (outputs_or_last, flat states).
    """
    sizes = [2 if kind == "lstm" else 1 for kind, _, _ in cells]
    batch = x.shape[0]
    if initial_state is None:
        initial_state = []
        for (kind, w, _), n in zip(cells, sizes):
            initial_state += [np.zeros((batch, w[1].shape[0]))] * n

    def step(xt, states):
        new_states, pos, inp = [], 0, xt
        for (kind, w, kw), n in zip(cells, sizes):
            s = states[pos:pos + n]
            pos += n
            if kind == "lstm":
                h, c = lstm_cell(inp, s[0], s[1], *w, **kw)
                new_states += [h, c]
            elif kind == "gru":
                h = gru_cell(inp, s[0], *w, **kw)
                new_states.append(h)
            else:
                h = simple_rnn_cell(inp, s[0], *w, **kw)
                new_states.append(h)
            inp = h
        return inp, new_states

    return _finish(*rnn_loop(step, x, initial_state, mask, go_backwards, zero_output_for_mask), return_sequences)


# ---------------------------------------------------------------------------------------------- gradients


def finite_difference_grads(loss_fn, params, eps=1e-6):
    """Central finite differences of scalar loss_fn(params) w.r.t. each array in params (float64)."""
    grads = []
    for p in params:
        g = np.zeros_like(p)
        it = np.nditer(p, flags=["multi_index"])
        for _ in it:
            idx = it.multi_index
            old = p[idx]
            p[idx] = old + eps
            up = loss_fn(params)
            p[idx] = old - eps
            down = loss_fn(params)
            p[idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads
