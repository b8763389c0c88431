// Renderer entry: styles, document environment, stores fed from window.ferry, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { watchEnvironment } from './environment';
import { useApp } from './store/app';
import { connect } from './store/connect';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/peers.css';
import './styles/transfers.css';
import './styles/dialog.css';
import './styles/settings.css';
import './styles/toasts.css';

watchEnvironment();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
if (window.ferry) void connect();
else useApp.setState({ phase: 'failed', loadError: 'window.ferry is missing: the preload did not run.' });
