/**
 * The browser suites of the reference app, in one test file: they run one after the other (never two `next start`
 * servers at once, and the quick start's build step never rewrites `.next` under a running server), while the rest of
 * the test run's files go on beside them instead of waiting for them. Run one suite with `-t`, for example
 * `pnpm vitest run --project 'web (e2e)' -t 'the offline demo'`.
 */
import './quick-start.suite';
import './app.suite';
import './demo-scenarios.suite';
import './approvals.suite';
