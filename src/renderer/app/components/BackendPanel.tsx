import { useState } from 'react';
import { FEATURE_NAMES, featureList, sessionMode } from '../format';
import { useSession } from '../store-context';
import { FEATURE_QUERY } from '../../../shared/domain';

/** Which backend, why, and the features in force; negotiating features and starting a new session. */
export function BackendPanel() {
  const session = useSession((s) => s.session);
  const connection = useSession((s) => s.connection);
  const transport = useSession((s) => s.client.transport);
  const perform = useSession((s) => s.perform);
  const [wanted, setWanted] = useState(0);
  if (!session) return <section className="panel" data-testid="backend-panel">connection: {connection}</section>;
  const toggle = (bit: number): void => setWanted((w) => w ^ bit);
  return (
    <section className="panel" data-testid="backend-panel">
      <h2>
        Backend: <span data-testid="backend-kind">{session.backend.kind}</span>
      </h2>
      <p data-testid="backend-description">{session.backend.description}</p>
      <p data-testid="backend-selection">{session.selection}</p>
      <p>
        Mode: <span data-testid="session-mode">{sessionMode(session)}</span>; granted:{' '}
        <span data-testid="features-granted">{session.features ? featureList(session.features.granted) : 'not negotiated'}</span>;
        supported: {featureList(session.backend.supportedFeatures)}; via {transport} ({connection})
        {session.dead && <strong data-testid="session-dead"> - the watched memory map is gone</strong>}
      </p>
      <fieldset disabled={session.features !== null}>
        <legend>EXCHANGE_FEATURES (first operation only; QUERY is always added for the views)</legend>
        {FEATURE_NAMES.filter(([bit]) => bit !== FEATURE_QUERY).map(([bit, name]) => (
          <label key={name}>
            <input type="checkbox" data-testid={`feature-${name}`} checked={(wanted & bit) !== 0} onChange={() => toggle(bit)} />
            {name}
          </label>
        ))}
        <button data-testid="exchange-features" onClick={() => void perform({ kind: 'exchangeFeatures', wanted })}>
          Exchange
        </button>
      </fieldset>
      <div className="row">
        <button data-testid="new-session-auto" onClick={() => void perform({ kind: 'newSession', backend: 'auto' })}>
          New session
        </button>
        <button data-testid="new-session-model" onClick={() => void perform({ kind: 'newSession', backend: 'model' })}>
          New model session
        </button>
      </div>
    </section>
  );
}
