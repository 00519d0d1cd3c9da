/**
 * Every visible string, in English and Simplified Chinese, and the language switch.
 *
 * Pages add their own keys with `addMessages(lang, dict)`; markup names its strings with
 * `data-i18n` (text), `data-i18n-title`, `data-i18n-aria-label`, `data-i18n-placeholder` and `data-i18n-label`,
 * and `translatePage()` fills them. `t(key, params)` replaces `{name}` with `params.name`.
 * The language comes from `?lang=`, then the last choice (localStorage, and a cookie the server reads),
 * then the language the server sent the page in (`<html lang>`), then the browser. The server fills the
 * same strings before the page leaves (app/api/catalogue.py), so starting a page rewrites nothing.
 */

export const LANGUAGES = { en: "English", "zh-CN": "简体中文" };
const STORAGE_KEY = "convscope.lang";
const COOKIE = "convscope_lang"; // app/api/catalogue.py reads it: the next page arrives in this language

const messages = {
  en: {
    "app.name": "ConvScope",
    "nav.label": "Sections",
    "nav.menu": "Menu",
    "nav.skip": "Skip to the content",
    "punct.colon": ": ",
    "nav.matrix": "Matrix lab",
    "nav.images": "Image lab",
    "nav.network": "Network lab",
    "nav.backward": "Backward lab",
    "nav.lessons": "Lessons",
    "nav.practice": "Practice",
    "nav.docs": "API docs",
    "lang.label": "Language",
  },
  "zh-CN": {
    "app.name": "ConvScope",
    "nav.label": "栏目",
    "nav.menu": "菜单",
    "nav.skip": "跳到正文",
    "punct.colon": "：",
    "nav.matrix": "矩阵实验室",
    "nav.images": "图像实验室",
    "nav.network": "网络实验室",
    "nav.backward": "反向传播实验室",
    "nav.lessons": "课程",
    "nav.practice": "练习",
    "nav.docs": "API 文档",
    "lang.label": "语言",
  },
};

let current = "en";
const listeners = new Set();

/** Merge a page's own strings into a language's dictionary. */
export function addMessages(lang, dict) {
  messages[lang] = { ...(messages[lang] || {}), ...dict };
}

/** The string for `key` in the current language (English as fallback), with `{name}` filled in. */
export function t(key, params = {}) {
  const text = messages[current]?.[key] ?? messages.en[key];
  if (text === undefined) {
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

export function language() {
  return current;
}

/** Pick the supported language closest to a BCP 47 tag ("zh", "zh-Hans-CN" -> "zh-CN"). */
export function matchLanguage(tag) {
  if (!tag) {
    return null;
  }
  if (tag in LANGUAGES) {
    return tag;
  }
  return tag.toLowerCase().startsWith("zh") ? "zh-CN" : tag.toLowerCase().startsWith("en") ? "en" : null;
}

function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The language to start in: the URL, then the user's last choice, then the browser's. */
export function initialLanguage() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  const sent = document.documentElement.dataset.served ? document.documentElement.lang : null;
  const candidates = [fromUrl, storedLanguage(), sent, ...(navigator.languages || []), navigator.language];
  for (const tag of candidates) {
    const match = matchLanguage(tag);
    if (match) {
      return match;
    }
  }
  return "en";
}

/** Switch language, remember the choice, retranslate the page and tell listeners. */
export function setLanguage(lang, { remember = true } = {}) {
  current = matchLanguage(lang) || "en";
  document.documentElement.lang = current;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch {
      // Private browsing may forbid storage; the choice then lasts for this page only.
    }
    document.cookie = `${COOKIE}=${current}; path=/; max-age=31536000; SameSite=Lax`;
  }
  translatePage();
  for (const listener of listeners) {
    listener(current);
  }
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

const ATTRIBUTES = [
  ["data-i18n-title", "title"],
  ["data-i18n-aria-label", "aria-label"],
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-label", "label"],
];

/** Fill every element under `root` that names a string. */
export function translatePage(root = document) {
  // What already reads right (the server sent the page in this language) is left alone: no relayout.
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const text = t(el.dataset.i18n);
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }
  for (const [data, attr] of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${data}]`)) {
      const text = t(el.getAttribute(data));
      if (el.getAttribute(attr) !== text) {
        el.setAttribute(attr, text);
      }
    }
  }
  const title = document.querySelector("meta[name=page-title-key]");
  if (title) {
    document.title = `${t(title.content)} · ${t("app.name")}`;
  }
}

/** Wire a <select> to the language switch. */
export function bindLanguageSelect(select) {
  select.replaceChildren(
    ...Object.entries(LANGUAGES).map(([value, name]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = name;
      return option;
    }),
  );
  select.value = current;
  select.addEventListener("change", () => setLanguage(select.value));
  onLanguageChange((lang) => {
    select.value = lang;
  });
}

/**
 * Show a page that waited, hidden, for its first complete render (`<html class="loading">`), so that
 * nothing moves after the first paint. CSS reveals it anyway after a few seconds.
 */
export function revealPage() {
  document.documentElement.classList.remove("loading");
}

/** Start the language machinery for a page: pick the language and translate. */
export function initI18n() {
  setLanguage(initialLanguage(), { remember: false });
  const select = document.querySelector("[data-language-select]");
  if (select) {
    bindLanguageSelect(select);
  }
  document.documentElement.classList.add("translated");
}
