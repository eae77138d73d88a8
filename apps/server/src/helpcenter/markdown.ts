import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { type SafeHtml, trustedHtml } from './html.ts';

const marked = new Marked({ gfm: true, breaks: false });

/** Whether a link leaves the help center's own site. */
function isExternal(href: string, ownOrigin: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//')) return false;
  try {
    return new URL(href, ownOrigin).origin !== ownOrigin;
  } catch {
    return true;
  }
}

function sanitizeOptions(ownOrigin: string): sanitizeHtml.IOptions {
  return {
    allowedTags: [
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'p',
      'br',
      'hr',
      'ul',
      'ol',
      'li',
      'blockquote',
      'pre',
      'code',
      'kbd',
      'strong',
      'b',
      'em',
      'i',
      'del',
      's',
      'sup',
      'sub',
      'a',
      'img',
      'table',
      'thead',
      'tbody',
      'tfoot',
      'tr',
      'th',
      'td',
      'caption',
      'dl',
      'dt',
      'dd',
    ],
    // Scripts, styles and the like go with their content; other unknown tags keep their text.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object'],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
      code: ['class'],
      th: ['align', 'colspan', 'rowspan'],
      td: ['align', 'colspan', 'rowspan'],
      ol: ['start'],
    },
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: {
      // The page's own title is the only h1.
      h1: 'h2',
      a: (tagName, attribs) => {
        const href = attribs.href ?? '';
        const { rel: _ignored, ...rest } = attribs;
        return {
          tagName,
          attribs: isExternal(href, ownOrigin) ? { ...rest, rel: 'noopener nofollow' } : rest,
        };
      },
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
    },
  };
}

/**
 * An article body (Markdown) as HTML safe to put in a page: rendered with marked, then
 * sanitized (headings, lists, tables, code, links; no scripts, styles, frames or handlers).
 * External links get rel="noopener nofollow".
 */
export function renderArticleBody(markdown: string, ownOrigin: string): SafeHtml {
  const rendered = marked.parse(markdown, { async: false });
  return trustedHtml(sanitizeHtml(rendered, sanitizeOptions(ownOrigin)));
}
