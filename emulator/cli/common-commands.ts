/**
 * Commands that vendor dialects share word for word: the IOS-style move between user and
 * privileged EXEC, and configuration lines a device accepts without modelling their effect.
 */
import { restOfLine } from './params.ts';
import type { CommandSpec } from './tree.ts';

/** `enable` in user EXEC: go to the privileged mode. */
export function enableCommand<D>(privilegedMode: string): CommandSpec<D> {
  return { syntax: 'enable', help: { enable: 'Turn on privileged commands' }, run: (c) => c.enterMode(privilegedMode) };
}

/** `disable` in privileged EXEC: back to user EXEC. */
export function disableCommand<D>(execMode: string): CommandSpec<D> {
  return { syntax: 'disable', help: { disable: 'Turn off privileged commands' }, run: (c) => c.enterMode(execMode) };
}

/**
 * Lines a real configuration carries that are accepted and do nothing, so a pasted configuration
 * loads without errors. Each syntax may end in `$rest` to take the remainder of the line. Hidden
 * from `?` and completion unless `hidden` is false; `no` also accepts each line's `no` form.
 */
export function acceptedLines<D>(syntaxes: readonly string[], opts: { readonly hidden?: boolean; readonly no?: boolean } = {}): CommandSpec<D>[] {
  const { hidden = true, no = false } = opts;
  return syntaxes.map((syntax) => ({ syntax, hidden, no, params: { rest: restOfLine() }, run: () => undefined }));
}
