/**
 * Script-injection payloads for tests of every page that shows text from residents or staff
 * (messages, names, topics, notes). Each tries to run `window.__xss(<n>)` (a marker the test page
 * defines) or to open a dialog; a test passes when neither ever happens and the text is shown as text.
 * Sources: the OWASP XSS filter evasion cheat sheet and PortSwigger's XSS cheat sheet, adapted.
 */
const vectors = [
  (n: number) => `<script>window.__xss(${n})</script>`,
  (n: number) => `<img src=x onerror="window.__xss(${n})">`,
  (n: number) => `<img src=x onerror=window.__xss(${n})//`,
  (n: number) => `<svg onload=window.__xss(${n})>`,
  (n: number) => `<svg><script>window.__xss(${n})</script></svg>`,
  (n: number) => `<body onload=window.__xss(${n})>`,
  (n: number) => `<iframe src="javascript:window.parent.__xss(${n})"></iframe>`,
  (n: number) => `<iframe srcdoc="<script>parent.__xss(${n})</script>"></iframe>`,
  (n: number) => `<a href="javascript:window.__xss(${n})" id="x${n}">klik</a>`,
  (n: number) => `<a href="JaVaScRiPt:window.__xss(${n})">klik</a>`,
  (n: number) => `<a href="&#106;avascript:window.__xss(${n})">klik</a>`,
  (n: number) => `<details open ontoggle=window.__xss(${n})>`,
  (n: number) => `<input autofocus onfocus=window.__xss(${n})>`,
  (n: number) => `<select autofocus onfocus=window.__xss(${n})></select>`,
  (n: number) => `<textarea autofocus onfocus=window.__xss(${n})></textarea>`,
  (n: number) => `<video><source onerror="window.__xss(${n})"></video>`,
  (n: number) => `<audio src=x onerror=window.__xss(${n})>`,
  (n: number) => `<object data="javascript:window.__xss(${n})"></object>`,
  (n: number) => `<embed src="javascript:window.__xss(${n})">`,
  (n: number) => `<math><mtext><img src=x onerror=window.__xss(${n})></mtext></math>`,
  (n: number) => `"><script>window.__xss(${n})</script>`,
  (n: number) => `'><img src=x onerror=window.__xss(${n})>`,
  (n: number) => `" onmouseover="window.__xss(${n})" x="`,
  (n: number) => `' onfocus='window.__xss(${n})' autofocus '`,
  (n: number) => `</textarea><script>window.__xss(${n})</script>`,
  (n: number) => `</title><script>window.__xss(${n})</script>`,
  (n: number) => `</style><script>window.__xss(${n})</script>`,
  (n: number) => `--><script>window.__xss(${n})</script><!--`,
  (n: number) => `<![CDATA[<script>window.__xss(${n})</script>]]>`,
  (n: number) => `<scr<script>ipt>window.__xss(${n})</scr</script>ipt>`,
  (n: number) => `<SCRIPT SRC=data:text/javascript,window.__xss(${n})></SCRIPT>`,
  (n: number) => `<script src="data:text/javascript,window.__xss(${n})"></script>`,
  (n: number) => `<img src="x" onerror="&#119;indow.__xss(${n})">`,
  (n: number) => `<img src=x onerror=eval(atob('${Buffer.from(`window.__xss(${n})`).toString('base64')}'))>`,
  (n: number) => `<form action="javascript:window.__xss(${n})"><button id="f${n}">go</button></form>`,
  (n: number) => `<button formaction="javascript:window.__xss(${n})">go</button>`,
  (n: number) => `<meta http-equiv="refresh" content="0;url=javascript:window.__xss(${n})">`,
  (n: number) => `<link rel="stylesheet" href="javascript:window.__xss(${n})">`,
  (n: number) => `<style>@import 'javascript:window.__xss(${n})';</style>`,
  (n: number) => `<div style="background:url(javascript:window.__xss(${n}))">x</div>`,
  (n: number) => `<marquee onstart=window.__xss(${n})>x</marquee>`,
  (n: number) => `<isindex type=image src=1 onerror=window.__xss(${n})>`,
  (n: number) => `<table background="javascript:window.__xss(${n})"></table>`,
  (n: number) => `<base href="javascript:window.__xss(${n})//">`,
  (n: number) => `{{constructor.constructor('window.__xss(${n})')()}}`,
  (n: number) => `\${window.__xss(${n})}`,
  (n: number) => `<%= window.__xss(${n}) %>`,
  (n: number) => `<img src=x:alert(alt) onerror=eval(src) alt=${n}>`,
  (n: number) => `javascript:window.__xss(${n})`,
  (n: number) => `<x onclick=window.__xss(${n}) id=c${n}>klik mij</x>`,
  (n: number) => `<noscript><p title="</noscript><img src=x onerror=window.__xss(${n})>">`,
  (n: number) =>
    `<svg><a xlink:href="javascript:window.__xss(${n})"><text x="20" y="20">klik</text></a></svg>`,
  (n: number) => `<img src=x onerror=alert(${n})>`,
  (n: number) => `<script>alert(${n})</script>`,
  (n: number) => `\u003cimg src=x onerror=window.__xss(${n})\u003e`,
  (n: number) => `<<script>script>window.__xss(${n})<</script>/script>`,
];

/** At least 50 payloads; each carries its own number so a failing test says which one ran. */
export const XSS_PAYLOADS: readonly string[] = vectors.map((vector, i) => vector(i + 1));

/**
 * A script for `page.addInitScript`: defines the marker the payloads call and records dialogs, so a
 * test can read `window.__xssFired` (an array of payload numbers that ran).
 */
export const XSS_MARKER_SCRIPT = `
  window.__xssFired = [];
  window.__xss = (n) => { window.__xssFired.push(n); };
`;
