import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App.tsx';
import { connectHost } from './host/connect.ts';
import { runMenuCommand } from './components/menu-commands.ts';
import { useHost } from './stores/host-store.ts';

const host = connectHost();
useHost.getState().attach(host);
host.onMenuCommand(runMenuCommand);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
