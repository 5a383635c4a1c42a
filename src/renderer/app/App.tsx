import { BackendPanel } from './components/BackendPanel';
import { CounterPanel } from './components/CounterPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { EventList } from './components/EventList';
import { InvalidQueue } from './components/InvalidQueue';
import { LabPanel } from './components/LabPanel';
import { ReadPanel } from './components/ReadPanel';
import { RecordingPanel } from './components/RecordingPanel';
import { RegisterForm } from './components/RegisterForm';
import { Registrations } from './components/Registrations';

/** The pipeline view: every control and every piece of session state, end to end. */
export function App() {
  return (
    <main className="app">
      <header>
        <h1>ummunotify</h1>
      </header>
      <ErrorBanner />
      <div className="grid">
        <div className="column">
          <BackendPanel />
          <RegisterForm />
          <LabPanel />
          <ReadPanel />
          <RecordingPanel />
        </div>
        <div className="column">
          <CounterPanel />
          <Registrations />
          <InvalidQueue />
          <EventList />
        </div>
      </div>
    </main>
  );
}
