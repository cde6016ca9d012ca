import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

/** A short message after an action: its outcome, or the server's error. */
export interface Notice {
  readonly id: number;
  readonly kind: "success" | "error";
  readonly text: string;
}

type Push = (kind: Notice["kind"], text: string) => void;

const NoticeContext = createContext<Push>(() => {});
const VISIBLE_MS = 6000;

/** Collects notices and shows them in a live region at the bottom of the window. */
export function NoticeProvider({ children }: { readonly children: ReactNode }) {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setNotices((all) => all.filter((n) => n.id !== id));
  }, []);

  const push = useCallback<Push>(
    (kind, text) => {
      const id = nextId.current++;
      setNotices((all) => [...all.slice(-3), { id, kind, text }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, VISIBLE_MS);
      timers.current.add(timer);
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  const value = useMemo(() => push, [push]);
  return (
    <NoticeContext.Provider value={value}>
      {children}
      <div className="notices" data-testid="notices">
        {notices.map((n) => (
          <div
            key={n.id}
            className={`notice notice-${n.kind}`}
            role={n.kind === "error" ? "alert" : "status"}
            data-testid={`notice-${n.kind}`}
          >
            <span>{n.text}</span>
            <button
              type="button"
              className="link-button"
              aria-label="Dismiss"
              onClick={() => dismiss(n.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

/** Shows a notice. */
export function useNotify(): Push {
  return useContext(NoticeContext);
}
