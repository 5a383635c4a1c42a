import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectClient } from './app/client';
import { createProcessesStore } from './app/processes-store';
import { createSessionStore } from './app/store';
import { ProcessesStoreContext, SessionStoreContext } from './app/store-context';
import './app/styles.css';

// The stores greet the core whenever the connection opens.
const client = connectClient();
const store = createSessionStore(client);
const processes = createProcessesStore(client, { showError: (error) => store.getState().showError(error) });

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionStoreContext.Provider value={store}>
      <ProcessesStoreContext.Provider value={processes}>
        <App />
      </ProcessesStoreContext.Provider>
    </SessionStoreContext.Provider>
  </StrictMode>,
);
