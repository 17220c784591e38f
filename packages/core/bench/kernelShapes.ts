// The matrix products of one RNN training step (batch B, T steps, in I, units U, 4 gates for LSTM).
export interface GemmShape {
  name: string;
  M: number;
  N: number;
  K: number;
  tA: boolean;
  tB: boolean;
}

export function gemmShapes(B: number, T: number, I: number, U: number, gates = 4): GemmShape[] {
  const G = gates * U;
  return [
    { name: 'input projection x W', M: B * T, N: G, K: I, tA: false, tB: false },
    { name: 'step h U', M: B, N: G, K: U, tA: false, tB: false },
    { name: 'dW = x^T dG', M: I, N: G, K: B * T, tA: true, tB: false },
    { name: 'dx = dG W^T', M: B * T, N: I, K: G, tA: false, tB: true },
    { name: 'step dh = dG U^T', M: B, N: U, K: G, tA: false, tB: true },
  ];
}
