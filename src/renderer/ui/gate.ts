// An action the person may not take, shown rather than hidden: `{@attach gate(hint)}` on a
// button (or any control) makes it look disabled and do nothing when `hint` is a text, and
// shows the hint as a tooltip on hover and on keyboard focus. It stays focusable
// (aria-disabled, not `disabled`), so a keyboard user reaches it and hears why.
import type { Attachment } from 'svelte/attachments';

const TIP_ID = 'gate-tip';

function tip(): HTMLElement {
  let el = document.getElementById(TIP_ID);
  if (!el) {
    el = document.createElement('div');
    el.id = TIP_ID;
    el.className = 'gate-tip';
    el.setAttribute('role', 'tooltip');
    el.hidden = true;
    document.body.append(el);
  }
  return el;
}

function show(target: HTMLElement, text: string): void {
  const el = tip();
  el.textContent = text;
  el.hidden = false;
  const r = target.getBoundingClientRect();
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  const left = Math.max(4, Math.min(window.innerWidth - w - 4, r.left + r.width / 2 - w / 2));
  const below = r.bottom + 6 + h <= window.innerHeight;
  el.style.left = `${left}px`;
  el.style.top = `${below ? r.bottom + 6 : r.top - h - 6}px`;
}

function hide(): void {
  const el = document.getElementById(TIP_ID);
  if (el) el.hidden = true;
}

/** `hint`: null when the action is allowed (the control is left as it is), else why not. */
export function gate(hint: string | null): Attachment<HTMLElement> {
  return (node) => {
    if (hint === null) return;
    const text = hint;
    const hadTitle = node.getAttribute('title');
    node.setAttribute('aria-disabled', 'true');
    node.setAttribute('aria-describedby', TIP_ID);
    node.dataset.denied = text;
    node.removeAttribute('title');
    // Capture, before the control's own handlers (Svelte delegates them to the root).
    const stop = (e: Event): void => {
      if (e instanceof KeyboardEvent && e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      show(node, text);
    };
    const enter = (): void => show(node, text);
    const listeners: [string, (e: Event) => void, boolean][] = [
      ['click', stop, true],
      ['keydown', stop, true],
      ['pointerenter', enter, false],
      ['focus', enter, false],
      ['pointerleave', hide, false],
      ['blur', hide, false],
    ];
    for (const [type, fn, capture] of listeners) node.addEventListener(type, fn, capture);
    return () => {
      hide();
      for (const [type, fn, capture] of listeners) node.removeEventListener(type, fn, capture);
      node.removeAttribute('aria-disabled');
      node.removeAttribute('aria-describedby');
      delete node.dataset.denied;
      if (hadTitle !== null) node.setAttribute('title', hadTitle);
    };
  };
}
