// The JSONPath subset CRD printer columns use (client-go util/jsonpath, as the apiextensions server
// evaluates `additionalPrinterColumns[].jsonPath`): `.a.b`, escaped dots in keys
// (`.metadata.annotations.sriovnetwork\.openshift\.io/desired-state`), keys with `/`
// (`.status.summary/status.deployment_status`), `[n]`, `[*]` and filters `[?(@.type=="Ready")]`.
// Returns every match, as the real evaluator does; unsupported syntax throws at parse time.

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; value: string | number | boolean };

const cache = new Map<string, Step[]>();

function parseFilter(body: string): Step {
  const m = /^\?\(@((?:\.[^.=!<>\s]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|(true|false))\)$/.exec(body.trim());
  if (!m) throw new Error(`unsupported JSONPath filter [${body}]`);
  const path = m[1].slice(1).split('.');
  const value = m[2] ?? m[3] ?? (m[4] !== undefined ? Number(m[4]) : m[5] === 'true');
  return { kind: 'filter', path, value };
}

export function parseJsonPath(expression: string): Step[] {
  const cached = cache.get(expression);
  if (cached) return cached;
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      let name = '';
      i++;
      while (i < text.length && text[i] !== '.' && text[i] !== '[') {
        if (text[i] === '\\' && i + 1 < text.length) {
          name += text[i + 1];
          i += 2;
        } else name += text[i++];
      }
      if (name !== '') steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in JSONPath ${expression}`);
      const body = text.slice(i + 1, end);
      if (body === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(body)) steps.push({ kind: 'index', index: Number(body) });
      else if (body.startsWith('?')) steps.push(parseFilter(body));
      else if (/^'[^']*'$|^"[^"]*"$/.test(body)) steps.push({ kind: 'field', name: body.slice(1, -1) });
      else throw new Error(`unsupported JSONPath [${body}] in ${expression}`);
      i = end + 1;
    } else {
      throw new Error(`JSONPath ${expression} must start with "."`);
    }
  }
  cache.set(expression, steps);
  return steps;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fieldOf(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const name of path) cur = isRecord(cur) ? cur[name] : undefined;
  return cur;
}

/** Every value the path selects in `root` (none: []). */
export function evaluateJsonPath(expression: string, root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of parseJsonPath(expression)) {
    const next: unknown[] = [];
    for (const value of current) {
      switch (step.kind) {
        case 'field':
          if (isRecord(value) && step.name in value) next.push(value[step.name]);
          break;
        case 'index':
          if (Array.isArray(value)) {
            const idx = step.index < 0 ? value.length + step.index : step.index;
            if (idx >= 0 && idx < value.length) next.push(value[idx]);
          }
          break;
        case 'all':
          if (Array.isArray(value)) next.push(...value);
          else if (isRecord(value)) next.push(...Object.values(value));
          break;
        case 'filter':
          if (Array.isArray(value)) for (const item of value) if (fieldOf(item, step.path) === step.value) next.push(item);
          break;
      }
    }
    current = next;
  }
  return current;
}
