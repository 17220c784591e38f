// The translation tab: input (Enter submits), beam size, the translation with its score and time, and
// the attention heat map.
import { duration, unitLabel } from './display';
import { renderHeatmap } from './heatmap';
import { byId, paragraph, setPending, wireCharCount } from './dom';
import { capText, charCount, MAX_TRANSLATE_CHARS } from './limits';
import type { TranslationResult } from './protocol';

export interface TranslateView {
  /** Called by the page with each finished translation. */
  show(result: TranslationResult): void;
  showError(message: string): void;
  setReady(ready: boolean): void;
}

/** Wires the translation tab; `send` posts a request to the worker. */
export function setupTranslateView(send: (text: string, beam: number) => void): TranslateView {
  const form = byId<HTMLFormElement>('translate-form');
  const input = byId<HTMLInputElement>('translate-input');
  const beam = byId<HTMLSelectElement>('translate-beam');
  const count = byId<HTMLElement>('translate-count');
  const notice = byId<HTMLElement>('translate-notice');
  const result = byId<HTMLElement>('translate-result');
  const heatmap = byId<HTMLElement>('heatmap');
  let ready = false;

  wireCharCount(input, count, MAX_TRANSLATE_CHARS);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const capped = capText(input.value, MAX_TRANSLATE_CHARS);
    if (capped.text.length === 0) {
      notice.hidden = false;
      notice.textContent = 'Type an English sentence first.';
      input.focus();
      return;
    }
    notice.hidden = !capped.cut;
    notice.textContent = capped.cut
      ? `Your text has ${capped.length} characters; only the first ${charCount(capped.text)} were translated (limit ${MAX_TRANSLATE_CHARS}: the model learned from short sentences).`
      : '';
    setPending(result, true);
    if (!ready) {
      result.replaceChildren(paragraph('muted', 'The model is still loading; your translation follows as soon as it is ready.'));
    }
    send(capped.text, Number(beam.value));
  });

  return {
    show(r) {
      setPending(result, false);
      const text = paragraph('translation', r.text.length > 0 ? r.text : '(no translation)');
      text.lang = 'fr';
      text.id = 'translation';
      const facts = document.createElement('dl');
      facts.className = 'facts';
      const fact = (term: string, value: string, id: string) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dd.id = id;
        facts.append(dt, dd);
      };
      fact('Score', `${r.score.toFixed(3)} (log-probability ${r.logProb.toFixed(3)})`, 'translation-score');
      fact('Time', `${duration(r.ms)} (beam ${r.beam})`, 'translation-time');
      fact('Units', `${r.srcTokens.map(unitLabel).join(' ')} → ${r.tokens.map(unitLabel).join(' ')}`, 'translation-units');
      result.dataset.ms = r.ms.toFixed(1);
      result.dataset.tensors = String(r.tensors);
      result.replaceChildren(text, facts);
      renderHeatmap(heatmap, r);
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
