"""JavaScript the browser tests inject to watch the page change."""


# Each change of the last answer while it streams: its text, its draft (label, style), a retry line,
# and whether a badge shows. Pushed to ``window.__states`` (browser tests of drafts read it).
DRAFT_OBSERVER = """
window.__states = [];
new MutationObserver(() => {
  const bots = document.querySelectorAll('#chat [data-testid=bot]');
  const last = bots[bots.length - 1];
  if (!last) return;
  const draft = last.querySelector('.p2-draft:not(.p2-retrying)'), text = draft && draft.querySelector('.p2-draft-text');
  window.__states.push({
    text: last.innerText, draft: !!draft, retrying: !!last.querySelector('.p2-retrying'),
    drafts: last.querySelectorAll('.p2-draft-text').length,
    label: draft ? draft.querySelector('.p2-draft-label').innerText : null,
    italic: text ? getComputedStyle(text).fontStyle === 'italic' : null,
    muted: text ? getComputedStyle(text).color !== getComputedStyle(last).color : null,
    badge: !!last.querySelector('.p2-badge, .p2-sources'), footer: !!last.querySelector('.p2-footer')});
}).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
"""
