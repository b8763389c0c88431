#!/usr/bin/env node
// Rasterises logo.svg and tray.svg with headless Chromium into the PNG, ICO and ICNS files
// electron-builder and the tray use. Run after editing an SVG: node assets/make-icons.mjs
// (needs /usr/bin/chromium or CHROMIUM=/path). The outputs are committed; builds do not run this.
import { chromium } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

async function rasterise(page, svg, size) {
  await page.setViewportSize({ width: size, height: size });
  const html = `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`;
  await page.setContent(html);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** ICO with PNG entries (Vista+): 6-byte header, 16-byte directory entries, then the PNGs. */
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.data)]);
}

/** ICNS with PNG entries: 'icns' + length, then type + length + PNG per size. */
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([h, ...parts]);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const logo = await readFile(join(here, 'logo.svg'), 'utf8');
  const tray = await readFile(join(here, 'tray.svg'), 'utf8');
  const png = {};
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) png[size] = await rasterise(page, logo, size);
  await writeFile(join(here, 'icon.png'), png[512]);
  await writeFile(join(here, 'icon-1024.png'), png[1024]);
  await writeFile(join(here, 'icon.ico'), ico([16, 32, 48, 64, 128, 256].map((size) => ({ size, data: png[size] }))));
  await writeFile(
    join(here, 'icon.icns'),
    icns([
      { type: 'icp4', data: png[16] },
      { type: 'icp5', data: png[32] },
      { type: 'icp6', data: png[64] },
      { type: 'ic07', data: png[128] },
      { type: 'ic08', data: png[256] },
      { type: 'ic09', data: png[512] },
      { type: 'ic10', data: png[1024] },
    ]),
  );
  await writeFile(join(here, 'tray.png'), await rasterise(page, tray, 16));
  await writeFile(join(here, 'tray@2x.png'), await rasterise(page, tray, 32));
  // macOS menu bar: a black "template" image that the system tints for light and dark bars.
  const template = tray.replaceAll('#2b6ef2', '#000000');
  await writeFile(join(here, 'trayTemplate.png'), await rasterise(page, template, 16));
  await writeFile(join(here, 'trayTemplate@2x.png'), await rasterise(page, template, 32));
  console.log('icons written to assets/');
} finally {
  await browser.close();
}
