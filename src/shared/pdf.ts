/**
 * A minimal PDF 1.4 writer for plain text (a transcript for a case file): A4 pages, Helvetica,
 * lines wrapped to the page, no compression, an exact cross-reference table. Text is written in
 * WinAnsiEncoding, the encoding every PDF reader has for the standard fonts: the letters of Dutch
 * and English (é, ë, €, quotes, dashes) come out as they are; what it cannot show becomes '?'.
 */

const PAGE = { width: 595, height: 842, margin: 50 };
const SIZE = 10;
const LEADING = 14;
/** Helvetica at 10 pt averages about 5 pt a character; 86 leaves room for wide letters. */
const WRAP = 86;
const LINES_PER_PAGE = Math.floor((PAGE.height - 2 * PAGE.margin) / LEADING);

/** Unicode characters of WinAnsiEncoding outside Latin-1, with their byte. */
const WIN_ANSI: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

/** One character as its WinAnsi byte (a Latin-1 string character), '?' when it has none. */
function winAnsi(ch: string): string {
  const code = ch.codePointAt(0) ?? 63;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return ch;
  const mapped = WIN_ANSI[ch];
  return mapped === undefined ? '?' : String.fromCharCode(mapped);
}

/** A PDF literal string: WinAnsi bytes with `\`, `(` and `)` escaped. */
function literal(text: string): string {
  const bytes = [...text.normalize('NFC')].map(winAnsi).join('');
  return `(${bytes.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** Splits a text into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width = WRAP): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\t/g, '  ').split(/\r?\n/)) {
    let rest = paragraph;
    while ([...rest].length > width) {
      const chars = [...rest];
      const head = chars.slice(0, width).join('');
      const space = head.lastIndexOf(' ');
      const cut = space > width / 3 ? space : head.length;
      out.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    out.push(rest);
  }
  return out;
}

/** A PDF of `lines` (wrapped here) under a bold title, as bytes; `title` is also the document's title. */
export function textPdf(input: { title: string; lines: readonly string[] }): Buffer {
  const body = input.lines.flatMap((l) => wrapText(l));
  const first = LINES_PER_PAGE - 2;
  const pages: string[][] = [body.slice(0, first)];
  for (let i = first; i < body.length; i += LINES_PER_PAGE) pages.push(body.slice(i, i + LINES_PER_PAGE));

  // Objects 1–4 are fixed; each page then has its page object and its content stream.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + 2 * i);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
  pages.forEach((lines, i) => {
    const top = PAGE.height - PAGE.margin;
    const ops = [`BT /F1 ${SIZE} Tf ${LEADING} TL ${PAGE.margin} ${top} Td`];
    if (i === 0) ops.push(`/F2 ${SIZE + 2} Tf ${literal(input.title)} Tj T* T* /F1 ${SIZE} Tf`);
    for (const line of lines) ops.push(`${literal(line)} Tj T*`);
    ops.push('ET');
    const stream = ops.join('\n');
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    // Every byte of the stream is one Latin-1 character, so its length in characters is its length in bytes.
    objects[pageIds[i]! + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  const info = objects.length;
  objects[info] = `<< /Title ${literal(input.title)} /Producer (Spreekuur) >>`;

  // A binary comment line after the header tells tools the file holds 8-bit bytes.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
