import { type ComparisonOperator, FilterError, type FilterNode } from './filter-node.js';
import { type Token, tokenize } from './filter-tokens.js';

/** Longer or deeper filters are refused: no search needs them, and they would only cost. */
export const MAX_FILTER_LENGTH = 4_096;
const MAX_DEPTH = 32;
const MAX_COMPARISONS = 256;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const OPERATORS = new Set(['<', '<=', '=', '!=', '>=', '>']);

/**
 * Algolia's `filters` syntax, as far as a catalog of plain attributes needs it:
 *
 *     filter     := or
 *     or         := and ("OR" and)*
 *     and        := unary ("AND" unary)*
 *     unary      := "NOT" unary | "(" or ")" | comparison
 *     comparison := attribute ":" value ("TO" value)?  |  attribute operator number
 *     operator   := "<" | "<=" | "=" | "!=" | ">=" | ">"
 *
 * Attributes and values are bare words or quoted strings; the keywords are upper case, as in
 * Algolia. Unlike Algolia, any combination of AND, OR, NOT and parentheses is accepted. Whether
 * an attribute exists, and has the right type, is for the compiler to say.
 */
export function parseFilters(source: string): FilterNode {
  if (source.length > MAX_FILTER_LENGTH) throw new FilterError(`filters: longer than ${MAX_FILTER_LENGTH} characters`);
  const parser = new FilterParser(tokenize(source));
  if (parser.atEnd()) throw new FilterError('filters: empty');
  const node = parser.or(0);
  if (!parser.atEnd()) throw parser.unexpected('AND, OR or the end');
  return node;
}

class FilterParser {
  private position = 0;
  private comparisons = 0;

  constructor(private readonly tokens: Token[]) {}

  atEnd(): boolean {
    return this.position >= this.tokens.length;
  }

  or(depth: number): FilterNode {
    const operands = [this.and(depth)];
    while (this.takeKeyword('OR')) operands.push(this.and(depth));
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private and(depth: number): FilterNode {
    const operands = [this.unary(depth)];
    while (this.takeKeyword('AND')) operands.push(this.unary(depth));
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private unary(depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw new FilterError(`filters: nested deeper than ${MAX_DEPTH} levels`);
    if (this.takeKeyword('NOT')) return { kind: 'not', operand: this.unary(depth + 1) };
    if (this.takeSymbol('(')) {
      const inner = this.or(depth + 1);
      if (!this.takeSymbol(')')) throw this.unexpected('")"');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    if (++this.comparisons > MAX_COMPARISONS) throw new FilterError(`filters: more than ${MAX_COMPARISONS} comparisons`);
    const attribute = this.operand('an attribute');
    const symbol = this.peek();
    if (symbol?.type === 'symbol' && symbol.text === ':') {
      this.position++;
      const value = this.operand('a value');
      if (!this.takeKeyword('TO')) return { kind: 'facet', attribute, value };
      return { kind: 'range', attribute, from: numberOf(value, attribute), to: numberOf(this.operand('a number'), attribute) };
    }
    if (symbol?.type === 'symbol' && OPERATORS.has(symbol.text)) {
      this.position++;
      return { kind: 'numeric', attribute, operator: symbol.text as ComparisonOperator, value: numberOf(this.operand('a number'), attribute) };
    }
    throw this.unexpected(`":" or a comparison after "${attribute}"`);
  }

  private operand(what: string): string {
    const token = this.peek();
    if (!token || token.type === 'symbol' || (token.type === 'word' && ['AND', 'OR', 'NOT', 'TO'].includes(token.text))) throw this.unexpected(what);
    this.position++;
    return token.text;
  }

  private takeKeyword(keyword: 'AND' | 'OR' | 'NOT' | 'TO'): boolean {
    const token = this.peek();
    if (token?.type !== 'word' || token.text !== keyword) return false;
    this.position++;
    return true;
  }

  private takeSymbol(symbol: '(' | ')'): boolean {
    const token = this.peek();
    if (token?.type !== 'symbol' || token.text !== symbol) return false;
    this.position++;
    return true;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  unexpected(expected: string): FilterError {
    const token = this.peek();
    return new FilterError(token ? `filters: expected ${expected} at position ${token.at + 1}, found "${token.text}"` : `filters: expected ${expected} at the end`);
  }
}

function numberOf(text: string, attribute: string): number {
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value)) throw new FilterError(`filters: "${text}" is not a number (attribute ${attribute})`);
  return value;
}

export function isNumberText(text: string): boolean {
  return NUMBER.test(text) && Number.isFinite(Number(text));
}
