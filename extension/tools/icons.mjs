// The extension's icons, drawn in code (no image tools needed) and encoded as PNG: a dark rounded
// square with a clock ring, green for the time used so far and amber for the time at risk, and one
// hand. 4×4 supersampling per pixel.
import { deflateSync, crc32 } from 'node:zlib';

const BG = [15, 23, 42];
const GREEN = [18, 183, 106];
const AMBER = [247, 144, 9];
const WHITE = [255, 255, 255];

function roundedRect(x, y, s, r) {
  const cx = Math.min(Math.max(x, r), s - r);
  const cy = Math.min(Math.max(y, r), s - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function segDist(px, py, ax, ay, bx, by) {
  const vx = bx - ax, vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
}

/** The colour at (x, y) of an icon of side 1, or null for transparent. */
function shade(x, y) {
  if (!roundedRect(x, y, 1, 0.22)) return null;
  const cx = 0.5, cy = 0.5;
  const d = Math.hypot(x - cx, y - cy);
  const ring = d > 0.27 && d < 0.37;
  if (ring) {
    // Angle clockwise from 12 o'clock, 0..1.
    let a = Math.atan2(x - cx, cy - y) / (2 * Math.PI);
    if (a < 0) a += 1;
    if (a < 0.68) return GREEN;
    if (a < 0.9) return AMBER;
    return [51, 65, 85];
  }
  // The hand: centre to about 2 o'clock, and a hub.
  if (d < 0.055) return WHITE;
  if (segDist(x, y, cx, cy, cx + 0.17, cy - 0.1) < 0.035) return WHITE;
  return BG;
}

/** RGBA pixels of a `size`×`size` icon. */
export function drawIcon(size) {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((i + (sx + 0.5) / n) / size, (j + (sy + 0.5) / n) / size);
          if (c) {
            r += c[0]; g += c[1]; b += c[2]; a += 1;
          }
        }
      }
      const o = (j * size + i) * 4;
      if (a) {
        px[o] = Math.round(r / a); px[o + 1] = Math.round(g / a); px[o + 2] = Math.round(b / a);
      }
      px[o + 3] = Math.round((255 * a) / (n * n));
    }
  }
  return px;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A PNG file (8-bit RGBA, no interlace) of `rgba` pixels. */
export function encodePng(w, h, rgba) {
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * w * 4, w * 4).copy(raw, y * (w * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
