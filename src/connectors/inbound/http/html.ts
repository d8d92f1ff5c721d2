// Service HTML (Discourse `cooked`, Mastodon `content`) made ready for the one HTML → text
// converter of the ingest pipeline: quotes of other people's posts removed (they are not
// this author's words, and would make every reply look like a copy), emoji images turned
// into their text, relative links made absolute. What is left is only ever shown as text.
import { absolutizeHtml } from '../feeds/parse';

const QUOTE = /<aside\b[^>]*\bclass\s*=\s*["'][^"']*\bquote\b[^"']*["'][^>]*>[\s\S]*?<\/aside\s*>/gi;
const EMOJI_IMG = /<img\b[^>]*\bclass\s*=\s*["'][^"']*\bemoji\b[^"']*["'][^>]*>/gi;
const ALT = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

export function prepareServiceHtml(html: string, base: string): string {
  let s = html.replace(QUOTE, ' ');
  s = s.replace(EMOJI_IMG, (img) => {
    const m = ALT.exec(img);
    return m ? ` ${m[1] ?? m[2] ?? ''} ` : ' ';
  });
  return absolutizeHtml(s, base);
}
