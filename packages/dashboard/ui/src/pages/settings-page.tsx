import { useConfig } from "../api/queries.js";
import { POLL_MAX_SECONDS, POLL_MIN_SECONDS, type ThemeChoice, useSettings } from "../settings.js";

const THEMES: ReadonlyArray<readonly [ThemeChoice, string]> = [
  ["light", "Light"],
  ["dark", "Dark"],
  ["system", "Same as the system"],
];

/** `/settings`: polling interval and theme, kept in this browser's localStorage. */
export function SettingsPage() {
  const { settings, update } = useSettings();
  const config = useConfig();
  const serverDefault = config.data?.poll_interval_seconds ?? 8;
  const poll = settings.pollIntervalSeconds ?? serverDefault;
  return (
    <>
      <h1>Settings</h1>
      <section className="card settings">
        <h2>Live updates</h2>
        <label className="field">
          <span>
            Refresh every <strong data-testid="poll-value">{poll}s</strong>
          </span>
          <input
            type="range"
            min={POLL_MIN_SECONDS}
            max={POLL_MAX_SECONDS}
            value={poll}
            aria-label="Polling interval in seconds"
            onChange={(event) => update({ pollIntervalSeconds: Number(event.target.value) })}
          />
        </label>
        <p className="muted small">
          Server default: {serverDefault}s.{" "}
          {settings.pollIntervalSeconds === undefined ? null : (
            <button
              type="button"
              className="link-button"
              onClick={() => update({ resetPoll: true })}
            >
              Use the default
            </button>
          )}
        </p>
      </section>
      <section className="card settings">
        <h2>Theme</h2>
        <fieldset className="radios">
          <legend className="visually-hidden">Theme</legend>
          {THEMES.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="theme"
                value={value}
                checked={settings.theme === value}
                onChange={() => update({ theme: value })}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </section>
      <p className="muted small">Settings are stored in this browser only.</p>
    </>
  );
}
