// Small statistics and formatting helpers for the bench.
export function median(xs) { return quantile(xs, 0.5); }
export function quantile(xs, q) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
/** CPU milliseconds (user + system) spent by this process in `f`. */
export function cpuMs(f) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0, value };
}
export const fmt = (n, d = 1) => Number.isFinite(n) ? n.toFixed(d) : 'n/a';
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
