import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadRuntimeConfig, parseRuntimeConfig } from './config/runtime';
import { initI18n } from './i18n';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const [config] = await Promise.all([
  // Without a config.json (a bare `vite preview`), talk to /graphql on this origin.
  loadRuntimeConfig().catch(() => parseRuntimeConfig({}, window.location.href)),
  initI18n(),
]);

createRoot(root).render(
  <StrictMode>
    <App config={config} />
  </StrictMode>,
);
