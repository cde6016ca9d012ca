import { Link, NavLink, Outlet, useLocation } from "react-router";
import { useConfig } from "../api/queries.js";
import { TaskFinder } from "./task-finder.js";

const NAV = [
  { to: "/", label: "Queues" },
  { to: "/servers", label: "Servers" },
  { to: "/schedulers", label: "Schedulers" },
  { to: "/redis", label: "Redis" },
  { to: "/settings", label: "Settings" },
] as const;

/** "Queues" covers the overview and every queue and task page below /queues. */
function isCurrent(to: string, pathname: string): boolean {
  if (to === "/") return pathname === "/" || pathname.startsWith("/queues/");
  return pathname === to || pathname.startsWith(`${to}/`);
}

/** Header with navigation and task search around the current page. */
export function AppShell() {
  const config = useConfig();
  const { pathname } = useLocation();
  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="asynq dashboard home">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          asynq
        </NavLink>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={isCurrent(item.to, pathname) ? "active" : ""}
                  aria-current={isCurrent(item.to, pathname) ? "page" : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          {config.data?.read_only ? (
            <span className="badge warn" data-testid="read-only-badge" title="Changes are disabled">
              Read-only
            </span>
          ) : null}
          <TaskFinder />
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
      <footer className="footer muted small">
        asynq-ts dashboard {config.data?.version ? `v${config.data.version}` : ""}
      </footer>
    </div>
  );
}
