import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];

type Dict = Map<string, string>;

/** Loads plugin/i18n/<lang>/<namespace>.json; a key is `<namespace>.<path.in.file>`. */
function loadLang(lang: Lang): Dict {
  const dir = path.join(__dirname, lang);
  const dict: Dict = new Map();
  const flatten = (prefix: string, obj: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = `${prefix}.${k}`;
      if (typeof v === 'string') dict.set(key, v);
      else if (v && typeof v === 'object') flatten(key, v as Record<string, unknown>);
    }
  };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    flatten(path.basename(file, '.json'), JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  }
  return dict;
}

const dicts = new Map<Lang, Dict>(LANGS.map((l) => [l, loadLang(l)]));

/** The namespaces (file names) present in every language. */
export function namespaces(): string[] {
  const per = LANGS.map((l) => new Set([...dicts.get(l)!.keys()].map((k) => k.split('.')[0])));
  return [...per[0]].filter((ns) => per.every((set) => set.has(ns)));
}

export function hasKey(lang: Lang, key: string): boolean {
  return dicts.get(lang)!.has(key);
}

export function allKeys(lang: Lang): string[] {
  return [...dicts.get(lang)!.keys()];
}

/** Translates `key`, filling `{name}` placeholders; falls back to zh-CN, then to the key itself. */
export function t(lang: Lang, key: string, vars: Record<string, unknown> = {}): string {
  const text = dicts.get(lang)!.get(key) ?? dicts.get('zh-CN')!.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** ?lang= first, then the union_lang cookie, then Accept-Language, then the module's setting. */
export function pickLang(req: Request, fallback: Lang): Lang {
  const asked = (req.query.lang as string | undefined) ?? (req.cookies as Record<string, string> | undefined)?.union_lang;
  if (asked === 'en' || asked === 'zh-CN') return asked;
  const header = req.get('accept-language');
  if (header) {
    const first = header.split(',')[0].trim().toLowerCase();
    if (first.startsWith('en')) return 'en';
    if (first.startsWith('zh')) return 'zh-CN';
  }
  return fallback;
}
