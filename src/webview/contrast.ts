// Theme colours that VS Code made for other surfaces (debug hovers, symbol icons, error text) do not always meet
// WCAG AA (4.5:1) on a code block or the side bar: Light Modern's class orange is 2.9:1, Dark Modern's keyword blue
// 4.3:1. Each colour is read from its theme variable and, only where it falls short on the background it is drawn
// on, blended toward the theme's foreground until it meets contrast. The result is set as a --comet-* variable that
// the stylesheet uses (falling back to the raw theme variable), and redone whenever the theme changes.

/** [our variable, the theme variable it follows, where it is drawn]. */
const COLOURS: Array<[string, string, 'code' | 'panel']> = [
  ['--comet-hl-keyword', '--vscode-debugTokenExpression-boolean', 'code'],
  ['--comet-hl-string', '--vscode-debugTokenExpression-string', 'code'],
  ['--comet-hl-number', '--vscode-debugTokenExpression-number', 'code'],
  ['--comet-hl-function', '--vscode-symbolIcon-functionForeground', 'code'],
  ['--comet-hl-class', '--vscode-symbolIcon-classForeground', 'code'],
  ['--comet-hl-variable', '--vscode-debugTokenExpression-name', 'code'],
  ['--comet-hl-comment', '--vscode-descriptionForeground', 'code'],
  ['--comet-hl-deletion', '--vscode-errorForeground', 'code'],
  ['--comet-error', '--vscode-errorForeground', 'panel'],
  ['--comet-warning', '--vscode-editorWarning-foreground', 'panel'],
  ['--comet-description', '--vscode-descriptionForeground', 'panel'],
];
const AA = 4.6; // 4.5 with room for rounding

type Rgb = [number, number, number];

export function parseRgb(css: string): { rgb: Rgb; alpha: number } | undefined {
  const m = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)/.exec(css);
  if (!m) return undefined;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha };
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map(i => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;

/** `colour` itself when it meets AA on `background`, else the least blend toward `toward` (or black/white) that does. */
export function readable(colour: Rgb, background: Rgb, toward: Rgb): Rgb {
  if (contrast(colour, background) >= AA) return colour;
  const target = contrast(toward, background) >= AA ? toward : luminance(background) > 0.18 ? [0, 0, 0] as Rgb : [255, 255, 255] as Rgb;
  for (let t = 0.05; t < 1; t += 0.05) {
    const next = mix(colour, target, t);
    if (contrast(next, background) >= AA) return next;
  }
  return target;
}

/** The colour a CSS value computes to, painted over `under` when it is translucent. */
function computed(probe: HTMLElement, property: 'color' | 'backgroundColor', value: string, under?: Rgb): Rgb | undefined {
  probe.style[property] = value;
  const parsed = parseRgb(getComputedStyle(probe)[property]);
  if (!parsed) return undefined;
  return under && parsed.alpha < 1 ? mix(under, parsed.rgb, parsed.alpha) : parsed.rgb;
}

function apply(root: HTMLElement, probe: HTMLElement): void {
  const panel = computed(probe, 'backgroundColor', 'var(--vscode-sideBar-background, var(--vscode-editor-background))') ?? [255, 255, 255];
  const code = computed(probe, 'backgroundColor', 'var(--vscode-textCodeBlock-background)', panel) ?? panel;
  const foreground = computed(probe, 'color', 'var(--vscode-foreground)') ?? [128, 128, 128];
  for (const [ours, theirs, where] of COLOURS) {
    const colour = computed(probe, 'color', `var(${theirs})`);
    if (!colour) continue;
    const [r, g, b] = readable(colour, where === 'code' ? code : panel, foreground);
    root.style.setProperty(ours, `rgb(${r}, ${g}, ${b})`);
  }
}

/** Keeps the --comet-* colours readable on `root`, now and after every theme change. */
export function keepContrast(root: HTMLElement): void {
  const probe = document.createElement('span');
  probe.hidden = true;
  root.append(probe);
  const run = () => apply(root, probe);
  run();
  // VS Code sets a theme's variables on <html>'s style and its kind as <body>'s class.
  const observer = new MutationObserver(run);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
