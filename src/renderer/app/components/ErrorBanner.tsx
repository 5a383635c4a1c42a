import { useSession } from '../store-context';

/** The last failed request or background error (under its headline when it has one), with the recording line when a file was bad. */
export function ErrorBanner() {
  const error = useSession((s) => s.lastError);
  const dismiss = useSession((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.code}>
      <strong>{error.title ?? error.code}</strong>: {error.line !== undefined ? `line ${error.line}: ${error.problem ?? error.message}` : error.message}
      <button onClick={dismiss}>dismiss</button>
    </div>
  );
}
