import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";

/** How the colour theme is chosen. */
export type ThemeChoice = "light" | "dark" | "system";

/** What the user chose on the Settings page; kept in localStorage. */
export interface UserSettings {
  /** Undefined: the server's configured interval. */
  readonly pollIntervalSeconds?: number;
  readonly theme: ThemeChoice;
}

const STORAGE_KEY = "asynq-dashboard:settings";
const DEFAULTS: UserSettings = { theme: "system" };

/** Bounds of the polling interval slider, in seconds. */
export const POLL_MIN_SECONDS = 1;
export const POLL_MAX_SECONDS = 60;

function isTheme(value: unknown): value is ThemeChoice {
  return value === "light" || value === "dark" || value === "system";
}

/** Reads stored settings, ignoring anything malformed (storage is user-editable). */
export function loadSettings(storage: Storage = localStorage): UserSettings {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    if (typeof parsed !== "object" || parsed === null) return DEFAULTS;
    const theme = "theme" in parsed && isTheme(parsed.theme) ? parsed.theme : DEFAULTS.theme;
    const poll = "pollIntervalSeconds" in parsed ? parsed.pollIntervalSeconds : undefined;
    return typeof poll === "number" && poll >= POLL_MIN_SECONDS && poll <= POLL_MAX_SECONDS
      ? { theme, pollIntervalSeconds: poll }
      : { theme };
  } catch {
    return DEFAULTS;
  }
}

function systemPrefersDark(): boolean {
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Sets `data-theme` on <html>, which selects the stylesheet's colour variables. */
export function applyTheme(choice: ThemeChoice): void {
  const dark = choice === "dark" || (choice === "system" && systemPrefersDark());
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

interface SettingsContextValue {
  readonly settings: UserSettings;
  update(change: Partial<UserSettings> & { readonly resetPoll?: boolean }): void;
}

const SettingsContext = createContext<SettingsContextValue | undefined>(undefined);

/** Holds the user's settings, persists changes and keeps the theme applied. */
export function SettingsProvider({ children }: { readonly children: ReactNode }) {
  const [settings, setSettings] = useState<UserSettings>(() => loadSettings());

  useEffect(() => {
    applyTheme(settings.theme);
    if (settings.theme !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [settings.theme]);

  const update = useCallback<SettingsContextValue["update"]>((change) => {
    setSettings((current) => {
      const theme = change.theme ?? current.theme;
      const poll = change.resetPoll
        ? undefined
        : (change.pollIntervalSeconds ?? current.pollIntervalSeconds);
      const next: UserSettings =
        poll === undefined ? { theme } : { theme, pollIntervalSeconds: poll };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  const value = useMemo(() => ({ settings, update }), [settings, update]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

/** The current settings and a function to change them. */
export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (value === undefined) throw new Error("useSettings outside SettingsProvider");
  return value;
}
