/** The canvas's keyboard shortcuts, as the help popover lists them. */
export const shortcuts: readonly { keys: string[]; what: string }[] = [
  { keys: ['Ctrl', 'Z'], what: 'Undo' },
  { keys: ['Ctrl', 'Shift', 'Z'], what: 'Redo (also Ctrl+Y)' },
  { keys: ['Ctrl', 'C'], what: 'Copy selected devices and the links between them' },
  { keys: ['Ctrl', 'X'], what: 'Cut' },
  { keys: ['Ctrl', 'V'], what: 'Paste (renamed, offset)' },
  { keys: ['Ctrl', 'D'], what: 'Duplicate' },
  { keys: ['Ctrl', 'A'], what: 'Select all devices' },
  { keys: ['Delete'], what: 'Delete selection and its links (also Backspace)' },
  { keys: ['Shift', 'click'], what: 'Add to the selection' },
  { keys: ['Shift', 'drag'], what: 'Box select' },
  { keys: ['L'], what: 'Auto-layout' },
  { keys: ['F'], what: 'Zoom to fit' },
  { keys: ['Esc'], what: 'Clear the selection' },
  { keys: ['?'], what: 'This help' },
  { keys: ['Ctrl', 'S'], what: 'Save (Ctrl+Shift+S: Save As)' },
  { keys: ['Ctrl', 'O'], what: 'Open' },
];

/** Keys typed into a field belong to the field, not the canvas. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
