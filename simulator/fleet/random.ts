// Seeded randomness for the fleet generator and the exporters. Math.random is never used: the same seed
// must give byte-identical fleets, and each cluster draws from its own stream (seed + cluster name), so
// growing the fleet never changes the clusters that were already there.

export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG with good enough statistics for test data. Returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts: a stable 32-bit hash used to derive independent streams. */
export function hashOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An independent stream for (seed, parts…). */
export function rngFor(seed: number, ...parts: (string | number)[]): Rng {
  return mulberry32(hashOf(seed, ...parts));
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

const HEX = '0123456789abcdef';

export function hexString(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[Math.floor(rng() * 16)];
  return out;
}

/** RFC 4122 version-4-shaped UUID drawn from the stream. */
export function uuidFrom(rng: Rng): string {
  const h = hexString(rng, 32);
  const variant = HEX[8 + Math.floor(rng() * 4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A `generateName`-style suffix, e.g. the `7xk2p` of `linuxptp-daemon-7xk2p`. */
export function nameSuffix(rng: Rng, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_SUFFIX_ALPHABET[Math.floor(rng() * NAME_SUFFIX_ALPHABET.length)];
  return out;
}

/** A locally administered unicast MAC address. */
export function macFrom(rng: Rng): string {
  const bytes = [0x02 | (Math.floor(rng() * 64) << 2)];
  for (let i = 0; i < 5; i++) bytes.push(Math.floor(rng() * 256));
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
