import type { ConnectionStatus } from '../client';
import { useSession } from '../store-context';

const SAYS: Record<Exclude<ConnectionStatus, 'open'>, string> = {
  connecting: 'Connecting to the session…',
  reconnecting: 'Connection to the session lost: reconnecting… (what is shown is as of the loss; the history comes back with the connection)',
  refused:
    "The server refused this page's access token (it may be from an earlier run of the server). Open the address the server printed when it started (npm run serve).",
};

/** Says when the page is not connected to the session, and why. */
export function ConnectionBanner() {
  const connection = useSession((s) => s.connection);
  if (connection === 'open') return null;
  return (
    <div className="connection" role="status" data-testid="connection-status" data-status={connection}>
      {SAYS[connection]}
    </div>
  );
}
