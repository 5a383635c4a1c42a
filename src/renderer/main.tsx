import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectClient } from './app/client';
import { createSessionStore, greet } from './app/store';
import { SessionStoreContext } from './app/store-context';
import './app/styles.css';

const store = createSessionStore(connectClient());
void greet(store);

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionStoreContext.Provider value={store}>
      <App />
    </SessionStoreContext.Provider>
  </StrictMode>,
);
