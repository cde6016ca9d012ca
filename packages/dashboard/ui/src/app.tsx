import { Route, Routes } from "react-router";
import { useConfig } from "./api/queries.js";
import { AppShell } from "./components/app-shell.js";
import { QueryStatus } from "./components/query-status.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { QueuePage } from "./pages/queue-page.js";
import { QueuesPage } from "./pages/queues-page.js";
import { RedisPage } from "./pages/redis-page.js";
import { SchedulersPage } from "./pages/schedulers-page.js";
import { ServersPage } from "./pages/servers-page.js";
import { SettingsPage } from "./pages/settings-page.js";
import { TaskPage } from "./pages/task-page.js";

/** The routes; pages render only once the mount configuration (read-only etc.) is known. */
export function App() {
  const config = useConfig();
  if (!config.data) {
    return (
      <main className="content">
        <QueryStatus isPending={config.isPending} error={config.error} what="the dashboard" />
      </main>
    );
  }
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<QueuesPage />} />
        <Route path="queues/:qname" element={<QueuePage />} />
        <Route path="queues/:qname/tasks/:taskId" element={<TaskPage />} />
        <Route path="servers" element={<ServersPage />} />
        <Route path="schedulers" element={<SchedulersPage />} />
        <Route path="redis" element={<RedisPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
