/* global document, window, location, EventSource, CustomEvent */
// Live regions: a page's [data-live-region] parts refresh themselves when the console's event stream
// (GET /live, server-sent events) says they changed. A notification names a region and nothing else; the
// region is then fetched again as the page's own URL with ?fragment=<region> (the same reads, with the
// same rights, as a reload) and swapped in place, keeping focus and scroll, and a polite live region
// says "<label>" to screen readers. The indicator shows "live" while the stream is open and fed.
(() => {
  const regions = new Map([...document.querySelectorAll('[data-live-region]')].map((el) => [el.dataset.liveRegion, el]));
  if (regions.size === 0 || typeof EventSource === 'undefined') return;
  const indicator = document.querySelector('[data-live-state]');
  const announcer = document.querySelector('[data-live-announce]');
  /** Closed after this long hidden (a background tab holds no connection), opened again when shown. */
  const HIDDEN_CLOSE_MS = 60_000;
  /** After the console refused the stream (signed out, too many pages), tried again this much later. */
  const REOPEN_MS = 30_000;

  let source = null;
  let open = false;
  let fed = false;
  let missed = false;
  let reopenTimer = null;
  let hiddenTimer = null;
  const inFlight = new Set();
  const again = new Set();
  const lastHtml = new Map();

  const show = () => {
    if (!indicator) return;
    const live = open && fed;
    indicator.hidden = false;
    indicator.textContent = live ? 'live' : 'offline';
    indicator.classList.toggle('is-live', live);
    indicator.title = live ? 'This page updates itself as things change.' : 'Not receiving updates: reload to see changes.';
  };

  const announce = (text) => {
    if (!announcer) return;
    // emptied first, so the same words are spoken again
    announcer.textContent = '';
    window.setTimeout(() => (announcer.textContent = text), 100);
  };

  /** Where focus is inside a region, to put it back on the same control after the swap. */
  const focusKey = (el) => {
    const active = document.activeElement;
    if (!active || active === document.body || !el.contains(active)) return null;
    const focusable = [...el.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')];
    return { id: active.id, index: focusable.indexOf(active) };
  };
  const refocus = (el, key) => {
    if (!key) return;
    const target = (key.id && document.getElementById(key.id)) || el.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')[key.index];
    if (target && el.contains(target)) target.focus({ preventScroll: true });
  };

  const swap = (name, el, text) => {
    if (lastHtml.get(name) === text) return;
    lastHtml.set(name, text);
    const key = focusKey(el);
    const { scrollX, scrollY } = window;
    el.innerHTML = text;
    // console.js shows the new times in the viewer's zone
    el.dispatchEvent(new CustomEvent('vaops:region-updated', { bubbles: true }));
    refocus(el, key);
    window.scrollTo(scrollX, scrollY);
    announce(el.dataset.liveLabel || 'Updated');
  };

  const refresh = async (name) => {
    const el = regions.get(name);
    if (!el) return;
    if (inFlight.has(name)) {
      again.add(name);
      return;
    }
    inFlight.add(name);
    el.setAttribute('aria-busy', 'true');
    try {
      const url = new URL(location.href);
      url.hash = '';
      url.searchParams.set('fragment', name);
      const res = await fetch(url, { headers: { accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' });
      // signed out meanwhile: the page itself goes to sign-in
      if (res.status === 401 || res.redirected) return location.reload();
      if (res.ok) swap(name, el, await res.text());
    } catch {
      // the console is unreachable: the stream's own error shows it
    } finally {
      el.removeAttribute('aria-busy');
      inFlight.delete(name);
      if (again.delete(name)) void refresh(name);
    }
  };
  const refreshAll = () => regions.forEach((_, name) => void refresh(name));

  const close = () => {
    if (source) source.close();
    source = null;
    open = false;
    fed = false;
    show();
  };

  const connect = () => {
    window.clearTimeout(reopenTimer);
    if (source) return;
    const es = new EventSource(`/live?regions=${[...regions.keys()].map(encodeURIComponent).join(',')}`);
    source = es;
    es.addEventListener('open', () => {
      open = true;
      show();
    });
    es.addEventListener('feed', (e) => {
      fed = e.data === 'up';
      // whatever happened while the stream was not heard
      if (fed && missed) refreshAll();
      missed = !fed;
      show();
    });
    es.addEventListener('refresh', (e) => void refresh(e.data));
    es.addEventListener('error', () => {
      open = false;
      fed = false;
      missed = true;
      show();
      // EventSource reconnects by itself after a dropped connection, not after a refusal
      if (es.readyState === EventSource.CLOSED) {
        if (source === es) source = null;
        // signed out: the regions' own fetch answers 401 and the page goes to sign-in
        refreshAll();
        reopenTimer = window.setTimeout(connect, REOPEN_MS);
      }
    });
  };

  document.addEventListener('visibilitychange', () => {
    window.clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') {
      hiddenTimer = window.setTimeout(() => {
        close();
        missed = true;
      }, HIDDEN_CLOSE_MS);
    } else if (!source) {
      connect();
    }
  });
  window.addEventListener('pagehide', close);
  window.addEventListener('pageshow', (e) => {
    // back from the browser's page cache: what changed meanwhile is fetched once the stream is fed
    if (!e.persisted) return;
    missed = true;
    connect();
  });

  show();
  connect();
})();
