/**
 * Stripe's form encoding: `application/x-www-form-urlencoded` with bracket keys, as the official SDKs
 * send it (`metadata[orderId]=ord_1&payment_method_types[0]=card&expand[]=latest_charge`).
 */

/** A decoded form value: strings at the leaves, objects for `a[b]`, arrays for `a[0]` / `a[]`. */
export type StripeFormValue = string | StripeFormValue[] | { [key: string]: StripeFormValue };
/** Decoded form parameters. */
export type StripeFormParams = { [key: string]: StripeFormValue };

/** Thrown for a body or query string that cannot be decoded. */
export class StripeFormError extends Error {
  override readonly name = 'StripeFormError';
}

const MAX_DEPTH = 8;

/**
 * Decodes a form body or query string (without the leading `?`) into nested params.
 * Keys `a[0]`, `a[1]` and `a[]` become arrays; `a[b]` objects. Values stay strings, as on the wire.
 */
export function parseStripeForm(text: string): StripeFormParams {
  const root: Record<string, unknown> = {};
  if (text.length === 0) return root as StripeFormParams;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    assign(root, keyPath(key), value);
  }
  return toArrays(root) as StripeFormParams;
}

/** Encodes params as the SDK does (for tests and the request log); the inverse of {@link parseStripeForm}. */
export function encodeStripeForm(params: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${prefix}[${i}]`, item));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}[${k}]`, v);
    } else {
      parts.push(`${prefix}=${encodeURIComponent(value === null ? '' : String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(params)) walk(k, v);
  return parts.join('&');
}

/** A stable JSON form of params (keys sorted): two requests with the same params give the same string. */
export function canonicalParams(params: unknown): string {
  return JSON.stringify(sortKeys(params));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new StripeFormError(`Invalid URL encoding in request: ${JSON.stringify(text.slice(0, 40))}`);
  }
}

/** `a[b][0][]` → `['a', 'b', '0', '']`. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) {
    if (open === 0) throw new StripeFormError(`Invalid parameter name: ${JSON.stringify(key.slice(0, 40))}`);
    return [key];
  }
  const path = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new StripeFormError(`Invalid parameter name: ${JSON.stringify(key.slice(0, 40))}`);
    path.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  if (path.length > MAX_DEPTH) throw new StripeFormError('Parameters are nested too deeply');
  return path;
}

function assign(target: Record<string, unknown>, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i]!;
    if (segment === '') segment = String(Object.keys(node).length);
    if (segment === '__proto__' || segment === 'constructor' || segment === 'prototype') {
      throw new StripeFormError(`Invalid parameter name: ${segment}`);
    }
    if (i === path.length - 1) {
      if (typeof node[segment] === 'object') throw new StripeFormError(`Conflicting values for parameter ${path[0]}`);
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const child: Record<string, unknown> = {};
      node[segment] = child;
      node = child;
    } else if (typeof next === 'object' && next !== null) {
      node = next as Record<string, unknown>;
    } else {
      throw new StripeFormError(`Conflicting values for parameter ${path[0]}`);
    }
  }
}

/** Objects whose keys are exactly 0..n-1 become arrays. */
function toArrays(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (const k of keys) obj[k] = toArrays(obj[k]);
  if (keys.length > 0 && keys.every((k) => /^(0|[1-9][0-9]*)$/.test(k))) {
    const indices = keys.map(Number).sort((a, b) => a - b);
    if (indices.every((n, i) => n === i)) return indices.map((n) => obj[String(n)]);
  }
  return obj;
}
