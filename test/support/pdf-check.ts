/**
 * Reads a PDF the way a reader starts to: the header, `startxref`, the cross-reference table, each
 * object at its offset, each stream's /Length, the page tree. Throws at the first thing a reader
 * would have to repair; returns the pages' text (the literal strings shown, as WinAnsi decoded).
 */
export function checkPdf(bytes: Buffer): { pages: number; text: string[]; title: string } {
  const s = bytes.toString('latin1');
  if (!s.startsWith('%PDF-1.')) throw new Error('no PDF header');
  const tail = /startxref\n(\d+)\n%%EOF\n?$/.exec(s);
  if (!tail) throw new Error('no startxref at the end');
  const xref = Number(tail[1]);
  if (s.slice(xref, xref + 5) !== 'xref\n')
    throw new Error(`startxref ${xref} does not point at the xref table`);
  const head = /^xref\n0 (\d+)\n/.exec(s.slice(xref));
  if (!head) throw new Error('bad xref header');
  const size = Number(head[1]);
  const entries = s
    .slice(xref + head[0].length)
    .split('\n')
    .slice(0, size);
  if (entries[0] !== '0000000000 65535 f ') throw new Error('bad free entry');
  const objects = new Map<number, string>();
  for (let id = 1; id < size; id++) {
    const entry = /^(\d{10}) 00000 n $/.exec(entries[id] ?? '');
    if (!entry) throw new Error(`bad xref entry ${id}: ${entries[id]}`);
    const at = Number(entry[1]);
    const start = `${id} 0 obj\n`;
    if (s.slice(at, at + start.length) !== start) throw new Error(`object ${id} is not at ${at}`);
    const end = s.indexOf('\nendobj\n', at);
    objects.set(id, s.slice(at + start.length, end));
  }
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R \/Info (\d+) 0 R >>/.exec(s);
  if (!trailer || Number(trailer[1]) !== size) throw new Error('trailer /Size does not match');
  const root = objects.get(Number(trailer[2])) ?? '';
  const pagesRef = /\/Type \/Catalog \/Pages (\d+) 0 R/.exec(root);
  if (!pagesRef) throw new Error('no catalog');
  const tree = objects.get(Number(pagesRef[1])) ?? '';
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) =>
    Number(m[1]),
  );
  const count = Number(/\/Count (\d+)/.exec(tree)?.[1]);
  if (kids.length !== count || count === 0) throw new Error('page count does not match the kids');
  const unescape = (lit: string) => lit.replace(/\\([\\()])/g, '$1');
  const text: string[] = [];
  for (const kid of kids) {
    const page = objects.get(kid) ?? '';
    if (!page.includes('/Type /Page ')) throw new Error(`object ${kid} is not a page`);
    const contents = Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]);
    const stream = /^<< \/Length (\d+) >>\nstream\n([\s\S]*)\nendstream$/.exec(objects.get(contents) ?? '');
    if (!stream) throw new Error(`page ${kid} has no content stream`);
    if (stream[2]!.length !== Number(stream[1])) throw new Error(`stream ${contents} has the wrong /Length`);
    for (const m of stream[2]!.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g))
      text.push(decodeWinAnsi(unescape(m[1]!)));
  }
  const info = objects.get(Number(trailer[3])) ?? '';
  const title = decodeWinAnsi(unescape(/\/Title \(((?:\\.|[^\\)])*)\)/.exec(info)?.[1] ?? ''));
  return { pages: count, text, title };
}

const HIGH: Record<number, string> = {
  0x80: '€',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x85: '…',
};

/** WinAnsi bytes (as Latin-1 characters) back to text, for the characters transcripts use. */
function decodeWinAnsi(bytes: string): string {
  return [...bytes].map((c) => HIGH[c.charCodeAt(0)] ?? c).join('');
}
