// Axial dose view: CT (window 400/40 HU) with a dose colour-wash, isodose lines (marching squares) and ROI outlines.
// Dose is shown where the CT is denser than air (> −900 HU): Monte Carlo dose in air is real but noisy and large.

/** CT numbers at or below this are air: no wash, no isodose lines. */
export const AIR_HU = -900;

/** Isodose levels in % of the prescription and their colours. */
export const ISODOSE = [
  [107, "#ff00ff"], [100, "#ff0000"], [95, "#ff8c00"], [80, "#ffff00"], [50, "#00ff00"], [30, "#00bfff"],
];

function decode(base64, Type) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Type(bytes.buffer);
}

// Jet-like colour map for 0..1.
function colour(t) {
  const r = Math.min(Math.max(1.5 - Math.abs(4 * t - 3), 0), 1);
  const g = Math.min(Math.max(1.5 - Math.abs(4 * t - 2), 0), 1);
  const b = Math.min(Math.max(1.5 - Math.abs(4 * t - 1), 0), 1);
  return [r * 255, g * 255, b * 255];
}

/**
 * Marching squares: the line segments where field crosses level, in pixel-centre coordinates.
 * Returns a flat array x0, y0, x1, y1, … .
 */
export function isolines(field, width, height, level) {
  const out = [];
  const at = (i, j) => field[j * width + i];
  const lerp = (a, b) => (level - a) / (b - a);
  for (let j = 0; j < height - 1; j++) {
    for (let i = 0; i < width - 1; i++) {
      const a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
      const code = (a >= level ? 8 : 0) | (b >= level ? 4 : 0) | (c >= level ? 2 : 0) | (d >= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top = [i + lerp(a, b), j], right = [i + 1, j + lerp(b, c)];
      const bottom = [i + lerp(d, c), j + 1], left = [i, j + lerp(a, d)];
      const seg = (p, q) => out.push(p[0], p[1], q[0], q[1]);
      switch (code) {
        case 1: case 14: seg(left, bottom); break;
        case 2: case 13: seg(bottom, right); break;
        case 3: case 12: seg(left, right); break;
        case 4: case 11: seg(top, right); break;
        case 6: case 9: seg(top, bottom); break;
        case 7: case 8: seg(left, top); break;
        case 5: seg(left, top); seg(bottom, right); break;
        case 10: seg(top, right); seg(left, bottom); break;
      }
    }
  }
  return out;
}

/** Draws a slice (from GET /api/plans/{id}/slices/{k}) onto canvas. */
export function drawSlice(canvas, slice, info, prescriptionGy, options) {
  const { width, height } = slice;
  const ct = decode(slice.ctHu, Int16Array);
  const dose = decode(slice.doseGy, Float32Array);
  for (let n = 0; n < dose.length; n++) if (ct[n] <= AIR_HU) dose[n] = 0;
  const [sx, sy] = info.pixelSpacingMm;
  const scale = Math.min(512 / (width * sx), 512 / (height * sy));
  canvas.width = Math.round(width * sx * scale);
  canvas.height = Math.round(height * sy * scale);

  // Image at native resolution, then scaled with smoothing.
  const image = new ImageData(width, height);
  const rx = prescriptionGy || info.maxDoseGy || 1;
  const alpha = options.opacity;
  for (let n = 0; n < width * height; n++) {
    let g = (ct[n] - (40 - 200)) / 400;
    g = Math.min(Math.max(g, 0), 1) * 255;
    let r = g, gg = g, b = g;
    const t = dose[n] / rx;
    if (t > 0.1 && alpha > 0) {
      const [cr, cg, cb] = colour(Math.min(t / 1.1, 1));
      r = g * (1 - alpha) + cr * alpha; gg = g * (1 - alpha) + cg * alpha; b = g * (1 - alpha) + cb * alpha;
    }
    image.data[4 * n] = r; image.data[4 * n + 1] = gg; image.data[4 * n + 2] = b; image.data[4 * n + 3] = 255;
  }
  const off = new OffscreenCanvas(width, height);
  off.getContext("2d").putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);

  // Pixel (i, j) centre → canvas.
  const px = (i) => (i + 0.5) * sx * scale, py = (j) => (j + 0.5) * sy * scale;
  ctx.lineWidth = 1.6;
  for (const [percent, stroke] of ISODOSE) {
    const segments = isolines(dose, width, height, (percent / 100) * rx);
    ctx.strokeStyle = stroke;
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(px(segments[s]), py(segments[s + 1]));
      ctx.lineTo(px(segments[s + 2]), py(segments[s + 3]));
    }
    ctx.stroke();
  }

  if (options.contours) {
    // Dashed, on a dark halo, so an outline stays visible on an isodose line of the same colour.
    ctx.setLineDash([5, 3]);
    for (const c of slice.contours) {
      ctx.beginPath();
      for (let n = 0; n < c.points.length; n += 2) {
        const x = px(c.points[n]), y = py(c.points[n + 1]);
        if (n === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.closePath();
      ctx.lineWidth = 3.5;
      ctx.strokeStyle = "rgba(0,0,0,0.75)";
      ctx.stroke();
      ctx.lineWidth = 1.8;
      ctx.strokeStyle = c.color;
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  drawEdgeLetters(ctx, canvas, info.edges);
}

/**
 * The patient direction at each edge (R/L/A/P), as the server computed it from the CT's Image Orientation (Patient):
 * a prone or feet-first CT is not drawn as if it were head-first supine.
 */
function drawEdgeLetters(ctx, canvas, edges) {
  if (!edges) return;
  ctx.font = "bold 18px sans-serif";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(0,0,0,0.8)";
  ctx.fillStyle = "#ffff66";
  const put = (text, x, y, align, baseline) => {
    ctx.textAlign = align;
    ctx.textBaseline = baseline;
    ctx.strokeText(text, x, y);
    ctx.fillText(text, x, y);
  };
  put(edges.left, 6, canvas.height / 2, "left", "middle");
  put(edges.right, canvas.width - 6, canvas.height / 2, "right", "middle");
  put(edges.top, canvas.width / 2, 6, "center", "top");
  put(edges.bottom, canvas.width / 2, canvas.height - 6, "center", "bottom");
}

/** One sentence saying how the slice is oriented, for the page and screen readers. */
export function orientationText(info) {
  const e = info.edges;
  const position = info.patientPosition ? `Patient position ${info.patientPosition}` : "No patient position in the CT";
  return e ? `${position}; left edge ${e.left}, right ${e.right}, top ${e.top}, bottom ${e.bottom} (from the CT's image orientation).` : position + ".";
}
