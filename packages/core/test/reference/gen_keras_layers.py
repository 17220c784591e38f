"""Config and weight-name builders for gen_keras_models.py: the JSON that Keras 2.x / 3.x writes for
each layer, and the weight names tensorflowjs_converter gives each variable, per format ("style").
See gen_keras_models.py for what each style stands for.
"""

import re

import numpy as np

VERSIONS = {"k2old": "2.4.0", "k2": "2.15.0", "k3h5": "3.6.0", "k3": "3.6.0"}
CLASS = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}
CELL_CLASS = {"lstm": "LSTMCell", "gru": "GRUCell", "simple_rnn": "SimpleRNNCell"}
ROLES = ["kernel", "recurrent_kernel", "bias"]


def snake(name):
    """Keras's naming.to_snake_case: the .keras layout names list items by class (`SimpleRNN` -> `simple_rnn`)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def slot_of(objects, name):
    """The .keras slot of the object called `name` in a list: class in snake case + per-class counter."""
    used = {}
    for obj in objects:
        base = snake(obj["class_name"])
        used[base] = used.get(base, -1) + 1
        if obj["config"]["name"] == name:
            return base if used[base] == 0 else f"{base}_{used[base]}"
    raise KeyError(name)


class Style:
    def __init__(self, kind):
        self.kind = kind
        self.version = VERSIONS[kind]
        self.k3 = kind.startswith("k3")

    def obj(self, class_name, config, module="keras.layers"):
        """A serialized Keras object as this producer writes it."""
        # tf.keras 2.13+ writes module / registered_name on initializers (not on layers); Keras 3 on all.
        if self.kind == "k3h5" or (self.kind == "k2" and module == "keras.initializers"):
            return {"module": module, "class_name": class_name, "config": config, "registered_name": None}
        return {"class_name": class_name, "config": config}

    def dtype(self, name="float32"):
        if not self.k3:
            return name
        return self.obj("DTypePolicy", {"name": name}, module="keras")

    def init(self, class_name, config=None):
        return self.obj(class_name, config or {}, module="keras.initializers")

    def dense(self, units, activation):
        return {"units": units, "activation": activation, "use_bias": True,
                "kernel_initializer": self.init("GlorotUniform", {"seed": None}),
                "bias_initializer": self.init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
                "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}

    def embedding(self, input_dim, output_dim, mask_zero):
        cfg = {"input_dim": input_dim, "output_dim": output_dim,
               "embeddings_initializer": self.init("RandomUniform", {"minval": -0.05, "maxval": 0.05, "seed": None}),
               "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None,
               "mask_zero": mask_zero}
        if not self.k3:
            cfg["input_length"] = None
        return cfg


def layer_cfg(style, class_name, name, cfg, batch_shape=None):
    config = {"name": name, "trainable": True, "dtype": style.dtype()}
    if batch_shape is not None:
        config["batch_input_shape"] = batch_shape
    config.update(cfg)
    return style.obj(class_name, config)


def _rnn_cell_args(style, kind, units, reset_after):
    args = {"units": units, "activation": "tanh"}
    if kind != "simple_rnn":
        args["recurrent_activation"] = "sigmoid"
    args.update({"use_bias": True, "kernel_initializer": style.init("GlorotUniform", {"seed": None}),
                 "recurrent_initializer": style.init("Orthogonal", {"gain": 1.0, "seed": None}),
                 "bias_initializer": style.init("Zeros")})
    if kind == "lstm":
        args["unit_forget_bias"] = True
    args.update({"kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None})
    return args


def _rnn_tail(style, kind, reset_after, cell=False):
    tail = {"kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None,
            "dropout": 0.0, "recurrent_dropout": 0.0}
    if style.k3:
        tail["seed"] = None
    elif kind != "simple_rnn":
        tail["implementation"] = 2 if not cell else 2
    if kind == "gru":
        tail["reset_after"] = reset_after
    return tail


def rnn_cfg(style, kind, name, units, return_sequences=False, go_backwards=False, reset_after=True, cell=None):
    """A SimpleRNN / LSTM / GRU layer, or kind 'rnn' with `cell` a list of cell objects (stacked)."""
    config = {"name": name, "trainable": True, "dtype": style.dtype(), "return_sequences": return_sequences,
              "return_state": False, "go_backwards": go_backwards, "stateful": False, "unroll": False}
    if style.k3:
        config["zero_output_for_mask"] = False
    else:
        config["time_major"] = False
    if kind == "rnn":
        if not style.k3:
            config["zero_output_for_mask"] = False
        stacked = {"name": "stacked_rnn_cells", "trainable": True, "dtype": style.dtype(), "cells": cell}
        config["cell"] = style.obj("StackedRNNCells", stacked)
        return style.obj("RNN", config)
    config.update(_rnn_cell_args(style, kind, units, reset_after))
    config["activity_regularizer"] = None
    config.update(_rnn_tail(style, kind, reset_after))
    return style.obj(CLASS[kind], config)


def cell_name(kind, index_of_kind):
    return f"{kind}_cell" if index_of_kind == 0 else f"{kind}_cell_{index_of_kind}"


def cell_cfg(style, kind, units, reset_after, position, names=None):
    config = {"name": names[position] if names else f"{kind}_cell_{position}", "trainable": True,
              "dtype": style.dtype()}
    config.update(_rnn_cell_args(style, kind, units, reset_after))
    config.update(_rnn_tail(style, kind, reset_after, cell=True))
    return style.obj(CELL_CLASS[kind], config)


def bidi_cfg(style, kind, units, merge, explicit_backward, return_sequences, reset_after):
    """Bidirectional: Keras 2 stores the wrapped layer (and backward_layer only when given);
    Keras 3 stores the forward layer as `forward_<name>` and always a backward_layer."""
    if style.k3:
        inner = rnn_cfg(style, kind, f"forward_{kind}", units, return_sequences, False, reset_after)
        back = rnn_cfg(style, kind, f"backward_{kind}", units, return_sequences, True, reset_after)
    else:
        inner = rnn_cfg(style, kind, kind, units, return_sequences, False, reset_after)
        back = rnn_cfg(style, kind, f"{kind}_back", units, return_sequences, True, reset_after) if explicit_backward else None
    config = {"name": "bidirectional", "trainable": True, "dtype": style.dtype(), "layer": inner, "merge_mode": merge}
    if back is not None:
        config["backward_layer"] = back
    return style.obj("Bidirectional", config)


class Case:
    """One fixture model: layers, weights (with converter names), inputs and outputs."""

    def __init__(self, name, style, model_class):
        self.name, self.style, self.model_class = name, style, model_class
        self.layers, self.entries, self.inputs, self.outputs = [], [], [], None
        self.shapes = {}
        self.stacked_names = None

    # ---- topology
    def input_layer(self, name, shape, dtype="float32"):
        key = "batch_shape" if self.style.k3 else "batch_input_shape"
        config = {key: shape, "dtype": dtype, "sparse": False}
        if self.style.kind in ("k2old", "k2", "k3h5"):
            config["ragged"] = False
        config["name"] = name
        self.inputs.append(name)
        self.shapes[name] = (shape, dtype)
        self._append(self.style.obj("InputLayer", config), name, [])

    def add(self, obj, inbound=None, call_kwargs=None):
        name = obj["config"]["name"]
        if self.model_class == "Sequential":
            self.layers.append(obj)
            return
        if inbound is None:
            inbound = [[self.layers[-1]["name"]]]
        self._append(obj, name, [self._node(srcs, call_kwargs or {}) for srcs in inbound])

    def _append(self, obj, name, nodes):
        if self.model_class == "Functional":
            obj = dict(obj, name=name, inbound_nodes=nodes)
        self.layers.append(obj)

    def _node(self, srcs, kwargs):
        if not self.style.k3:
            return [[s, 0, 0, dict(kwargs)] for s in srcs]
        tensors = []
        for s in srcs:
            shape, dtype = self.shapes.get(s, (None, "float32"))
            tensors.append({"class_name": "__keras_tensor__",
                            "config": {"shape": shape, "dtype": dtype, "keras_history": [s, 0, 0]}})
        return {"args": [tensors[0]] if len(tensors) == 1 else [tensors], "kwargs": dict(kwargs)}

    def keras_tensor(self, name):
        shape, dtype = self.shapes.get(name, (None, "float32"))
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": dtype, "keras_history": [name, 0, 0]}}

    def add_with_states(self, obj, src, states):
        """An RNN called with initial_state: Keras 2 lists the states as extra inbound tensors, Keras 3
        passes them as the `initial_state` call argument."""
        if self.style.k3:
            node = {"args": [self.keras_tensor(src)], "kwargs": {"initial_state": [self.keras_tensor(n) for n in states]}}
        else:
            node = [[n, 0, 0, {}] for n in [src] + states]
        self._append(obj, obj["config"]["name"], [node])

    def topology(self):
        s = self.style
        if self.model_class == "Sequential":
            config = {"name": "sequential", "layers": self.layers}
            if s.k3:
                config = {"name": "sequential", "trainable": True, "dtype": s.dtype(), "layers": self.layers}
                if self.inputs:
                    config["build_input_shape"] = self.shapes[self.inputs[0]][0]
            model = s.obj("Sequential", config, module="keras")
        else:
            outs = self.outputs or [self.layers[-1]["name"]]
            ins = [[n, 0, 0] for n in self.inputs]
            outs = [[n, 0, 0] if isinstance(n, str) else list(n) for n in outs]
            if s.k3:
                ins = ins[0] if len(ins) == 1 else ins
                outs = outs[0] if len(outs) == 1 else outs
            config = {"name": "functional" if s.k3 else "model", "trainable": True, "layers": self.layers,
                      "input_layers": ins, "output_layers": outs}
            model = s.obj("Functional", config, module="keras.src.models.functional")
            if s.kind == "k3h5":
                model["registered_name"] = "Functional"
        topo = {"keras_version": s.version, "backend": "tensorflow", "model_config": model}
        if s.kind in ("k2", "k3h5"):  # a compiled model: the converter keeps its training config
            topo["training_config"] = {"loss": "mse", "metrics": None, "weighted_metrics": None,
                                       "loss_weights": None, "optimizer_config": {
                                           "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.001}}}
        if s.kind == "k3":
            del topo["backend"]
        return topo

    # ---- weights
    def _add_weight(self, layer, name, arr):
        self.entries.append((layer, name, np.asarray(arr, np.float32)))

    def weights(self, layer, named, prefix=""):
        for i, (role, arr) in enumerate(named):
            self._add_weight(layer, f"layers/{self.slot(layer)}/vars/{i}" if self.style.kind == "k3" else f"{prefix}{layer}/{role}", arr)

    def rnn_weights(self, layer, kind, ws, prefix=""):
        for i, (role, arr) in enumerate(zip(ROLES, ws)):
            if self.style.kind == "k3":
                name = f"layers/{self.slot(layer)}/cell/vars/{i}"
            elif self.style.kind == "k2old":
                name = f"{prefix}{layer}/{role}"
            else:
                name = f"{prefix}{layer}/{kind}_cell/{role}"
            self._add_weight(layer, name, arr)

    def bidi_weights(self, kind, fw, bw, explicit_backward, prefix=""):
        k = self.style.kind
        for direction, ws in (("forward", fw), ("backward", bw)):
            inner = f"{kind}_back" if (explicit_backward and direction == "backward" and not self.style.k3) else kind
            cell = f"{kind}_cell_1" if (explicit_backward and direction == "backward" and k == "k2") else f"{kind}_cell"
            for i, (role, arr) in enumerate(zip(ROLES, ws)):
                if k == "k3":
                    name = f"layers/{self.slot('bidirectional')}/{direction}_layer/cell/vars/{i}"
                elif k == "k2old":
                    name = f"{prefix}bidirectional/{direction}_{inner}/{role}"
                else:
                    name = f"{prefix}bidirectional/{direction}_{inner}/{cell}/{role}"
                self._add_weight("bidirectional", name, arr)

    def stacked_weights(self, layer, cells):
        """cells: list of (kind, [kernel, recurrent_kernel, bias]); names as in the RNN's config."""
        cell_objs = self._find(layer)["config"]["cell"]["config"]["cells"]
        names = [c["config"]["name"] for c in cell_objs]
        for (kind, ws), cname in zip(cells, names):
            for i, (role, arr) in enumerate(zip(ROLES, ws)):
                if self.style.kind == "k3":
                    name = f"layers/{self.slot(layer)}/cell/cells/{slot_of(cell_objs, cname)}/vars/{i}"
                elif self.style.kind == "k3h5":
                    name = f"sequential/{layer}/stacked_rnn_cells/{cname}/{role}"
                else:
                    name = f"{layer}/stacked_rnn_cells/{cname}/{role}"
                self._add_weight(layer, name, arr)

    def slot(self, name):
        return slot_of(self.layers, name)

    def _find(self, name):
        return next(l for l in self.layers if l["config"]["name"] == name)

    def manifest(self):
        """Weight specs and little-endian float32 blobs in the converter's (h5py, alphabetical) order."""
        if self.style.kind == "k3":
            ordered = sorted(self.entries, key=lambda e: e[1])
        else:
            layers = sorted({e[0] for e in self.entries})
            ordered = [e for l in layers for e in self.entries if e[0] == l]
        specs = [{"name": n, "shape": list(a.shape), "dtype": "float32"} for _, n, a in ordered]
        return specs, [a.astype("<f4").tobytes() for _, _, a in ordered]
