// The attention heat map: a table with one row per output (French) unit and one column per source
// (English) unit. Hover or keyboard focus shows the pair and its weight; arrow keys move between cells
// (one tab stop for the whole grid, roving tabindex).
import { heatColor, unitLabel } from './display';

export interface HeatmapData {
  srcTokens: readonly string[];
  tokens: readonly string[];
  attention: readonly (readonly number[])[];
}

function describe(data: HeatmapData, i: number, j: number): string {
  const w = data.attention[i]?.[j] ?? 0;
  return `“${unitLabel(data.tokens[i] ?? '')}” ← “${unitLabel(data.srcTokens[j] ?? '')}”: ${(w * 100).toFixed(1)}% of the attention`;
}

/** Renders the heat map into `box` (replacing its content). */
export function renderHeatmap(box: HTMLElement, data: HeatmapData): void {
  box.replaceChildren();
  if (data.tokens.length === 0 || data.srcTokens.length === 0) return;
  const doc = box.ownerDocument;
  const heading = doc.createElement('h2');
  heading.id = 'heatmap-title';
  heading.textContent = 'Attention';
  const help = doc.createElement('p');
  help.className = 'hint';
  help.id = 'heatmap-help';
  help.textContent = 'Rows: French output units. Columns: English source units. Darker means more attention. Hover a cell, or focus the grid and use the arrow keys.';
  const detail = doc.createElement('p');
  detail.className = 'heat-detail';
  detail.id = 'heatmap-detail';
  detail.setAttribute('aria-live', 'polite');
  detail.textContent = '\u00a0';

  const scroller = doc.createElement('div');
  scroller.className = 'heatmap-scroll';
  const table = doc.createElement('table');
  table.className = 'heatmap';
  table.setAttribute('aria-labelledby', 'heatmap-title');
  table.setAttribute('aria-describedby', 'heatmap-help');
  const head = table.createTHead().insertRow();
  const corner = doc.createElement('td');
  corner.className = 'corner';
  head.appendChild(corner);
  data.srcTokens.forEach((t) => {
    const th = doc.createElement('th');
    th.scope = 'col';
    th.textContent = unitLabel(t);
    head.appendChild(th);
  });
  const body = table.createTBody();
  const cells: HTMLTableCellElement[][] = [];
  data.tokens.forEach((t, i) => {
    const row = body.insertRow();
    row.className = 'heat-row';
    const th = doc.createElement('th');
    th.scope = 'row';
    th.textContent = unitLabel(t);
    row.appendChild(th);
    cells.push(data.srcTokens.map((_, j) => {
      const w = data.attention[i]?.[j] ?? 0;
      const td = row.insertCell();
      td.className = 'heat-cell';
      td.tabIndex = i === 0 && j === 0 ? 0 : -1;
      td.dataset.row = String(i);
      td.dataset.col = String(j);
      td.style.setProperty('background-color', heatColor(w));
      td.title = describe(data, i, j);
      const sr = doc.createElement('span');
      sr.className = 'sr-only';
      sr.textContent = `${(w * 100).toFixed(0)}%`;
      td.appendChild(sr);
      return td;
    }));
  });

  const show = (td: HTMLElement) => {
    detail.textContent = describe(data, Number(td.dataset.row), Number(td.dataset.col));
    table.querySelectorAll('.active').forEach((el) => el.classList.remove('active'));
    td.classList.add('active');
  };
  table.addEventListener('mouseover', (e) => {
    const td = (e.target as HTMLElement).closest<HTMLElement>('td.heat-cell');
    if (td) show(td);
  });
  table.addEventListener('focusin', (e) => {
    const td = (e.target as HTMLElement).closest<HTMLElement>('td.heat-cell');
    if (td) show(td);
  });
  table.addEventListener('keydown', (e) => {
    const td = (e.target as HTMLElement).closest<HTMLElement>('td.heat-cell');
    if (!td) return;
    let i = Number(td.dataset.row);
    let j = Number(td.dataset.col);
    const rows = cells.length;
    const cols = cells[0]?.length ?? 0;
    switch (e.key) {
      case 'ArrowUp': i = Math.max(0, i - 1); break;
      case 'ArrowDown': i = Math.min(rows - 1, i + 1); break;
      case 'ArrowLeft': j = Math.max(0, j - 1); break;
      case 'ArrowRight': j = Math.min(cols - 1, j + 1); break;
      case 'Home': j = 0; break;
      case 'End': j = cols - 1; break;
      default: return;
    }
    e.preventDefault();
    const next = cells[i]?.[j];
    if (!next) return;
    td.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  scroller.appendChild(table);
  box.append(heading, help, scroller, detail);
}
