// Reads how the workbench tokenizes and draws a file: "Developer: Inspect Editor Tokens
// and Scopes" shows the TextMate scopes and theme colour of the token at the cursor, and
// Monaco draws each token as a `span.mtkN` whose class picks its colour.
import type { Page } from 'playwright-core';

export interface TokenAt {
  /** The token the inspector shows, as it shows it. */
  token: string;
  /** Its TextMate scopes, innermost first (the last is the grammar's scopeName). */
  scopes: string[];
  /** The theme's colour for it, as the inspector gives it (#RRGGBB, upper case). */
  foreground: string;
  /** The colour of the span the editor drew for that column (#RRGGBB, upper case). */
  drawn: string;
  /** That span's class (mtkN). */
  drawnClass: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The little of the DOM the page functions below use (this project's TypeScript has no DOM
// library; these functions run in the page, where `globalThis` is the window).
interface DomNode { nodeType: number; textContent: string | null }
interface DomElement extends DomNode {
  className: string;
  innerHTML: string;
  childNodes: ArrayLike<DomNode>;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface DomWindow { document: DomElement; getComputedStyle(e: DomElement): { color: string } }

/** 1-based line and column of `needle` (+ offset characters) in `text`. */
export function lineColOf(text: string, needle: string, offset = 0): { line: number; col: number; lineText: string } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not found`);
  const at = i + offset;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const start = before.lastIndexOf('\n') + 1;
  const end = text.indexOf('\n', start);
  return { line, col: at - start + 1, lineText: text.slice(start, end < 0 ? undefined : end) };
}

async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Moves the cursor of the active editor with "Go to Line/Column". */
export async function goTo(page: Page, line: number, col: number): Promise<void> {
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

const WIDGET = '.token-inspect-widget';

/** Opens the token inspector on the active editor (it follows the cursor until closed). */
export async function openInspector(page: Page, what: string): Promise<void> {
  await palette(page, 'Developer: Inspect Editor Tokens and Scopes');
  try {
    await page.locator(WIDGET).waitFor({ timeout: 15_000 });
  } catch {
    // The inspector does not open when the language has no loadable TextMate grammar.
    throw new Error(`the token inspector did not open on ${what}: is its TextMate grammar missing?`);
  }
}

/** What the inspector shows now. */
async function readInspector(page: Page): Promise<{ token: string; scopes: string[]; foreground: string } | undefined> {
  return page.evaluate((sel) => {
    const w = (globalThis as unknown as DomWindow).document.querySelector(sel);
    if (!w) return undefined;
    const h2 = w.querySelector('h2.tiw-token');
    const TEXT_NODE = 3;
    const token = h2 ? Array.from(h2.childNodes).filter((n) => n.nodeType === TEXT_NODE).map((n) => n.textContent ?? '').join('') : '';
    let foreground = '';
    for (const row of Array.from(w.querySelectorAll('tr'))) {
      const k = row.querySelector('.tiw-metadata-key')?.textContent;
      const v = row.querySelector('.tiw-metadata-value')?.textContent ?? '';
      if (k === 'foreground' && /^#[0-9a-f]{6,8}$/i.test(v.trim()) && !foreground) foreground = v.trim().slice(0, 7).toUpperCase();
    }
    const scopesCell = w.querySelector('.tiw-metadata-scopes');
    const scopes = scopesCell ? scopesCell.innerHTML.split(/<br\s*\/?>/i).map((s: string) => s.replace(/<[^>]*>/g, '').trim()).filter(Boolean) : [];
    return { token, scopes, foreground };
  }, WIDGET);
}

/** The colour and class of the span drawn at 1-based `col` of the visible line whose text is `lineText`. */
async function drawnAt(page: Page, lineText: string, col: number): Promise<{ color: string; cls: string } | undefined> {
  // (No named functions in here: tsx would wrap them in a helper the page does not have.)
  return page.evaluate(({ lineText, col }) => {
    const win = globalThis as unknown as DomWindow;
    const editor = win.document.querySelector('.editor-group-container.active .monaco-editor .view-lines') ?? win.document.querySelector('.monaco-editor .view-lines');
    for (const line of Array.from(editor?.querySelectorAll('.view-line') ?? [])) {
      // An inlay hint at the end of the line is drawn inside it, after the text.
      if (!(line.textContent ?? '').replace(/\u00a0/g, ' ').startsWith(lineText)) continue;
      let at = 0;
      for (const span of Array.from(line.querySelectorAll('span[class*="mtk"]'))) {
        const len = (span.textContent ?? '').length;
        if (col - 1 < at + len) {
          const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(win.getComputedStyle(span).color);
          const color = rgb ? `#${rgb.slice(1, 4).map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`.toUpperCase() : '';
          return { color, cls: /mtk\d+/.exec(span.className)?.[0] ?? '' };
        }
        at += len;
      }
    }
    return undefined;
  }, { lineText, col });
}

/**
 * The token at `needle` (+ offset) in `text`, the active editor's content: moves the
 * cursor there and waits until the open inspector shows `expectToken` (so a stale
 * reading of the previous position is never taken).
 */
export async function tokenAt(page: Page, text: string, needle: string, offset: number, expectToken: string, timeoutMs = 10_000): Promise<TokenAt> {
  const { line, col, lineText } = lineColOf(text, needle, offset);
  await goTo(page, line, col);
  const deadline = Date.now() + timeoutMs;
  let seen: Awaited<ReturnType<typeof readInspector>>;
  for (;;) {
    seen = await readInspector(page);
    if (seen && seen.token === expectToken && seen.scopes.length) break;
    if (Date.now() > deadline) {
      throw new Error(`at ${line}:${col} ("${needle}"), the token inspector shows ${JSON.stringify(seen)}, not the token "${expectToken}"`);
    }
    await sleep(50);
  }
  const drawn = await drawnAt(page, lineText, col);
  if (!drawn) throw new Error(`line ${line} ("${lineText}") is not drawn`);
  return { ...seen, drawn: drawn.color, drawnClass: drawn.cls };
}
