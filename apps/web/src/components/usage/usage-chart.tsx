'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One day of the chart. */
export interface ChartDay {
  day: string;
  requests: number;
  totalTokens: number;
}

/** Requests and tokens per day (recharts), labelled for assistive technology with a text summary. */
export function UsageChart({ daily }: { daily: ChartDay[] }) {
  const summary =
    daily.length === 0
      ? 'No usage in this range yet.'
      : daily.map((day) => `${day.day}: ${day.requests} requests, ${day.totalTokens} tokens`).join('; ');
  return (
    <figure className="chart" role="img" aria-label="Daily usage chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={daily} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis yAxisId="requests" allowDecimals={false} />
          <YAxis yAxisId="tokens" orientation="right" />
          <Tooltip />
          <Legend />
          <Bar
            yAxisId="requests"
            dataKey="requests"
            name="Requests"
            fill="#0b57d0"
            isAnimationActive={false}
          />
          <Bar
            yAxisId="tokens"
            dataKey="totalTokens"
            name="Tokens"
            fill="#7a4a00"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}
