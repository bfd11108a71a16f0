/** One attribute of `_highlightResult`, as Algolia writes it. */
export interface HighlightResult {
  value: string;
  matchLevel: 'none' | 'partial' | 'full';
  matchedWords: string[];
  fullyHighlighted?: boolean;
}

export interface HighlightTags {
  preTag: string;
  postTag: string;
}

/**
 * The query is matched as one case-insensitive substring (as the search does), so every
 * occurrence of it is wrapped in the tags. Values are not HTML-escaped, as in Algolia:
 * instantsearch escapes hits itself, with tags of its own.
 */
export function highlight(value: string, query: string, tags: HighlightTags): HighlightResult {
  if (query === '') return { value, matchLevel: 'none', matchedWords: [] };
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  let matched = false;
  const marked = value.replace(pattern, (found) => {
    matched = true;
    return `${tags.preTag}${found}${tags.postTag}`;
  });
  if (!matched) return { value, matchLevel: 'none', matchedWords: [] };
  return { value: marked, matchLevel: 'full', matchedWords: [query], fullyHighlighted: marked === `${tags.preTag}${value}${tags.postTag}` };
}
