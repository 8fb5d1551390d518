// Parser for the Prometheus text exposition format (version 0.0.4, and the OpenMetrics subset
// exporters commonly serve: `# EOF`, optional timestamps). Strict like a Prometheus scrape: a
// malformed line fails the whole page, because half a page would silently hide series.
import type { MetricSample } from './types.js';

export class MetricParseError extends Error {
  override readonly name = 'MetricParseError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface MetricFamilyInfo {
  type?: string;
  help?: string;
}

export interface ParsedMetrics {
  samples: MetricSample[];
  /** `# TYPE` / `# HELP` by metric family name. */
  families: Map<string, MetricFamilyInfo>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a sample value as Prometheus does: floats, NaN, ±Inf. */
export function parseSampleValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Reads `{a="x",b="y"}` starting at `pos` (the `{`); returns the labels and the position after `}`. */
function readLabels(line: string, start: number, lineNo: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let pos = start + 1;
  const skipSpaces = () => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  };
  for (;;) {
    skipSpaces();
    if (line[pos] === '}') return { labels, end: pos + 1 };
    const name = LABEL_NAME.exec(line.slice(pos));
    if (!name) throw new MetricParseError(lineNo, `expected a label name at column ${pos + 1}`);
    pos += name[0].length;
    skipSpaces();
    if (line[pos] !== '=') throw new MetricParseError(lineNo, `expected '=' after label ${name[0]}`);
    pos++;
    skipSpaces();
    if (line[pos] !== '"') throw new MetricParseError(lineNo, `expected '"' to open the value of label ${name[0]}`);
    pos++;
    let value = '';
    for (;;) {
      const ch = line[pos];
      if (ch === undefined) throw new MetricParseError(lineNo, `unterminated value of label ${name[0]}`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = line[pos + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new MetricParseError(lineNo, `invalid escape \\${next ?? ''} in label ${name[0]}`);
        pos += 2;
        continue;
      }
      value += ch;
      pos++;
    }
    pos++; // closing quote
    if (Object.prototype.hasOwnProperty.call(labels, name[0])) throw new MetricParseError(lineNo, `label ${name[0]} given twice`);
    labels[name[0]] = value;
    skipSpaces();
    if (line[pos] === ',') {
      pos++;
      continue;
    }
    if (line[pos] === '}') return { labels, end: pos + 1 };
    throw new MetricParseError(lineNo, `expected ',' or '}' after label ${name[0]}`);
  }
}

function readComment(line: string, families: Map<string, MetricFamilyInfo>): void {
  const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
  if (!m) return; // any other comment, including `# EOF`
  const family = families.get(m[2]) ?? {};
  if (m[1] === 'TYPE') family.type = (m[3] ?? '').trim();
  else family.help = (m[3] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
  families.set(m[2], family);
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const samples: MetricSample[] = [];
  const families = new Map<string, MetricFamilyInfo>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      readComment(line, families);
      continue;
    }
    const lineNo = i + 1;
    const name = NAME.exec(line);
    if (!name) throw new MetricParseError(lineNo, 'expected a metric name');
    let pos = name[0].length;
    let labels: Record<string, string> = {};
    if (line[pos] === '{') {
      const read = readLabels(line, pos, lineNo);
      labels = read.labels;
      pos = read.end;
    }
    const rest = line.slice(pos).trim().split(/\s+/);
    if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new MetricParseError(lineNo, 'expected a value and an optional timestamp');
    const value = parseSampleValue(rest[0]);
    if (value === undefined) throw new MetricParseError(lineNo, `invalid value ${JSON.stringify(rest[0])}`);
    const sample: MetricSample = { name: name[0], labels, value };
    if (rest.length === 2) {
      const ts = Number(rest[1]);
      if (!Number.isFinite(ts)) throw new MetricParseError(lineNo, `invalid timestamp ${JSON.stringify(rest[1])}`);
      // OpenMetrics timestamps are seconds with a fraction; the 0.0.4 format uses integer milliseconds.
      sample.timestampMs = rest[1].includes('.') ? ts * 1000 : ts;
    }
    samples.push(sample);
  }
  return { samples, families };
}
