// The job at a glance: every process on one time axis, three small charts
// (registrations alive, invalidations per second, queue depth), one line
// per process in its colour (the legend names it). Numbers from
// view-state/job-series.ts.

import { line, scaleLinear } from 'd3';
import { processSeries, jobSpan, type ProcessSeries } from '../view-state/job-series';
import type { ProcessView } from '../app/process-feed';
import { processColour, processLabel } from './process-label';

const WIDTH = 300;
const HEIGHT = 110;
const MARGIN = { top: 18, right: 8, bottom: 18, left: 36 };
const BINS = 60;

const CHARTS: { key: keyof Omit<ProcessSeries, 'times'>; title: string }[] = [
  { key: 'registrations', title: 'Registrations' },
  { key: 'invalidationsPerSecond', title: 'Invalidations / s' },
  { key: 'queueDepth', title: 'Queue depth' },
];

export function JobOverview({ processes }: { processes: readonly ProcessView[] }) {
  const span = jobSpan(processes.map((p) => p.timeline));
  if (!span || processes.length === 0) {
    return (
      <section className="um-panel" data-testid="job-overview">
        <h2>Job overview</h2>
        <p className="um-muted">No process watched yet: attach to one or open recordings.</p>
      </section>
    );
  }
  const series = processes.map((p) => ({ process: p, series: processSeries(p.timeline, p.snapshot?.registrations ?? [], span, BINS) }));
  const x = scaleLinear()
    .domain([0, (span.end - span.start) / 1000])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  return (
    <section className="um-panel" data-testid="job-overview">
      <h2>Job overview</h2>
      <div className="um-job-charts">
        {CHARTS.map(({ key, title }) => {
          const top = Math.max(1, ...series.flatMap((s) => s.series[key]));
          const y = scaleLinear().domain([0, top]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
          const path = line<[number, number]>()
            .x((d) => x(d[0]))
            .y((d) => y(d[1]));
          return (
            <svg key={key} width={WIDTH} height={HEIGHT} role="img" aria-label={`${title} over time, one line per process`} data-testid={`job-chart-${key}`}>
              <text x={MARGIN.left} y={13} className="um-chart-title">
                {title}
              </text>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={HEIGHT - MARGIN.bottom} y2={HEIGHT - MARGIN.bottom} className="um-chart-axis" />
              <text x={MARGIN.left - 4} y={MARGIN.top + 4} textAnchor="end" className="um-chart-tick">
                {Math.round(y.domain()[1] ?? top)}
              </text>
              <text x={MARGIN.left - 4} y={HEIGHT - MARGIN.bottom} textAnchor="end" className="um-chart-tick">
                0
              </text>
              <text x={WIDTH - MARGIN.right} y={HEIGHT - 3} textAnchor="end" className="um-chart-tick">
                {((span.end - span.start) / 1000).toFixed(1)} s
              </text>
              {series.map(({ process, series: s }) => (
                <path
                  key={process.sessionId}
                  d={path(s.times.map((t, i): [number, number] => [(t - span.start) / 1000, s[key][i] ?? 0])) ?? ''}
                  fill="none"
                  stroke={processColour(process.sessionId)}
                  strokeWidth={1.5}
                  data-session-id={process.sessionId}
                />
              ))}
            </svg>
          );
        })}
      </div>
      <ul className="um-job-legend">
        {processes.map((p) => (
          <li key={p.sessionId}>
            <span className="um-swatch" style={{ background: processColour(p.sessionId) }} /> {processLabel(p.state)}
          </li>
        ))}
      </ul>
    </section>
  );
}
