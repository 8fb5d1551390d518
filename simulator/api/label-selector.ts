// Label selectors with the grammar and error messages of k8s.io/apimachinery/pkg/labels (selector.go):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, joined by commas.
import { badRequest, type ApiError } from './status.js';

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

type TokenKind = 'id' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'eos';
interface Token {
  kind: TokenKind;
  text: string;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: two, text: two });
        i += 2;
      } else {
        tokens.push({ kind: c as TokenKind, text: c });
        i++;
      }
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j]) && !/\s/.test(input[j])) j++;
      const text = input.slice(i, j);
      tokens.push({ kind: text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'id', text });
      i = j;
    }
  }
  tokens.push({ kind: 'eos', text: '' });
  return tokens;
}

const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function validateKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined) {
    if (prefix.length === 0) return `key: Invalid value: "${key}": prefix part must be non-empty`;
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix)) {
      return `key: Invalid value: "${key}": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
    }
  }
  if (name.length === 0) return `key: Invalid value: "${key}": name part must be non-empty`;
  if (name.length > 63) return `key: Invalid value: "${key}": name part must be no more than 63 characters`;
  if (!NAME_RE.test(name)) return `key: Invalid value: "${key}": name part ${NAME_MESSAGE}`;
  return undefined;
}

function validateValue(key: string, index: number, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME_RE.test(value)) {
    return `values[${index}][${key}]: Invalid value: "${value}": a valid label ${NAME_MESSAGE}`;
  }
  return undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }

  parse(): LabelSelector {
    const requirements: LabelSelector = [];
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'eos') return requirements;
      if (tok.kind !== 'id' && tok.kind !== '!' && tok.kind !== 'in' && tok.kind !== 'notin') {
        throw new Error(`found '${tok.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const after = this.next();
      if (after.kind === 'eos') return requirements;
      if (after.kind !== ',') throw new Error(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.kind !== 'id' && following.kind !== '!' && following.kind !== 'in' && following.kind !== 'notin') {
        throw new Error(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    try {
      return this.parseRequirement();
    } catch (err) {
      throw new Error(`unable to parse requirement: ${(err as Error).message}`);
    }
  }

  private parseRequirement(): LabelRequirement {
    let tok = this.next();
    if (tok.kind === '!') {
      tok = this.next();
      if (tok.kind !== 'id' && tok.kind !== 'in' && tok.kind !== 'notin') {
        throw new Error(`found '${tok.text}', expected: identifier`);
      }
      return this.checked({ key: tok.text, operator: '!', values: [] });
    }
    const key = tok.text;
    const look = this.peek();
    if (look.kind === 'eos' || look.kind === ',') return this.checked({ key, operator: 'exists', values: [] });
    const op = this.next();
    switch (op.kind) {
      case '=':
      case '==':
        return this.checked({ key, operator: '=', values: [this.exactValue()] });
      case '!=':
        return this.checked({ key, operator: '!=', values: [this.exactValue()] });
      case 'in':
      case 'notin':
        return this.checked({ key, operator: op.kind, values: this.valueSet() });
      case '>':
      case '<':
        return this.checked({ key, operator: op.kind === '>' ? 'gt' : 'lt', values: [this.exactValue()] });
      default:
        throw new Error(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private exactValue(): string {
    const tok = this.peek();
    if (tok.kind === 'eos' || tok.kind === ',') return '';
    this.next();
    if (tok.kind === 'id' || tok.kind === 'in' || tok.kind === 'notin') return tok.text;
    throw new Error(`found '${tok.text}', expected: identifier`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new Error(`found '${open.text}', expected:'('`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const tok = this.next();
      if (tok.kind === ')') {
        if (expectValue && values.length > 0) values.push('');
        return values;
      }
      if (tok.kind === ',') {
        if (expectValue) values.push('');
        expectValue = true;
        continue;
      }
      if ((tok.kind === 'id' || tok.kind === 'in' || tok.kind === 'notin') && expectValue) {
        values.push(tok.text);
        expectValue = false;
        continue;
      }
      throw new Error(`found '${tok.text}', expected: ',', ')' or identifier`);
    }
  }

  private checked(req: LabelRequirement): LabelRequirement {
    const keyError = validateKey(req.key);
    if (keyError) throw new Error(keyError);
    if ((req.operator === 'in' || req.operator === 'notin') && req.values.length === 0) {
      throw new Error(`values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`);
    }
    if (req.operator === 'gt' || req.operator === 'lt') {
      if (!/^-?\d+$/.test(req.values[0])) {
        throw new Error(`values[0]: Invalid value: "${req.values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`);
      }
      return req;
    }
    req.values.forEach((v, i) => {
      const valueError = validateValue(req.key, i, v);
      if (valueError) throw new Error(valueError);
    });
    return req;
  }
}

/** Parses a `labelSelector` query value; a malformed one is a 400 BadRequest, as on a real server. */
export function parseLabelSelector(input: string | null | undefined): LabelSelector {
  if (!input || !input.trim()) return [];
  try {
    return new Parser(lex(input)).parse();
  } catch (err) {
    throw badRequest((err as Error).message) as ApiError;
  }
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels![req.key] : undefined;
    switch (req.operator) {
      case '=':
        if (value !== req.values[0]) return false;
        break;
      case '!=':
        if (value === req.values[0]) return false;
        break;
      case 'in':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const n = Number(value);
        const bound = Number(req.values[0]);
        if (req.operator === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}
