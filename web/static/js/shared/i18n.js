// The client's words in the page's language. The server chose it (<html lang>); English is
// the source, so an English page needs no catalogue. Any other language's catalogue,
// web/static/i18n/<lang>.json, is loaded once, here, with top-level await: every module that
// imports this one runs only after it is there, so no text is ever rendered before it.
// Keys are the English text itself, with {name} placeholders (docs/architecture.md).

const SOURCE = "en";

/** The page's language ("en", "es"), as the server set it. */
export const language = document.documentElement.lang || SOURCE;

async function load() {
  if (language === SOURCE) return {};
  // A catalogue that cannot be read leaves the page in English rather than without a working
  // page: every module waits for this one, so a failure here must not become theirs.
  try {
    const response = await fetch(new URL(`../../i18n/${language}.json`, import.meta.url));
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

const catalogue = await load();
const plurals = new Intl.PluralRules(language);

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** `text` (English, the key) in the page's language, its {placeholders} filled from `vars`. */
export function t(text, vars = {}) {
  const translated = catalogue[text];
  return fill(typeof translated === "string" ? translated : text, vars);
}

/**
 * The form of `one`/`other` (English, `other` is the key) that `count` takes in the page's
 * language; {count} and the other placeholders are filled. A catalogue entry holds the
 * language's own forms by Intl.PluralRules category ("one", "many", "other").
 */
export function tn(one, other, count, vars = {}) {
  const forms = catalogue[other];
  const category = plurals.select(count);
  const chosen = forms && typeof forms === "object"
    ? forms[category] ?? forms.other
    : category === "one" ? one : other;
  return fill(chosen, { count: new Intl.NumberFormat(language).format(count), ...vars });
}
