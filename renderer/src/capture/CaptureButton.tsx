import { useEffect } from 'react';
import { useHost } from '../stores/host-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { followRuns, useCaptures } from './capture-store.ts';

/**
 * A "Capture" button for the inspector: captures on a link (`a--b`) or a port (`dev:port`) in
 * the current run and shows it in the Captures tab.
 */
export function CaptureButton({ target }: { target: string }) {
  const host = useHost((s) => s.api);
  useEffect(() => {
    if (host) followRuns(host);
  }, [host]);
  const live = useCaptures((s) => s.run !== null && (s.run.state === 'running' || s.run.state === 'paused'));
  return (
    <button
      disabled={!live}
      title={live ? 'Capture frames here in the current run' : 'Start a run to capture'}
      onClick={() => {
        useUi.getState().showTab('captures');
        void useCaptures.getState().start(target);
      }}
    >
      Capture
    </button>
  );
}
