import { FilterError } from './filter-node.js';

export type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'quoted'; text: string; at: number }
  | { type: 'symbol'; text: '(' | ')' | ':' | '<' | '<=' | '=' | '!=' | '>=' | '>'; at: number };

const SYMBOLS = ['<=', '>=', '!=', '(', ')', ':', '<', '=', '>'] as const;
const WORD_END = /[\s()<>=!:"']/;

/** The tokens of a filter string: words, quoted strings (`"…"` or `'…'`, `\` escapes) and symbols. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const character = source[at];
    if (/\s/.test(character)) {
      at++;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol, at });
      at += symbol.length;
      continue;
    }
    if (character === '"' || character === "'") {
      const [text, end] = quotedAt(source, at);
      tokens.push({ type: 'quoted', text, at });
      at = end;
      continue;
    }
    if (character === '!') throw new FilterError(`filters: unexpected "!" at position ${at + 1}`);
    let end = at;
    while (end < source.length && !WORD_END.test(source[end])) end++;
    tokens.push({ type: 'word', text: source.slice(at, end), at });
    at = end;
  }
  return tokens;
}

function quotedAt(source: string, start: number): [string, number] {
  const quote = source[start];
  let text = '';
  for (let at = start + 1; at < source.length; at++) {
    const character = source[at];
    if (character === quote) return [text, at + 1];
    if (character === '\\' && at + 1 < source.length) {
      text += source[++at];
      continue;
    }
    text += character;
  }
  throw new FilterError(`filters: the string opened at position ${start + 1} is not closed`);
}
