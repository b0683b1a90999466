// Draws the dashboard's icon (a white card with a stripe on the brand blue) and writes it as
// web/dashboard/public/favicon.ico: an ICO holding 16 and 32 px PNGs. Run it again after a change:
//   node scripts/favicon.mjs
import { writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';

const BLUE = [0x1d, 0x4e, 0xd8];
const WHITE = [0xff, 0xff, 0xff];

/** Coverage (0–1) of a rounded rectangle at pixel (x, y), sampled 4×4 for smooth edges. */
function coverage(x, y, box, radius) {
  let inside = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const px = x + (sx + 0.5) / 4;
      const py = y + (sy + 0.5) / 4;
      const dx = Math.max(box.x0 + radius - px, 0, px - (box.x1 - radius));
      const dy = Math.max(box.y0 + radius - py, 0, py - (box.y1 - radius));
      if (
        px >= box.x0 &&
        px <= box.x1 &&
        py >= box.y0 &&
        py <= box.y1 &&
        dx * dx + dy * dy <= radius * radius
      ) {
        inside++;
      }
    }
  }
  return inside / 16;
}

function draw(size) {
  const k = size / 32;
  const tile = { x0: 0, y0: 0, x1: size, y1: size };
  const card = { x0: 5 * k, y0: 8 * k, x1: 27 * k, y1: 24 * k };
  const stripe = { x0: 5 * k, y0: 12 * k, x1: 27 * k, y1: 15.5 * k };
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, tile, 6 * k);
      const c = coverage(x, y, card, 2.5 * k) * (1 - coverage(x, y, stripe, 0));
      const color = BLUE.map((blue, i) => Math.round(blue * (1 - c) + WHITE[i] * c));
      rgba.set([...color, Math.round(a * 255)], (y * size + x) * 4);
    }
  }
  return png(size, rgba);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = [];
  for (let y = 0; y < size; y++) rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function ico(images) {
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, data }, i) => {
    const entry = 6 + 16 * i;
    head.writeUInt8(size % 256, entry);
    head.writeUInt8(size % 256, entry + 1);
    head.writeUInt16LE(1, entry + 4); // planes
    head.writeUInt16LE(32, entry + 6); // bits per pixel
    head.writeUInt32LE(data.length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...images.map((image) => image.data)]);
}

const out = new URL('../web/dashboard/public/favicon.ico', import.meta.url);
await writeFile(out, ico([16, 32].map((size) => ({ size, data: draw(size) }))));
console.log(`wrote ${out.pathname}`);
