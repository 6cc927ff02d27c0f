/**
 * A small streaming scanner for the XML inside an xlsx: tags and text are handed out as the bytes
 * arrive, so a sheet is never held whole. It understands what spreadsheet programs write (elements,
 * attributes, text, CDATA, comments, declarations) and expands only the predefined entities, so no
 * entity trick can make it grow. Text between tags is handed out raw; the handler decodes what it keeps.
 */
import { StringDecoder } from 'node:string_decoder';

export interface XmlHandler {
  /** name without its namespace prefix; attrs is the raw attribute text. Self-closing tags also get close(). */
  open(name: string, attrs: string): void;
  close(name: string): void;
  text(raw: string): void;
}

export class XmlError extends Error {}

/** A single tag, comment or CDATA section longer than this is not something a spreadsheet writes. */
const MAX_MARKUP = 64 * 1024;

const localName = (qname: string) => {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
};

export class XmlScanner {
  private carry = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly h: XmlHandler) {}

  write(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  end(): void {
    this.feed(this.decoder.end());
  }

  private feed(s: string): void {
    const buf = this.carry ? this.carry + s : s;
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const lt = buf.indexOf('<', i);
      if (lt < 0) {
        this.h.text(buf.slice(i));
        i = n;
        break;
      }
      if (lt > i) this.h.text(buf.slice(i, lt));
      i = lt;
      if (lt + 1 >= n) break;
      const c1 = buf.charCodeAt(lt + 1);
      if (c1 === 33 /* ! */) {
        if (buf.startsWith('<![CDATA[', lt)) {
          const end = buf.indexOf(']]>', lt + 9);
          if (end < 0) break;
          // Raw text: escape the markup characters so the handler's decoding gives them back unchanged.
          this.h.text(buf.slice(lt + 9, end).replace(/&/g, '&amp;'));
          i = end + 3;
          continue;
        }
        const end = buf.startsWith('<!--', lt) ? buf.indexOf('-->', lt + 4) : buf.indexOf('>', lt);
        if (end < 0) break;
        i = end + (buf.startsWith('<!--', lt) ? 3 : 1);
        continue;
      }
      if (c1 === 63 /* ? */) {
        const end = buf.indexOf('?>', lt);
        if (end < 0) break;
        i = end + 2;
        continue;
      }
      // The closing '>' outside quoted attribute values.
      let j = lt + 1;
      let quote = 0;
      for (; j < n; j++) {
        const ch = buf.charCodeAt(j);
        if (quote) {
          if (ch === quote) quote = 0;
        } else if (ch === 34 || ch === 39) quote = ch;
        else if (ch === 62) break;
      }
      if (j >= n) break;
      if (c1 === 47 /* / */) this.h.close(localName(buf.slice(lt + 2, j).trim()));
      else {
        const selfClosing = buf.charCodeAt(j - 1) === 47;
        const body = buf.slice(lt + 1, selfClosing ? j - 1 : j);
        const space = body.search(/\s/);
        const name = localName(space < 0 ? body : body.slice(0, space));
        this.h.open(name, space < 0 ? '' : body.slice(space));
        if (selfClosing) this.h.close(name);
      }
      i = j + 1;
    }
    this.carry = i < n ? buf.slice(i) : '';
    if (this.carry.length > MAX_MARKUP) throw new XmlError('markup too long');
  }
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fromCodePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

/** The predefined entities and character references; OOXML's _xHHHH_ escapes (a CR in a cell is _x000D_). */
export function decodeXml(s: string): string {
  let out =
    s.indexOf('&') < 0
      ? s
      : s.replace(ENTITY, (_, e: string) => NAMED[e] ?? fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))));
  if (out.indexOf('_x') >= 0) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

/** One attribute's value, decoded; null when absent. `name` may be given with a prefix (r:id) or without. */
export function attr(attrs: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\s)${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const m = re.exec(attrs);
  if (!m) return null;
  return decodeXml(m[2] ?? m[3] ?? '');
}

/** The attributes a cell carries, read in one pass (this runs for every cell of a big sheet). */
export function cellAttrs(attrs: string): { r: string | null; t: string | null; s: string | null } {
  let r: string | null = null;
  let t: string | null = null;
  let s: string | null = null;
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(attrs); m; m = re.exec(attrs)) {
    const v = m[2] ?? m[3] ?? '';
    if (m[1] === 'r') r = v;
    else if (m[1] === 't') t = v;
    else if (m[1] === 's') s = v;
  }
  return { r, t, s };
}
