// A translation with its values isolated: the whole text is escaped, and each
// interpolated value (an ID, a link, an email, a number) is wrapped in <bdi> so
// it keeps its own direction inside Arabic text. The result is safe HTML.
import type { TFunction } from 'i18next';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function isolatedT(t: TFunction) {
  return (key: string, params: Record<string, unknown> = {}): string => {
    const marks: string[] = [];
    const marked: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params)) {
      if (name === 'count') {
        marked[name] = value;
        continue;
      }
      marked[name] = `\uE000${marks.length}\uE001`;
      marks.push(String(value));
    }
    const text = escapeHtml(String(t(key, marked)));
    return text.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => `<bdi>${escapeHtml(marks[Number(i)]!)}</bdi>`);
  };
}
