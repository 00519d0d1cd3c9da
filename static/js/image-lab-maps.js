/**
 * Feature maps coloured in the browser: the server sends each map once, as a gray PNG of level
 * indices (0..254) with its scale, plus the palettes that colour them (app/images/colormap.py).
 * Painting a view is a table look-up per pixel, so switching signed/absolute needs no request,
 * and the colours are the server's tables by construction.
 */

/** "rrggbb" × 255 -> 255 RGBA pixels packed for a Uint32Array view of ImageData (little-endian). */
export function parsePalettes(palettes) {
  const tables = {};
  for (const [name, hex] of Object.entries(palettes || {})) {
    const table = new Uint32Array(hex.length / 6);
    for (let k = 0; k < table.length; k++) {
      const [r, g, b] = [0, 2, 4].map((o) => parseInt(hex.slice(6 * k + o, 6 * k + o + 2), 16));
      table[k] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
    tables[name] = table;
  }
  return tables;
}

/** The CSS colour of one palette entry, for legends. */
export function paletteColor(hex, index) {
  return `#${hex.slice(6 * index, 6 * index + 6)}`;
}

function bytesOf(dataUrl) {
  const text = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) {
    bytes[k] = text.charCodeAt(k);
  }
  return bytes;
}

/** A PNG (Blob or data URL) -> its RGBA pixels, decoded without colour conversion (the values are numbers). */
export async function decodePixels(picture) {
  const blob = picture instanceof Blob ? picture : new Blob([bytesOf(picture)], { type: "image/png" });
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true, colorSpace: "srgb" });
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  bitmap.close();
  return { width, height, rgba: data };
}

/**
 * An 8-bit gray PNG -> its bytes, one per pixel, read directly: chunks, inflate (the browser's own
 * DecompressionStream), then PNG's row filters undone. Several times faster than decoding into a
 * canvas and reading it back, and exact by construction (no colour management can touch it).
 */
export async function grayPixels(dataUrl) {
  const bytes = bytesOf(dataUrl);
  const view = new DataView(bytes.buffer);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (bytes[24] !== 8 || bytes[25] !== 0 || bytes[28] !== 0) {
    throw new Error("levels must be an 8-bit gray, non-interlaced PNG");
  }
  const parts = [];
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const kind = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (kind === "IDAT") {
      parts.push(bytes.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  const stream = new Blob(parts).stream().pipeThrough(new DecompressionStream("deflate"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  const levels = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (width + 1)];
    const line = raw.subarray(r * (width + 1) + 1, (r + 1) * (width + 1));
    const out = levels.subarray(r * width, (r + 1) * width);
    if (filter === 0) {
      out.set(line); // what the server writes: rows unfiltered
      continue;
    }
    const above = r > 0 ? levels.subarray((r - 1) * width, r * width) : new Uint8Array(width);
    for (let c = 0; c < width; c++) {
      const left = c > 0 ? out[c - 1] : 0;
      const up = above[c];
      const corner = c > 0 ? above[c - 1] : 0;
      let predicted = 0;
      if (filter === 1) {
        predicted = left;
      } else if (filter === 2) {
        predicted = up;
      } else if (filter === 3) {
        predicted = (left + up) >> 1;
      } else if (filter === 4) {
        const p = left + up - corner;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : corner;
      }
      out[c] = (line[c] + predicted) & 255;
    }
  }
  return { width, height, levels };
}

/** A map's level indices (one byte per pixel), decoded once and kept on the map object. */
export async function mapLevels(map) {
  if (!map._levels) {
    map._levels = grayPixels(map.levels);
  }
  return map._levels;
}

/** Which palette paints a map in a view: diverging maps show sign or magnitude, sequential ones 0..max. */
export function paletteName(map, view) {
  if (map.scale === "sequential") {
    return view === "absolute" ? "gray" : "sequential";
  }
  return view === "absolute" ? "magnitude" : "diverging";
}

/** Paint `map` in `view` onto `canvas` (resized to the map), one table look-up per pixel. */
export async function paintMap(canvas, map, view, tables) {
  const { width, height, levels } = await mapLevels(map);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  const table = tables[paletteName(map, view)];
  for (let k = 0; k < levels.length; k++) {
    pixels[k] = table[levels[k]];
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

const TINTS = { R: [255, 0, 0], G: [0, 200, 0], B: [40, 90, 255] };

/** One channel of an RGB picture in its own colour (as the server's tinted channel pictures). */
export function paintChannel(canvas, picture, channel) {
  const { width, height, rgba } = picture;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  const offset = Math.max("RGB".indexOf(channel), 0);
  const [r, g, b] = TINTS[channel] || [255, 255, 255];
  const table = new Uint32Array(256); // value -> tinted RGBA, packed for a Uint32Array view (little-endian)
  for (let v = 0; v < 256; v++) {
    const [red, green, blue] = [r, g, b].map((c) => Math.round((v * c) / 255));
    table[v] = (255 << 24) | (blue << 16) | (green << 8) | red;
  }
  const pixels = new Uint32Array(image.data.buffer);
  for (let k = 0; k < width * height; k++) {
    pixels[k] = table[rgba[4 * k + offset]];
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/**
 * A maps=binary answer (app/images/packed.py): "CSL1", the header's length, the JSON header, the blobs.
 * The body came gzipped and the browser's network stack has inflated it, so every map's level plane is
 * read where it lies (a view, no copy, no decoding): `map._levels` is ready at once.
 * The input picture comes back as a Blob in `input.blob`.
 */
export function unpackAnswer(buffer) {
  const view = new DataView(buffer);
  if (String.fromCharCode(...new Uint8Array(buffer, 0, 4)) !== "CSL1") {
    throw new Error("not a CSL1 answer");
  }
  const length = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length)));
  const blobs = 8 + length;
  const slice = (place) => new Uint8Array(buffer, blobs + place.offset, place.length);
  const [, height, width] = header.output_shape;
  const maps = [...header.filters.map((f) => f.map), ...(header.focus ? header.focus.channels.map((c) => c.map) : [])];
  if (header.focus?.sum) {
    maps.push(header.focus.sum);
  }
  for (const map of maps) {
    map._levels = Promise.resolve({ width, height, levels: slice(map.plane) });
  }
  if (header.input.png) {
    header.input.blob = new Blob([slice(header.input.png)], { type: "image/png" });
  }
  return header;
}
