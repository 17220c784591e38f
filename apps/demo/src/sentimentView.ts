// The sentiment tab: a text (Enter submits, Shift+Enter is a new line), the label and confidence, and
// each token coloured by its contribution, with the strongest tokens also listed as text.
import { contributionColor, duration, signed } from './display';
import { byId, paragraph, setPending, wireCharCount } from './dom';
import { capText, charCount, MAX_SENTIMENT_CHARS } from './limits';
import type { SentimentResult, TokenScore } from './protocol';

export interface SentimentView {
  show(result: SentimentResult): void;
  showError(message: string): void;
  setReady(ready: boolean): void;
}

/** Signed log-odds toward the positive label (the predicted label's contributions flipped when it is negative). */
export function towardPositive(r: Pick<SentimentResult, 'label'>, t: TokenScore): number {
  return r.label === 'negative' ? -t.logOdds : t.logOdds;
}

/** Wires the sentiment tab; `send` posts a request to the worker. */
export function setupSentimentView(send: (text: string) => void): SentimentView {
  const form = byId<HTMLFormElement>('sentiment-form');
  const input = byId<HTMLTextAreaElement>('sentiment-input');
  const count = byId<HTMLElement>('sentiment-count');
  const notice = byId<HTMLElement>('sentiment-notice');
  const result = byId<HTMLElement>('sentiment-result');
  let ready = false;
  let cutNote = '';

  wireCharCount(input, count, MAX_SENTIMENT_CHARS);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const capped = capText(input.value, MAX_SENTIMENT_CHARS);
    if (capped.text.length === 0) {
      notice.hidden = false;
      notice.textContent = 'Type some English text first.';
      input.focus();
      return;
    }
    cutNote = capped.cut ? `Your text has ${capped.length} characters; only the first ${charCount(capped.text)} were classified (limit ${MAX_SENTIMENT_CHARS}).` : '';
    notice.hidden = !capped.cut;
    notice.textContent = cutNote;
    setPending(result, true);
    if (!ready) result.replaceChildren(paragraph('muted', 'The model is still loading; the result follows as soon as it is ready.'));
    send(capped.text);
  });

  return {
    show(r) {
      setPending(result, false);
      if (r.truncated) {
        notice.hidden = false;
        notice.textContent = `${cutNote ? `${cutNote} ` : ''}The model reads the first ${r.maxTokens} tokens; the rest of the text was not used.`;
      }
      const label = paragraph(`label label-${r.label}`, `${r.label} `);
      label.id = 'sentiment-label';
      const conf = document.createElement('span');
      conf.className = 'confidence';
      conf.id = 'sentiment-confidence';
      conf.textContent = `${(r.confidence * 100).toFixed(1)}% confidence`;
      label.appendChild(conf);

      const scale = Math.max(1e-6, ...r.tokens.map((t) => Math.abs(t.logOdds)));
      const text = document.createElement('p');
      text.className = 'tokens';
      text.id = 'sentiment-tokens';
      text.setAttribute('aria-label', 'The text as the model read it, each token coloured by its contribution');
      r.tokens.forEach((t, i) => {
        if (i > 0) text.append(' ');
        const span = document.createElement('span');
        span.className = `token${t.unknown ? ' unknown' : ''}`;
        const toward = towardPositive(r, t);
        span.style.setProperty('background-color', contributionColor(toward / scale));
        const detail = `${t.token}: ${signed(toward)} log-odds toward positive (probability of “${r.label}” ${signed(-t.contribution, 3)} without it)${t.unknown ? ', not in the vocabulary' : ''}`;
        span.title = detail;
        span.textContent = t.token;
        const sr = document.createElement('span');
        sr.className = 'sr-only';
        sr.textContent = ` (${signed(toward, 1)})`;
        span.appendChild(sr);
        text.appendChild(span);
      });

      const legend = paragraph('hint legend', 'Blue: pushes toward positive. Orange: pushes toward negative. Grey underline: word not in the vocabulary.');
      const strongest = paragraph('strongest', strongestText(r));
      const time = paragraph('hint', `Time: ${duration(r.ms)} (prediction and ${r.tokens.length} leave-one-out passes)`);
      time.id = 'sentiment-time';
      result.dataset.ms = r.ms.toFixed(1);
      result.dataset.tensors = String(r.tensors);
      result.replaceChildren(label, text, legend, strongest, time);
    },
    showError(message) {
      setPending(result, false);
      result.replaceChildren(paragraph('error', message));
    },
    setReady(value) {
      ready = value;
    },
  };
}

/** "Toward positive: “great” (+2.1), “fun” (+0.8). Toward negative: “boring” (−1.5)." (the 3 strongest each). */
export function strongestText(r: Pick<SentimentResult, 'label' | 'tokens'>): string {
  const scored = r.tokens.map((t) => ({ t, v: towardPositive(r, t) }));
  const top = (sign: 1 | -1) => scored.filter((s) => s.v * sign > 0.05).sort((a, b) => (b.v - a.v) * sign).slice(0, 3)
    .map((s) => `“${s.t.token}” (${signed(s.v, 1)})`);
  const pos = top(1);
  const neg = top(-1);
  return `Toward positive: ${pos.length ? pos.join(', ') : 'none'}. Toward negative: ${neg.length ? neg.join(', ') : 'none'}.`;
}
