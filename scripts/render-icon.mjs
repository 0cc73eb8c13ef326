// Renders media/icon.png (the Marketplace / Extensions view icon, 128x128) from media/comet.svg, in Debian's Chromium.
// Run by hand after changing the SVG (`node scripts/render-icon.mjs`); the PNG is committed, so packaging needs no browser.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(ROOT, 'media', 'comet.svg'), 'utf8').replace('<svg ', '<svg style="width:88px;height:88px;color:#ffffff" ');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
await page.setContent(`<body style="margin:0;background:transparent"><div style="width:128px;height:128px;border-radius:24px;display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#1e3a8a,#0f172a)">${svg}</div></body>`);
await page.screenshot({ path: path.join(ROOT, 'media', 'icon.png'), omitBackground: true });
await browser.close();
console.log(`media/icon.png: ${fs.statSync(path.join(ROOT, 'media', 'icon.png')).size} bytes`);
