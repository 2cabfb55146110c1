import { useUi } from '../stores/ui-store.ts';
import { useCaptures } from './capture-store.ts';

/**
 * A "Capture" button for the inspector: captures on a link (`a--b`) or a port (`dev:port`) in
 * the current run and shows it in the Captures tab.
 */
export function CaptureButton({ target }: { target: string }) {
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
