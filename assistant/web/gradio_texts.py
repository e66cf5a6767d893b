"""Gradio's own interface strings (upload area, chat buttons, sidebar toggle) in the interface language.

Gradio 6 translates its built-in strings with svelte-i18n by the *browser's* locale, and ships no
Vietnamese: a custom ``gr.I18n(vi=...)`` is never selected (its locale list is the built-in one, so
``vi-VN`` falls back to English), and it would not follow this app's own language switch anyway.
Some strings are not translatable at all ("Liked"/"Disliked", "Click to upload or drop files",
"Toggle Sidebar" are written into the components). So a small script, put in the page's ``<head>``,
rewrites exactly these strings (text, ``aria-label`` and ``title``) into the language chosen in the
side panel, and back. The texts are the ``gradio.*`` keys of :mod:`assistant.web.texts_vi` and
:mod:`assistant.web.texts_en`; the English ones are Gradio's own, so switching back restores them.
Message contents and our own Markdown and HTML blocks are never touched.
"""

from __future__ import annotations

import json

from assistant.web.i18n import TEXTS, normalize

PREFIX = "gradio."

_SCRIPT = """<script>
(() => {
  const TABLE = %(table)s;
  const FALLBACK = %(lang)s;
  const SKIP = '.prose, .md, .message-content, [data-testid="bot"], [data-testid="user"], textarea, pre, code';
  const ATTRIBUTES = ['aria-label', 'title'];
  const known = new Map();  // any known variant -> key
  for (const [key, texts] of Object.entries(TABLE)) for (const text of Object.values(texts)) known.set(text, key);
  const lang = () => document.querySelector('#lang-switch input:checked')?.value || FALLBACK;
  const wanted = (text, to) => { const key = known.get(text); return key ? (TABLE[key][to] ?? text) : null; };
  function fixText(node, to) {
    const raw = node.nodeValue, trimmed = raw.trim();
    const target = trimmed && wanted(trimmed, to);
    if (target && target !== trimmed && !node.parentElement?.closest(SKIP)) node.nodeValue = raw.replace(trimmed, target);
  }
  function fixElement(element, to) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const target = value && wanted(value, to);
      if (target && target !== value && !element.closest(SKIP)) element.setAttribute(name, target);
    }
  }
  function fixTree(root, to) {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root, to);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root, to);
    for (const element of root.querySelectorAll('[aria-label], [title]')) fixElement(element, to);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixText(walker.currentNode, to);
  }
  const all = () => fixTree(document.body, lang());
  new MutationObserver((records) => {
    const to = lang();
    for (const record of records) {
      if (record.type === 'attributes') fixElement(record.target, to);
      else if (record.type === 'characterData') fixText(record.target, to);
      else record.addedNodes.forEach((node) => fixTree(node, to));
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                         attributes: true, attributeFilter: ATTRIBUTES});
  document.addEventListener('change', (event) => { if (event.target.closest?.('#lang-switch')) all(); });
  document.addEventListener('DOMContentLoaded', all);
})();
</script>"""


def table() -> dict[str, dict[str, str]]:
    """``key -> {language: text}`` for every ``gradio.*`` text."""
    return {key: {lang: texts[key] for lang, texts in TEXTS.items()} for key in TEXTS["en"] if key.startswith(PREFIX)}


def head_script(default_lang: str) -> str:
    """The ``<script>`` for ``launch(head=...)``; ``default_lang`` until the side panel is drawn."""
    # json.dumps escapes no "</": keep a text from closing the script element early.
    encoded = json.dumps(table(), ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT % {"table": encoded, "lang": json.dumps(normalize(default_lang))}
