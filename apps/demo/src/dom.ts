// DOM helpers shared by the two tabs.
import { charCount } from './limits';

/** The element with `id`; throws if the page lacks it. */
export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`Expected #${id} in the page. Received: none`);
  return el as T;
}

export function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

/** Keeps `count` showing the input's length against `max` (marked `over` beyond it). */
export function wireCharCount(input: HTMLInputElement | HTMLTextAreaElement, count: HTMLElement, max: number): void {
  const update = () => {
    const n = charCount(input.value.trim());
    count.textContent = `${n} / ${max} characters`;
    count.classList.toggle('over', n > max);
  };
  input.addEventListener('input', update);
  update();
}

/** Marks a result region as waiting for an answer (aria-busy, `pending` style) or not. */
export function setPending(result: HTMLElement, pending: boolean): void {
  result.setAttribute('aria-busy', String(pending));
  result.classList.toggle('pending', pending);
}
