import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectClient } from './app/client';
import { createSessionStore } from './app/store';
import { SessionStoreContext } from './app/store-context';
import './app/styles.css';

// The store greets the core whenever the connection opens.
const store = createSessionStore(connectClient());

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionStoreContext.Provider value={store}>
      <App />
    </SessionStoreContext.Provider>
  </StrictMode>,
);
