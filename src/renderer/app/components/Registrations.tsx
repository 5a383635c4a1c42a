import { addressPage, registrationState } from '../format';
import { useSession } from '../store-context';

/** Every registration as QUERY reports it: range, cookie, state and hint. */
export function Registrations() {
  const session = useSession((s) => s.session);
  const snapshot = useSession((s) => s.snapshot);
  const perform = useSession((s) => s.perform);
  if (!session) return null;
  const readOnly = session.backend.kind === 'replay';
  return (
    <section className="panel" data-testid="registrations">
      <h2>Registrations ({snapshot?.registrations.length ?? 0})</h2>
      {!snapshot && <p>No QUERY snapshot yet.</p>}
      <table>
        <thead>
          <tr>
            <th>cookie</th>
            <th>pages</th>
            <th>state</th>
            <th>hint</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {snapshot?.registrations.map((r) => (
            <tr key={r.cookie} data-testid="registration-row" data-cookie={BigInt(r.cookie).toString()}>
              <td>{BigInt(r.cookie).toString()}</td>
              <td>
                [{addressPage(session, r.start)}, {addressPage(session, r.end)})
              </td>
              <td data-testid="registration-state">{registrationState(r.state)}</td>
              <td>{r.hintEnd === '0x0' ? '' : `[${r.hintStart}, ${r.hintEnd})`}</td>
              <td>
                {!readOnly && (
                  <button data-testid="unregister" onClick={() => void perform({ kind: 'unregister', cookie: r.cookie })}>
                    unregister
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
