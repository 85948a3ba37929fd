// Picks the page language: ?lng → cookie → Accept-Language → en, and gives views
// t(), the direction, Intl formatters and links to switch language.
import type { NextFunction, Request, Response } from 'express';
import { LANGUAGES, type Language } from '../domain/ticket';
import { formatters } from '../i18n/format';
import { DIRECTION, isLanguage, translator } from '../i18n/index';
import { isolatedT } from '../i18n/markup';

export const LANGUAGE_COOKIE = 'lng';

export function pickLanguage(req: Request): { lng: Language; fromQuery: boolean } {
  const fromQuery = req.query.lng;
  if (isLanguage(fromQuery)) return { lng: fromQuery, fromQuery: true };
  const cookie = req.cookies?.[LANGUAGE_COOKIE];
  if (isLanguage(cookie)) return { lng: cookie, fromQuery: false };
  const accepted = req.acceptsLanguages([...LANGUAGES]);
  return { lng: isLanguage(accepted) ? accepted : 'en', fromQuery: false };
}

export function locale(opts: { cookieSecure: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { lng, fromQuery } = pickLanguage(req);
    if (fromQuery && req.cookies?.[LANGUAGE_COOKIE] !== lng) {
      res.cookie(LANGUAGE_COOKIE, lng, {
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.cookieSecure,
        maxAge: 365 * 24 * 3_600_000,
      });
    }
    res.locals.lng = lng;
    res.locals.dir = DIRECTION[lng];
    res.locals.t = translator(lng);
    res.locals.tb = isolatedT(res.locals.t);
    res.locals.fmt = formatters(lng);
    // A page shown in answer to a POST switches language on the page it came from
    // (res.locals.pagePath, set by the handler), never by replaying the POST's address.
    res.locals.languageLinks = () =>
      LANGUAGES.map((code) => ({
        code,
        href: withQuery((res.locals.pagePath as string | undefined) ?? (req.method === 'GET' ? req.originalUrl : req.path), {
          lng: code,
        }),
      }));
    res.vary('Accept-Language');
    next();
  };
}

/** A local path with some query parameters replaced. */
export function withQuery(path: string, changes: Record<string, string>): string {
  const url = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(changes)) url.searchParams.set(k, v);
  return url.pathname + url.search;
}
