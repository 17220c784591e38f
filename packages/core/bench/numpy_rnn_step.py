# The numpy side of vsNumpy.bench.ts: one training step of x [B, T, D] -> RNN(H) (last output) -> Dense(1)
# -> MSE, Adam on every weight, float32, written the way a numpy user would (whole-sequence input
# projection and weight gradients as one product each, per-step h U and dh U^T, in-place gate math).
# Same formulas as rnnkit's cells (Keras: LSTM gates i, f, c, o; GRU reset_after=True, gates z, r, h;
# SimpleRNN tanh). No dx: x is data.
#
# Protocol (stdin/stdout, one JSON line each): {"cell": "lstm", "B": 32, "T": 64, "D": 128, "H": 128,
# "reps": 3} -> {"ms": [..per step..], "loss": <last loss>}; {"info": true} -> numpy version and BLAS.
# OPENBLAS_NUM_THREADS is set by the caller (one process per thread count).
import json
import sys
import time

import numpy as np

f32 = np.float32


def sigmoid(a, out=None):
    out = np.negative(a, out=out)
    np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)
    return out


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
        self.p, self.lr, self.b1, self.b2, self.eps, self.t = params, lr, b1, b2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        a = f32(self.lr * np.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t))
        for p, g, m, v in zip(self.p, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * (g * g)
            p -= a * m / (np.sqrt(v) + self.eps)


class Model:
    def __init__(self, cell, B, T, D, H):
        rng = np.random.default_rng(1)
        G = {'lstm': 4, 'gru': 3, 'simpleRNN': 1}[cell] * H
        self.cell, self.B, self.T, self.D, self.H, self.G = cell, B, T, D, H, G
        self.x = rng.uniform(-1, 1, (B, T, D)).astype(f32)
        self.y = rng.uniform(-1, 1, (B, 1)).astype(f32)
        self.W = rng.uniform(-0.1, 0.1, (D, G)).astype(f32)
        self.U = rng.uniform(-0.1, 0.1, (H, G)).astype(f32)
        self.b = np.zeros((2, G) if cell == 'gru' else (G,), f32)
        self.Wd = rng.uniform(-0.1, 0.1, (H, 1)).astype(f32)
        self.bd = np.zeros((1,), f32)
        self.opt = Adam([self.W, self.U, self.b, self.Wd, self.bd])
        # per-step buffers, time-major: [T, B, .]
        self.xt = np.ascontiguousarray(self.x.transpose(1, 0, 2))  # [T, B, D]
        self.acts = np.empty((T, B, G), f32)  # gate activations
        self.hs = np.empty((T + 1, B, H), f32)  # h before/after each step
        self.cs = np.empty((T + 1, B, H), f32)  # LSTM c
        self.rec = np.empty((T, B, G), f32)  # GRU h U + b_rec
        self.dz = np.empty((T, B, G), f32)  # d pre-activations (input side)
        self.drec = np.empty((T, B, G), f32)  # GRU d recurrent pre-activations

    def step(self):
        B, T, D, H, G = self.B, self.T, self.D, self.H, self.G
        hs, cs, acts = self.hs, self.cs, self.acts
        bin_ = self.b[0] if self.cell == 'gru' else self.b
        np.matmul(self.xt.reshape(T * B, D), self.W, out=acts.reshape(T * B, G))  # [T*B, G]
        acts += bin_
        hs[0] = 0
        cs[0] = 0
        for t in range(T):
            a = acts[t]
            if self.cell == 'lstm':
                a += hs[t] @ self.U
                sigmoid(a[:, :2 * H], out=a[:, :2 * H])
                np.tanh(a[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])
                sigmoid(a[:, 3 * H:], out=a[:, 3 * H:])
                np.multiply(a[:, H:2 * H], cs[t], out=cs[t + 1])
                cs[t + 1] += a[:, :H] * a[:, 2 * H:3 * H]
                np.tanh(cs[t + 1], out=hs[t + 1])
                hs[t + 1] *= a[:, 3 * H:]
            elif self.cell == 'gru':
                r = self.rec[t]
                np.matmul(hs[t], self.U, out=r)
                r += self.b[1]
                a[:, :2 * H] += r[:, :2 * H]
                sigmoid(a[:, :2 * H], out=a[:, :2 * H])
                a[:, 2 * H:] += a[:, H:2 * H] * r[:, 2 * H:]
                np.tanh(a[:, 2 * H:], out=a[:, 2 * H:])
                z, hh = a[:, :H], a[:, 2 * H:]
                np.multiply(z, hs[t] - hh, out=hs[t + 1])  # z h + (1 - z) hh
                hs[t + 1] += hh
            else:
                a += hs[t] @ self.U
                np.tanh(a, out=a)
                hs[t + 1] = a
        out = hs[T] @ self.Wd + self.bd
        diff = out - self.y
        loss = float(np.mean(diff * diff))
        dout = (2.0 / B) * diff  # [B, 1]
        dWd = hs[T].T @ dout
        dbd = dout.sum(0)
        dh = dout @ self.Wd.T  # [B, H]
        dc = np.zeros((B, H), f32)
        UT = np.ascontiguousarray(self.U.T)
        for t in range(T - 1, -1, -1):
            a, dz = acts[t], self.dz[t]
            if self.cell == 'lstm':
                i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
                tc = np.tanh(cs[t + 1])
                dc += dh * o * (1 - tc * tc)
                np.multiply(dh * tc, o * (1 - o), out=dz[:, 3 * H:])
                np.multiply(dc * g, i * (1 - i), out=dz[:, :H])
                np.multiply(dc * cs[t], f * (1 - f), out=dz[:, H:2 * H])
                np.multiply(dc * i, 1 - g * g, out=dz[:, 2 * H:3 * H])
                dc *= f
                dh = dz @ UT
            elif self.cell == 'gru':
                z, r, hh = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
                dr_ = self.drec[t]
                np.multiply(dh * (hs[t] - hh), z * (1 - z), out=dz[:, :H])
                np.multiply(dh * (1 - z), 1 - hh * hh, out=dz[:, 2 * H:])
                np.multiply(dz[:, 2 * H:] * self.rec[t][:, 2 * H:], r * (1 - r), out=dz[:, H:2 * H])
                dr_[:, :2 * H] = dz[:, :2 * H]
                np.multiply(dz[:, 2 * H:], r, out=dr_[:, 2 * H:])
                dh = dh * z + dr_ @ UT
            else:
                np.multiply(dh, 1 - a * a, out=dz)
                dh = dz @ UT
        dZ = self.dz.reshape(T * B, G)
        dR = (self.drec if self.cell == 'gru' else self.dz).reshape(T * B, G)
        dU = hs[:T].reshape(T * B, H).T @ dR
        dW = self.xt.reshape(T * B, D).T @ dZ
        if self.cell == 'gru':
            db = np.stack([dZ.sum(0), dR.sum(0)])
        else:
            db = dZ.sum(0)
        self.opt.step([dW, dU, db, dWd, dbd])
        return loss


def main():
    models = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req.get('info'):
            cfg = np.show_config(mode='dicts') if np.lib.NumpyVersion(np.__version__) >= '1.25.0' else {}
            blas = cfg.get('Build Dependencies', {}).get('blas', {}) if isinstance(cfg, dict) else {}
            print(json.dumps({'numpy': np.__version__, 'blas': blas.get('name', 'unknown'),
                              'blasVersion': blas.get('version', '')}), flush=True)
            continue
        key = (req['cell'], req['B'], req['T'], req['D'], req['H'])
        if key not in models:
            models.clear()
            models[key] = Model(*key)
            models[key].step()  # warm-up
        m = models[key]
        ms, loss = [], 0.0
        for _ in range(req['reps']):
            t = time.perf_counter()
            loss = m.step()
            ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ms': ms, 'loss': loss}), flush=True)


if __name__ == '__main__':
    main()
