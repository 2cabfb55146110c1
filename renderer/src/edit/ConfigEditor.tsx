import { useEffect, useState } from 'react';
import type { ConfigIssueWire } from '../../../electron/host/contract.ts';
import { useHost } from '../stores/host-store.ts';

/** How long typing must pause before the config goes to the device's parser. */
const CHECK_DELAY_MS = 400;

/**
 * A device's startup config, checked as it is typed by the same CLI parser its console uses (the
 * host runs it): refused lines are marked in the gutter and listed with the parser's message.
 */
export function ConfigEditor({ kind, value, onCommit }: { kind: string; value: string; onCommit(text: string): void }) {
  const api = useHost((s) => s.api);
  const [draft, setDraft] = useState(value);
  const [issues, setIssues] = useState<ConfigIssueWire[] | null>(null);

  useEffect(() => {
    if (!api) return;
    let live = true;
    const timer = setTimeout(() => {
      api.checkConfig(kind, draft).then(
        (found) => live && setIssues(found),
        () => live && setIssues(null),
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, kind, draft]);

  const lines = draft.split('\n');
  const bad = new Set((issues ?? []).map((i) => i.line));
  return (
    <>
      <div className="config-editor">
        <div className="config-gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <span key={i} className={bad.has(i + 1) ? 'bad' : undefined} data-line={i + 1} title={issues?.find((x) => x.line === i + 1)?.message}>
              {i + 1}
            </span>
          ))}
        </div>
        <textarea
          className="config-text"
          aria-label="Startup config"
          spellCheck={false}
          value={draft}
          rows={Math.max(10, lines.length)}
          placeholder="! paste a running-config here"
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => draft !== value && onCommit(draft)}
        />
      </div>
      {issues && issues.length > 0 && (
        <ul className="config-issues" aria-label="Config errors">
          {issues.map((i) => (
            <li key={`${i.line}:${i.column}:${i.message}`}>
              <span className="mono">line {i.line}</span>
              {i.message}
            </li>
          ))}
        </ul>
      )}
      {issues && issues.length === 0 && draft.trim() !== '' && <div className="config-ok">The device’s parser accepts every line.</div>}
    </>
  );
}
