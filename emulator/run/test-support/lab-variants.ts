import { runScenario, unmet } from './run-scenario.ts';

/**
 * Helpers for tests that rewrite a shipped lab's text into variants. Each edit must find what it
 * replaces, so a lab that drifts away from the test fails loudly instead of testing nothing.
 */
export function replaceAll(text: string, pairs: readonly [string | RegExp, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    const next = typeof from === 'string' ? out.split(from).join(to) : out.replace(from, to);
    if (next === out) throw new Error(`the shipped lab no longer contains ${String(from)}`);
    out = next;
  }
  return out;
}

/** Only the named scenario's block, from its `- name:` line to the next scenario. */
export function editScenario(text: string, name: string, edit: (block: string) => string): string {
  const start = text.indexOf(`  - name: ${name}\n`);
  if (start < 0) throw new Error(`no scenario ${name}`);
  const next = text.indexOf('\n  - name: ', start + 1);
  const end = next < 0 ? text.length : next + 1;
  return text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end);
}

/** The expectations that did not hold, as `name: reading`. */
export function failures(text: string, scenario: string): string[] {
  return unmet(runScenario(text, scenario).report);
}
