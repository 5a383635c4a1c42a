import { useState } from 'react';
import { FEATURE_NAMES, featureList, sessionMode } from '../format';
import { selectSession, useLiveSession, useSession } from '../store-context';
import { FEATURE_QUERY } from '../../../shared/domain';
import { MAX_READ_EVENTS } from '../../../shared/messages';

/** Which backend and why, the features in force, negotiating them, auto-read, and starting a new session. */
export function BackendControls() {
  const session = useLiveSession(selectSession);
  const connection = useSession((s) => s.connection);
  const transport = useSession((s) => s.client.transport);
  const perform = useSession((s) => s.perform);
  const [requested, setRequested] = useState(0);
  if (!session) return <span data-testid="backend-panel">connection: {connection}</span>;
  const toggle = (bit: number): void => setRequested((r) => r ^ bit);
  return (
    <div className="app-backend" data-testid="backend-panel">
      <span className="app-group" title={session.backend.description}>
        <strong data-testid="backend-kind">{session.backend.kind}</strong>
        <span className="app-muted" data-testid="backend-selection">
          {session.selection}
        </span>
        <span className="app-muted" data-testid="backend-description">
          {session.backend.description}
        </span>
      </span>
      <span className="app-group">
        <span data-testid="session-mode">{sessionMode(session)}</span>
        <span className="app-muted">
          granted <span data-testid="features-granted">{session.features ? featureList(session.features.granted) : 'not negotiated'}</span>, supported{' '}
          {featureList(session.backend.supportedFeatures)}, via {transport} ({connection})
        </span>
        {session.dead && <strong data-testid="session-dead">the watched memory map is gone</strong>}
      </span>
      {session.features === null && (
        <span className="app-group" title="NEGOTIATE_FEATURES is only allowed as the first operation; QUERY is always added for the views">
          {FEATURE_NAMES.filter(([bit]) => bit !== FEATURE_QUERY).map(([bit, name]) => (
            <label key={name}>
              <input type="checkbox" data-testid={`feature-${name}`} checked={(requested & bit) !== 0} onChange={() => toggle(bit)} />
              {name}
            </label>
          ))}
          <button type="button" data-testid="exchange-features" onClick={() => void perform({ kind: 'op', op: { op: 'negotiateFeatures', requested } })}>
            Negotiate features
          </button>
        </span>
      )}
      <span className="app-group">
        <label title="read() whenever the file becomes readable">
          <input
            type="checkbox"
            data-testid="auto-read"
            checked={session.autoRead}
            onChange={(e) => void perform({ kind: 'setAutoRead', enabled: e.target.checked, maxEvents: Math.min(session.autoReadEvents, MAX_READ_EVENTS) })}
          />
          auto-read
        </label>
        <button type="button" data-testid="new-session-auto" onClick={() => void perform({ kind: 'newSession', backend: 'auto' })}>
          New session
        </button>
        <button type="button" data-testid="new-session-model" onClick={() => void perform({ kind: 'newSession', backend: 'model' })}>
          New model session
        </button>
      </span>
    </div>
  );
}
